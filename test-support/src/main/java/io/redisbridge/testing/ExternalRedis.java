package io.redisbridge.testing;

import java.net.URI;
import org.junit.jupiter.api.Assumptions;
import redis.clients.jedis.Jedis;

/**
 * A server the environment provides through {@code REDIS_URL}. The fixture does not own it, so it
 * cannot stop or restart it: tests that need that are skipped with a message saying so.
 */
final class ExternalRedis implements RedisServer {

  private final URI uri;

  ExternalRedis(String url) {
    this.uri = URI.create(url);
  }

  @Override
  public String host() {
    return uri.getHost();
  }

  @Override
  public int port() {
    return uri.getPort() == -1 ? 6379 : uri.getPort();
  }

  @Override
  public String uri() {
    return uri.toString();
  }

  @Override
  public boolean isAnswering() {
    try (Jedis jedis = new Jedis(uri, 500)) {
      return "PONG".equals(jedis.ping());
    } catch (RuntimeException e) {
      return false;
    }
  }

  @Override
  public void stop() {
    notOwned("stop");
  }

  @Override
  public void kill() {
    notOwned("kill");
  }

  @Override
  public void restart() {
    notOwned("restart");
  }

  private static void notOwned(String action) {
    Assumptions.abort("cannot " + action + " the external Redis server named by REDIS_URL;"
        + " unset REDIS_URL to run this test on a private redis-server");
  }

  @Override
  public void close() {
    // Not ours to stop.
  }
}
