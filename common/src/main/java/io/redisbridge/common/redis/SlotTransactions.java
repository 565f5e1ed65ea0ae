package io.redisbridge.common.redis;

import redis.clients.jedis.AbstractTransaction;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * Opens a MULTI/EXEC on the node that serves a key's slot. A cluster client refuses {@code multi()}
 * (a transaction cannot span nodes), so there the transaction runs on a pooled connection to the
 * slot's master; every key it touches must share that slot (see {@link SameSlotKey}).
 */
public final class SlotTransactions {

  private SlotTransactions() {}

  /** A transaction for commands on {@code key} and keys in its slot; close it to return the connection. */
  public static AbstractTransaction begin(UnifiedJedis redis, String key) {
    if (redis instanceof RedisClusterClient cluster) {
      return new Transaction(cluster.getConnectionFromSlot(JedisClusterCRC16.getSlot(key)), true, true);
    }
    return redis.multi();
  }
}
