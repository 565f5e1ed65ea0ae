package io.redisbridge.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * A primary, one replica and three sentinels as real {@code redis-server} processes on loopback: the
 * smallest Sentinel deployment that can fail over (quorum 2). The data nodes and the sentinels have
 * different passwords, as in production. Failovers: {@link #failover()} asks the sentinels for one;
 * {@link #killPrimary()} SIGKILLs the primary and waits until the sentinels promoted the replica.
 */
public final class RedisSentinelSet implements AutoCloseable {

  public static final String MASTER_NAME = "orders-primary";
  public static final String DATA_PASSWORD = "data-secret";
  public static final String SENTINEL_PASSWORD = "sentinel-secret";

  private final List<LocalRedisProcess> dataNodes = new ArrayList<>();
  private final List<Process> sentinels = new ArrayList<>();
  private final List<Integer> sentinelPorts = new ArrayList<>();
  private final Path sentinelDir;

  private RedisSentinelSet() throws IOException {
    this.sentinelDir = Files.createTempDirectory("redis-sentinels-");
  }

  public static RedisSentinelSet start() {
    String executable = RedisServerExtension.findOnPath("redis-server").orElseThrow(() -> new IllegalStateException(
        "redis-server is not installed (apt-get install -y redis-server)")).toString();
    RedisSentinelSet set = null;
    try {
      set = new RedisSentinelSet();
      List<String> auth = List.of("--requirepass", DATA_PASSWORD, "--masterauth", DATA_PASSWORD,
          "--appendfsync", "always");
      LocalRedisProcess primary = LocalRedisProcess.start(executable, auth);
      set.dataNodes.add(primary);
      List<String> replicaArgs = new ArrayList<>(auth);
      replicaArgs.addAll(List.of("--replicaof", "127.0.0.1", Integer.toString(primary.port())));
      LocalRedisProcess replica = LocalRedisProcess.start(executable, replicaArgs);
      set.dataNodes.add(replica);
      RedisSentinelSet nodes = set;
      await("the replica is in sync").atMost(Duration.ofSeconds(30))
          .until(() -> nodes.info(replica.port(), "replication").contains("master_link_status:up"));
      for (int i = 0; i < 3; i++) {
        set.startSentinel(executable, i, primary.port());
      }
      RedisSentinelSet started = set;
      await("every sentinel sees the replica and the other sentinels").atMost(Duration.ofSeconds(60))
          .until(() -> started.sentinelPorts.stream().allMatch(port -> started.sentinelKnowsEveryone(port)));
      return set;
    } catch (IOException e) {
      if (set != null) {
        set.close();
      }
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      if (set != null) {
        set.close();
      }
      throw e;
    }
  }

  private void startSentinel(String executable, int index, int primaryPort) throws IOException {
    int port = freePort();
    Path dir = Files.createDirectories(sentinelDir.resolve("sentinel-" + index));
    Path config = dir.resolve("sentinel.conf");
    Files.writeString(config, String.join("\n",
        "port " + port,
        "bind 127.0.0.1",
        "dir " + dir,
        "logfile " + dir.resolve("sentinel.log"),
        "requirepass " + SENTINEL_PASSWORD,
        "sentinel monitor " + MASTER_NAME + " 127.0.0.1 " + primaryPort + " 2",
        "sentinel auth-pass " + MASTER_NAME + " " + DATA_PASSWORD,
        "sentinel down-after-milliseconds " + MASTER_NAME + " 1000",
        "sentinel failover-timeout " + MASTER_NAME + " 10000",
        "sentinel parallel-syncs " + MASTER_NAME + " 1",
        ""));
    Process sentinel = new ProcessBuilder(executable, config.toString(), "--sentinel").redirectErrorStream(true)
        .redirectOutput(dir.resolve("stdout.log").toFile()).start();
    sentinels.add(sentinel);
    sentinelPorts.add(port);
    await("sentinel on port " + port + " answers").atMost(Duration.ofSeconds(30)).until(() -> {
      try (Jedis jedis = sentinel(port)) {
        return "PONG".equals(jedis.ping());
      } catch (RuntimeException e) {
        return false;
      }
    });
  }

  private boolean sentinelKnowsEveryone(int port) {
    try (Jedis jedis = sentinel(port)) {
      return !jedis.sentinelReplicas(MASTER_NAME).isEmpty() && jedis.sentinelSentinels(MASTER_NAME).size() == 2;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static Jedis sentinel(int port) {
    return new Jedis(new HostAndPort("127.0.0.1", port),
        DefaultJedisClientConfig.builder().password(SENTINEL_PASSWORD).timeoutMillis(2000).build());
  }

  private String info(int port, String section) {
    try (Jedis jedis = new Jedis(new HostAndPort("127.0.0.1", port),
        DefaultJedisClientConfig.builder().password(DATA_PASSWORD).timeoutMillis(2000).build())) {
      return jedis.info(section);
    }
  }

  /** The sentinels' ports, e.g. to put a proxy in front of each. */
  public List<Integer> sentinelPorts() {
    return List.copyOf(sentinelPorts);
  }

  /** The sentinels' addresses as redis.uri takes them. */
  public String sentinelUri() {
    return String.join(",", sentinelPorts.stream().map(port -> "redis://127.0.0.1:" + port).toList());
  }

  /** The primary the sentinels name now. */
  public HostAndPort primary() {
    try (Jedis jedis = sentinel(sentinelPorts.get(0))) {
      return jedis.sentinelGetMasterAddrByName(MASTER_NAME).stream().collect(
          java.util.stream.Collectors.collectingAndThen(java.util.stream.Collectors.toList(),
              parts -> new HostAndPort(parts.get(0), Integer.parseInt(parts.get(1)))));
    }
  }

  /** A connection to the current primary (the caller closes it). */
  public Jedis primaryClient() {
    return new Jedis(primary(), DefaultJedisClientConfig.builder().password(DATA_PASSWORD).timeoutMillis(20_000)
        .build());
  }

  /**
   * SENTINEL FAILOVER: the replica becomes the primary and the old primary its replica; returns once the
   * old primary replicates the new one again.
   */
  public void failover() {
    HostAndPort before = primary();
    try (Jedis jedis = sentinel(sentinelPorts.get(0))) {
      jedis.sentinelFailover(MASTER_NAME);
    }
    awaitPrimaryOtherThan(before);
    await("the old primary replicates the new one").atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .until(() -> info(before.getPort(), "replication").contains("master_link_status:up")
            && info(primary().getPort(), "replication").contains("connected_slaves:1"));
  }

  /** SIGKILL of the primary; returns once the sentinels promoted the replica. */
  public void killPrimary() {
    HostAndPort before = primary();
    node(before.getPort()).kill();
    awaitPrimaryOtherThan(before);
  }

  /**
   * Starts the data node on {@code port} again (after {@link #killPrimary()}) and waits until the deployment
   * is whole: the sentinels make it a replica (or, rarely, promote it once it has synced).
   */
  public void restartNode(int port) {
    node(port).restart();
    // Usually the restarted node comes back as a replica of the new primary. Under load a sentinel may
    // finish a failover it began earlier and promote the restarted node itself (once it has synced): then
    // the other node replicates it. Either way the deployment is whole again when its replica is in sync.
    await("the restarted node back, primary and replica in sync").atMost(Duration.ofSeconds(60))
        .ignoreExceptions().until(() -> {
          int primaryPort = primary().getPort();
          return replicaPorts().stream().allMatch(replica -> info(replica, "replication")
                  .contains("master_link_status:up"))
              && info(primaryPort, "replication").contains("connected_slaves:" + (dataNodes.size() - 1));
        });
  }

  /** The ports of the data nodes that are not the primary now. */
  public List<Integer> replicaPorts() {
    int primary = primary().getPort();
    return dataNodes.stream().map(LocalRedisProcess::port).filter(port -> port != primary).toList();
  }

  /** The data node process on {@code port}. */
  public LocalRedisProcess node(int port) {
    return dataNodes.stream().filter(node -> node.port() == port).findFirst().orElseThrow();
  }

  /** Waits until the sentinels have promoted a node other than {@code before}, e.g. after killing it by hand. */
  public void awaitPrimaryOtherThan(HostAndPort before) {
    await("the sentinels promote a new primary").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
        .until(() -> {
          HostAndPort now = primary();
          return !now.equals(before) && info(now.getPort(), "replication").contains("role:master");
        });
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() {
    for (Process sentinel : sentinels) {
      sentinel.destroyForcibly();
      try {
        sentinel.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    dataNodes.forEach(LocalRedisProcess::close);
  }
}
