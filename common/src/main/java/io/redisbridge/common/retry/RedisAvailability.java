package io.redisbridge.common.retry;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tracks whether Redis answers, logging once when it stops and once when it answers again (not on every
 * failed attempt), and says how long to wait before the next attempt.
 */
public final class RedisAvailability {

  private static final Logger log = LoggerFactory.getLogger(RedisAvailability.class);

  private final String who;
  private final Backoff backoff;
  private boolean down;

  public RedisAvailability(String who, Backoff backoff) {
    this.who = who;
    this.backoff = backoff;
  }

  /** Records a failed attempt; returns the wait before the next one in milliseconds. */
  public long failed(Throwable error) {
    long delay = backoff.nextDelayMs();
    if (!down) {
      down = true;
      if (RedisErrors.isOutOfMemory(error)) {
        log.warn("Redis refuses writes for {}: it is out of memory (maxmemory reached under the noeviction "
            + "policy): {}; retrying with backoff until memory is freed, nothing is lost", who, error.getMessage());
      } else {
        log.warn("Redis is unavailable for {}: {}; retrying with backoff up to the configured maximum, "
            + "nothing is acknowledged meanwhile", who, describe(error));
      }
    } else {
      log.debug("Redis still unavailable for {} (attempt {}): {}", who, backoff.failures(), describe(error));
    }
    return delay;
  }

  /** Records a successful round trip; returns true if Redis was down before it. */
  public boolean succeeded() {
    if (!down) {
      return false;
    }
    log.info("Redis is available again for {} after {} failed attempts", who, backoff.failures());
    down = false;
    backoff.reset();
    return true;
  }

  private static String describe(Throwable error) {
    Throwable root = error;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return error == root ? String.valueOf(error) : error + " (cause: " + root + ")";
  }
}
