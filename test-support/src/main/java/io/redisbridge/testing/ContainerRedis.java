package io.redisbridge.testing;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;
import redis.clients.jedis.Jedis;

/** {@code redis:7} in a container, for machines that have a Docker engine but no redis-server. */
final class ContainerRedis implements RedisServer {

  private final GenericContainer<?> container;

  private ContainerRedis(GenericContainer<?> container) {
    this.container = container;
  }

  static boolean dockerAvailable() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException e) {
      return false;
    }
  }

  @SuppressWarnings("resource") // closed by close()
  static ContainerRedis start(List<String> extraArgs) {
    List<String> command = new ArrayList<>(List.of("redis-server", "--appendonly", "yes", "--save", ""));
    command.addAll(extraArgs);
    GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse("redis:7"))
        .withExposedPorts(6379)
        .withCommand(command.toArray(String[]::new))
        .waitingFor(Wait.forLogMessage(".*Ready to accept connections.*", 1));
    container.start();
    return new ContainerRedis(container);
  }

  @Override
  public String host() {
    return container.getHost();
  }

  @Override
  public int port() {
    return container.getMappedPort(6379);
  }

  @Override
  public boolean isAnswering() {
    try (Jedis jedis = new Jedis(host(), port(), 500)) {
      return "PONG".equals(jedis.ping());
    } catch (RuntimeException e) {
      return false;
    }
  }

  @Override
  public void stop() {
    unsupported("stop");
  }

  @Override
  public void kill() {
    unsupported("kill");
  }

  @Override
  public void restart() {
    unsupported("restart");
  }

  private static void unsupported(String action) {
    // Docker remaps the port on restart, which would break the connector's configured address.
    Assumptions.abort("the container fixture cannot " + action + " Redis on a stable port;"
        + " install redis-server (apt-get install -y redis-server) to run this test");
  }

  @Override
  public void close() {
    container.stop();
  }
}
