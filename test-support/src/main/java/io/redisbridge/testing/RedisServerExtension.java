package io.redisbridge.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import redis.clients.jedis.UnifiedJedis;

/**
 * Gives a test class one real Redis server, chosen in this order: the server named by
 * {@code REDIS_URL}; a private {@code redis-server} from the PATH; {@code redis:7} in a container
 * when a Docker engine answers. With none of them the class fails with the install command.
 *
 * <pre>{@code @RegisterExtension static RedisServerExtension redis = new RedisServerExtension();}</pre>
 */
public final class RedisServerExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
    AfterEachCallback {

  static final String INSTALL_HINT = "No Redis server for the tests: set REDIS_URL to a Redis 7 server,"
      + " or install redis-server (Debian/Ubuntu: sudo apt-get install -y redis-server;"
      + " macOS: brew install redis), or start a Docker engine so Testcontainers can run redis:7.";

  private final List<String> extraArgs;
  private RedisServer server;
  private UnifiedJedis client;

  /** {@code extraArgs} are passed to the server, e.g. {@code "--appendfsync", "always"}. */
  public RedisServerExtension(String... extraArgs) {
    this.extraArgs = List.of(extraArgs);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    server = startServer(extraArgs);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (server != null) {
      server.close();
      server = null;
    }
  }

  /** A client for the current test, opened before it and closed after it. */
  public UnifiedJedis client() {
    if (client == null) {
      throw new IllegalStateException("Redis client used outside a test method");
    }
    return client;
  }

  /** A fresh client, e.g. after the test restarted the server and pooled connections broke. */
  public UnifiedJedis reconnect() {
    if (client != null) {
      client.close();
    }
    client = server().newClient();
    return client;
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    client = server().newClient();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (client != null) {
      client.close();
      client = null;
    }
  }

  public RedisServer server() {
    if (server == null) {
      throw new IllegalStateException("Redis fixture used outside the test class lifecycle");
    }
    return server;
  }

  /** Starts a server by the documented order of choice; the caller closes it. */
  public static RedisServer startServer(List<String> extraArgs) {
    String url = System.getenv("REDIS_URL");
    if (url != null && !url.isBlank()) {
      return new ExternalRedis(url);
    }
    Optional<Path> executable = findOnPath("redis-server");
    if (executable.isPresent()) {
      return LocalRedisProcess.start(executable.get().toString(), extraArgs);
    }
    if (ContainerRedis.dockerAvailable()) {
      return ContainerRedis.start(extraArgs);
    }
    throw new IllegalStateException(INSTALL_HINT);
  }

  static Optional<Path> findOnPath(String program) {
    String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
    return Arrays.stream(path.split(java.io.File.pathSeparator))
        .filter(dir -> !dir.isBlank())
        .map(dir -> Path.of(dir, program))
        .filter(Files::isExecutable)
        .findFirst();
  }
}
