package io.redisbridge.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Gives a test class a {@link RedisSentinelSet} (primary, replica, three sentinels) for all its tests. */
public final class RedisSentinelExtension implements BeforeAllCallback, AfterAllCallback {

  private RedisSentinelSet set;

  @Override
  public void beforeAll(ExtensionContext context) {
    set = RedisSentinelSet.start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (set != null) {
      set.close();
      set = null;
    }
  }

  /** The running deployment; only between the class's first and last test. */
  public RedisSentinelSet set() {
    if (set == null) {
      throw new IllegalStateException("Sentinel fixture used outside the test class lifecycle");
    }
    return set;
  }
}
