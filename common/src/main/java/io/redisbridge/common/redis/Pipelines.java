package io.redisbridge.common.redis;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.UnifiedJedis;

/**
 * Opens the connectors' pipelines. A Redis Cluster pipeline reads each node's replies on a thread of its
 * own; left to itself, Jedis starts a new thread pool for every sync and shuts it down after, which cost a
 * task reading 250 streams more than the reads did. Here those threads come from one pool the worker's
 * tasks share; they end after a minute without work.
 */
public final class Pipelines {

  private static final AtomicInteger THREADS = new AtomicInteger();
  private static final ExecutorService NODE_READERS = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60,
      TimeUnit.SECONDS, new SynchronousQueue<>(), work -> {
        Thread thread = new Thread(work, "redis-pipeline-node-" + THREADS.incrementAndGet());
        thread.setDaemon(true);
        return thread;
      });

  private Pipelines() {}

  /** A pipeline on {@code redis}; on a Redis Cluster, one whose per-node replies are read on shared threads. */
  public static AbstractPipeline open(UnifiedJedis redis) {
    if (redis instanceof RedisClusterClient cluster) {
      return cluster.pipelined(NODE_READERS);
    }
    return redis.pipelined();
  }
}
