package io.redisbridge.testing;

import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;

/**
 * A real Redis server that a test talks to. Which kind it is (a private process, a container, or an
 * external server named by {@code REDIS_URL}) is chosen by {@link RedisServerExtension}.
 */
public interface RedisServer extends AutoCloseable {

  String host();

  int port();

  /** The URI a connector config takes, e.g. {@code redis://127.0.0.1:6390}. */
  default String uri() {
    return "redis://" + host() + ":" + port();
  }

  /** A new client; the caller closes it. */
  default UnifiedJedis newClient() {
    // Jedis's 2 s default is too short for a test's own writes on a busy 2-core machine: a 5 MB XADD
    // with the append-only file once took longer. The connectors' default (10 s) suits tests too.
    return RedisClient.builder().hostAndPort(host(), port())
        .clientConfig(redis.clients.jedis.DefaultJedisClientConfig.builder().socketTimeoutMillis(10_000).build())
        .build();
  }

  /** Graceful shutdown: Redis flushes its append-only file before exiting. */
  void stop();

  /** Abrupt end (SIGKILL): what a crashed or OOM-killed server looks like. */
  void kill();

  /** Starts the server again on the same port with the same data directory. */
  void restart();

  /** True while the server answers PING. */
  boolean isAnswering();

  @Override
  void close();
}
