package io.redisbridge.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.UnifiedJedis;

/**
 * A real three-primary Redis Cluster of private {@code redis-server} processes, created with
 * {@code redis-cli --cluster create}, for tests of slot handling. Needs redis-server and redis-cli on the PATH.
 */
public final class RedisClusterExtension implements BeforeAllCallback, AfterAllCallback {

  private static final int NODES = 3;
  private final List<LocalRedisProcess> nodes = new ArrayList<>();

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    String server = RedisServerExtension.findOnPath("redis-server")
        .orElseThrow(() -> new IllegalStateException(RedisServerExtension.INSTALL_HINT)).toString();
    String cli = RedisServerExtension.findOnPath("redis-cli")
        .orElseThrow(() -> new IllegalStateException("redis-cli is missing: apt-get install -y redis-tools"))
        .toString();
    for (int i = 0; i < NODES; i++) {
      nodes.add(LocalRedisProcess.start(server, List.of("--cluster-enabled", "yes",
          "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "5000")));
    }
    List<String> command = new ArrayList<>(List.of(cli, "--cluster", "create"));
    nodes.forEach(node -> command.add(node.host() + ":" + node.port()));
    command.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
    Process create = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(create.getInputStream().readAllBytes());
    if (!create.waitFor(60, TimeUnit.SECONDS) || create.exitValue() != 0) {
      throw new IOException("redis-cli --cluster create failed:\n" + output);
    }
    await("cluster state ok on every node").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
        .until(() -> nodes.stream().allMatch(node -> {
          try (Jedis jedis = new Jedis(node.host(), node.port(), 1000)) {
            return jedis.clusterInfo().contains("cluster_state:ok");
          }
        }));
  }

  @Override
  public void afterAll(ExtensionContext context) {
    nodes.forEach(LocalRedisProcess::close);
    nodes.clear();
  }

  /** Seed nodes as the connectors' redis.uri takes them with redis.mode=cluster. */
  public String uri() {
    return nodes.stream().map(node -> "redis://" + node.host() + ":" + node.port()).collect(Collectors.joining(","));
  }

  public UnifiedJedis newClient() {
    Set<HostAndPort> seeds = new HashSet<>();
    nodes.forEach(node -> seeds.add(new HostAndPort(node.host(), node.port())));
    return RedisClusterClient.create(seeds);
  }
}
