package io.redisbridge.common.redis;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.UnifiedJedis;

/**
 * After a failure, learns again where Redis is. On a Redis Cluster that is the slot map: single commands
 * do that themselves when a node moves slots or dies, but pipelines and slot transactions use the slot
 * map they find, so after a primary died they would keep asking it and its promoted replica would never
 * be asked. Under Sentinel it is the primary, asked of the sentinels directly ({@link SentinelRedis}).
 */
public final class RedisTopology {

  private static final Logger log = LoggerFactory.getLogger(RedisTopology.class);

  private RedisTopology() {}

  /** Refreshes the slot map or the primary; does nothing for a single server or while nothing answers. */
  public static void refreshAfterFailure(UnifiedJedis redis) {
    try {
      if (redis instanceof RedisClusterClient cluster) {
        cluster.refreshClusterTopology();
      } else if (redis instanceof SentinelRedis sentinel) {
        sentinel.followReportedPrimary();
      }
    } catch (RuntimeException e) {
      log.debug("Could not learn where Redis is yet: {}", e.toString());
    }
  }
}
