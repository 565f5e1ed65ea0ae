package io.redisbridge.common.redis;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.UnifiedJedis;

/**
 * After a failure on a Redis Cluster, learns the slot map again. Single commands do that themselves when a
 * node moves slots or dies, but pipelines and slot transactions use the slot map they find: after a
 * primary died they would keep asking it, and its promoted replica would never be asked.
 */
public final class ClusterTopology {

  private static final Logger log = LoggerFactory.getLogger(ClusterTopology.class);

  private ClusterTopology() {}

  /** Refreshes the slot map of a cluster client; does nothing for other clients or while no node answers. */
  public static void refreshAfterFailure(UnifiedJedis redis) {
    if (redis instanceof RedisClusterClient cluster) {
      try {
        cluster.refreshClusterTopology();
      } catch (RuntimeException e) {
        log.debug("Could not refresh the cluster's slot map yet: {}", e.toString());
      }
    }
  }
}
