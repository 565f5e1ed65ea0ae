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
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * A real three-primary Redis Cluster of private {@code redis-server} processes, created with
 * {@code redis-cli --cluster create}: what {@link RedisClusterExtension} gives tests, and what the benchmark's
 * cluster phase reads from. Needs redis-server and redis-cli on the PATH.
 */
public final class LocalRedisCluster implements AutoCloseable {

  private static final int PRIMARIES = 3;
  private final int replicasPerPrimary;
  private final String nodeTimeoutMs;
  private final List<LocalRedisProcess> nodes = new ArrayList<>();
  /** With {@link #behindLatency}: the proxy in front of each node, which clients reach the cluster through. */
  private final List<FaultProxy> proxies = new ArrayList<>();

  private LocalRedisCluster(int replicasPerPrimary, String nodeTimeoutMs) {
    this.replicasPerPrimary = replicasPerPrimary;
    this.nodeTimeoutMs = nodeTimeoutMs;
  }

  /**
   * Starts three primaries with {@code replicasPerPrimary} replicas each; a node that cannot reach its
   * peers for {@code nodeTimeoutMs} counts as failed (a short one lets a replica take over within seconds).
   */
  public static LocalRedisCluster start(int replicasPerPrimary, String nodeTimeoutMs) throws IOException,
      InterruptedException {
    LocalRedisCluster cluster = new LocalRedisCluster(replicasPerPrimary, nodeTimeoutMs);
    try {
      cluster.create();
    } catch (IOException | InterruptedException | RuntimeException e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  private void create() throws IOException, InterruptedException {
    String server = RedisServerExtension.findOnPath("redis-server")
        .orElseThrow(() -> new IllegalStateException(RedisServerExtension.INSTALL_HINT)).toString();
    String cli = RedisServerExtension.findOnPath("redis-cli")
        .orElseThrow(() -> new IllegalStateException("redis-cli is missing: apt-get install -y redis-tools"))
        .toString();
    for (int i = 0; i < PRIMARIES * (1 + replicasPerPrimary); i++) {
      nodes.add(LocalRedisProcess.start(server, List.of("--cluster-enabled", "yes",
          "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", nodeTimeoutMs,
          "--repl-diskless-sync-delay", "0")));
    }
    List<String> command = new ArrayList<>(List.of(cli, "--cluster", "create"));
    nodes.forEach(node -> command.add(node.host() + ":" + node.port()));
    command.addAll(List.of("--cluster-replicas", Integer.toString(replicasPerPrimary), "--cluster-yes"));
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
    awaitReplicasInSync();
  }

  private void awaitReplicasInSync() {
    await("every replica in sync with its primary").atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100)).ignoreExceptions()
        .until(() -> nodes.stream().filter(LocalRedisProcess::isAnswering).allMatch(node -> {
          try (Jedis jedis = new Jedis(node.host(), node.port(), 1000)) {
            String replication = jedis.info("replication");
            return replication.contains("role:master") || replication.contains("master_link_status:up");
          }
        }) && livePrimaries().size() == PRIMARIES);
  }

  /**
   * Puts a proxy in front of each node that holds every reply back {@code latencyMs}, and has the nodes
   * announce the proxies instead of themselves: clients that learn the cluster's layout from it reach every
   * node through a slow link, as across a network. The nodes still talk to each other directly.
   */
  public LocalRedisCluster behindLatency(long latencyMs) {
    for (LocalRedisProcess node : nodes) {
      FaultProxy proxy = FaultProxy.to(node.port());
      proxy.latency(latencyMs);
      proxies.add(proxy);
      try (Jedis jedis = new Jedis(node.host(), node.port(), 1000)) {
        jedis.configSet("cluster-announce-bus-port", Integer.toString(node.port() + 10_000));
        jedis.configSet("cluster-announce-port", Integer.toString(proxy.port()));
      }
    }
    Set<Integer> proxyPorts = proxies.stream().map(FaultProxy::port).collect(Collectors.toSet());
    await("every node names the proxies").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
        .until(() -> nodes.stream().allMatch(node -> {
          try (Jedis jedis = new Jedis(node.host(), node.port(), 1000)) {
            return ClusterNode.parse(jedis.clusterNodes()).stream()
                .allMatch(known -> proxyPorts.contains(known.address().getPort()));
          }
        }));
    return this;
  }

  @Override
  public void close() {
    proxies.forEach(FaultProxy::close);
    proxies.clear();
    nodes.forEach(LocalRedisProcess::close);
    nodes.clear();
  }

  /** The process ID of each node, for CPU accounting. */
  public List<Long> pids() {
    return nodes.stream().map(LocalRedisProcess::pid).toList();
  }

  /** The primaries that answer, by the slots they serve, as a live node's CLUSTER NODES tells them. */
  private List<ClusterNode> livePrimaries() {
    for (LocalRedisProcess node : nodes) {
      if (!node.isAnswering()) {
        continue;
      }
      try (Jedis jedis = new Jedis(node.host(), node.port(), 1000)) {
        return ClusterNode.parse(jedis.clusterNodes()).stream()
            .filter(candidate -> candidate.primary() && !candidate.failed() && !candidate.slots().isEmpty())
            .toList();
      }
    }
    throw new IllegalStateException("no cluster node answers");
  }

  /** The primary that serves {@code key}'s slot now. */
  public HostAndPort primaryOf(String key) {
    int slot = JedisClusterCRC16.getSlot(key);
    return livePrimaries().stream().filter(node -> node.serves(slot)).findFirst()
        .map(ClusterNode::address)
        .orElseThrow(() -> new IllegalStateException("no live primary serves slot " + slot));
  }

  /** A direct connection to the primary that serves {@code key}, for writes followed by WAIT. */
  public Jedis primaryClient(String key) {
    HostAndPort primary = primaryOf(key);
    return new Jedis(primary.getHost(), primary.getPort(), 30_000);
  }

  /**
   * SIGKILLs the primary that serves {@code key} and waits until its replica serves the slots and the
   * cluster is ok again; returns the killed node's address.
   */
  public HostAndPort killPrimaryOf(String key) {
    HostAndPort victim = primaryOf(key);
    LocalRedisProcess node = node(victim.getPort());
    node.kill();
    await("a replica takes over the slots of " + victim).atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100)).ignoreExceptions()
        .until(() -> !primaryOf(key).equals(victim) && nodes.stream().filter(live -> live != node)
            .allMatch(live -> {
              try (Jedis jedis = new Jedis(live.host(), live.port(), 1000)) {
                return jedis.clusterInfo().contains("cluster_state:ok");
              }
            }));
    return victim;
  }

  /** Starts a killed node again: it rejoins as a replica of the node that took over, and syncs. */
  public void restart(HostAndPort address) {
    LocalRedisProcess node = node(address.getPort());
    node.restart();
    // Until the cluster tells it otherwise, a returning primary still believes it owns its slots.
    await(address + " back as a replica in sync").atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100)).ignoreExceptions()
        .until(() -> {
          try (Jedis jedis = new Jedis(node.host(), node.port(), 1000)) {
            String replication = jedis.info("replication");
            return replication.contains("role:slave") && replication.contains("master_link_status:up");
          }
        });
    awaitReplicasInSync();
  }

  private LocalRedisProcess node(int port) {
    return nodes.stream().filter(node -> node.port() == port).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no cluster node on port " + port));
  }

  /** Seed nodes as the connectors' redis.uri takes them with redis.mode=cluster. */
  public String uri() {
    return seeds().stream().map(seed -> "redis://" + seed).collect(Collectors.joining(","));
  }

  public UnifiedJedis newClient() {
    return RedisClusterClient.create(new HashSet<>(seeds()));
  }

  /** The nodes, or the proxies in front of them. */
  private List<HostAndPort> seeds() {
    if (!proxies.isEmpty()) {
      return proxies.stream().map(proxy -> new HostAndPort("127.0.0.1", proxy.port())).toList();
    }
    return nodes.stream().map(node -> new HostAndPort(node.host(), node.port())).toList();
  }
}
