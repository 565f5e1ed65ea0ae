package io.redisbridge.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.UnifiedJedis;

/**
 * A {@link LocalRedisCluster} for the tests of a class: three primaries for tests of slot handling;
 * {@link #withReplicas()} adds a replica per primary for failover tests.
 */
public final class RedisClusterExtension implements BeforeAllCallback, AfterAllCallback {

  private final int replicasPerPrimary;
  private final String nodeTimeoutMs;
  private LocalRedisCluster cluster;

  /** Three primaries, no replicas. */
  public RedisClusterExtension() {
    this(0, "5000");
  }

  private RedisClusterExtension(int replicasPerPrimary, String nodeTimeoutMs) {
    this.replicasPerPrimary = replicasPerPrimary;
    this.nodeTimeoutMs = nodeTimeoutMs;
  }

  /**
   * Three primaries with a replica each, and a short node timeout so a killed primary's replica takes
   * over within a few seconds.
   */
  public static RedisClusterExtension withReplicas() {
    return new RedisClusterExtension(1, "2000");
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    cluster = LocalRedisCluster.start(replicasPerPrimary, nodeTimeoutMs);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** The primary that serves {@code key}'s slot now. */
  public HostAndPort primaryOf(String key) {
    return cluster.primaryOf(key);
  }

  /** A direct connection to the primary that serves {@code key}, for writes followed by WAIT. */
  public Jedis primaryClient(String key) {
    return cluster.primaryClient(key);
  }

  /** See {@link LocalRedisCluster#killPrimaryOf}. */
  public HostAndPort killPrimaryOf(String key) {
    return cluster.killPrimaryOf(key);
  }

  /** See {@link LocalRedisCluster#restart}. */
  public void restart(HostAndPort address) {
    cluster.restart(address);
  }

  /** Seed nodes as the connectors' redis.uri takes them with redis.mode=cluster. */
  public String uri() {
    return cluster.uri();
  }

  public UnifiedJedis newClient() {
    return cluster.newClient();
  }
}
