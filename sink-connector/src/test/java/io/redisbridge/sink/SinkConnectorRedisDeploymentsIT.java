package io.redisbridge.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.redisbridge.testing.ConnectClusterExtension;
import io.redisbridge.testing.RedisSentinelExtension;
import io.redisbridge.testing.RedisSentinelSet;
import io.redisbridge.testing.RedisServerExtension;
import io.redisbridge.testing.StreamContents;
import io.redisbridge.testing.TlsMaterial;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/** The sink against production Redis set-ups: mutual TLS with PEM files, Sentinel failovers, WAIT for replicas. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SinkConnectorRedisDeploymentsIT {

  private static final TlsMaterial TLS = TlsMaterial.create();

  @RegisterExtension
  @Order(1)
  static final RedisServerExtension tlsServer =
      new RedisServerExtension(TLS.mutualServerArgs().toArray(String[]::new));

  @RegisterExtension
  @Order(2)
  static final ConnectClusterExtension connect = new ConnectClusterExtension();

  @RegisterExtension
  @Order(3)
  static final RedisSentinelExtension sentinels = new RedisSentinelExtension();

  private static Map<String, String> sinkConfig(String topic, String redisUri) {
    Map<String, String> config = new HashMap<>();
    config.put("connector.class", RedisStreamsSinkConnector.class.getName());
    config.put("tasks.max", "1");
    config.put("topics", topic);
    config.put("redis.uri", redisUri);
    config.put("trim.strategy", "none");
    config.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
    config.put("value.converter", "org.apache.kafka.connect.storage.StringConverter");
    return config;
  }

  private static Map<String, String> sentinelConfig(String topic) {
    Map<String, String> config = sinkConfig(topic, sentinels.set().sentinelUri());
    config.put("redis.mode", "sentinel");
    config.put("redis.sentinel.master", RedisSentinelSet.MASTER_NAME);
    config.put("redis.sentinel.password", RedisSentinelSet.SENTINEL_PASSWORD);
    config.put("redis.password", RedisSentinelSet.DATA_PASSWORD);
    config.put("redis.wait.replicas", "1");
    config.put("redis.wait.timeout.ms", "500");
    config.put("redis.retry.backoff.max.ms", "1000");
    return config;
  }

  private static void produce(String topic, int from, int to) {
    try (KafkaProducer<byte[], byte[]> producer = connect.cluster().kafka().createProducer(Map.of(
        "linger.ms", 20, "acks", "all"))) {
      for (int n = from; n < to; n++) {
        producer.send(new ProducerRecord<>(topic, ("order-" + n).getBytes(StandardCharsets.UTF_8)));
      }
      producer.flush();
    }
  }

  /** The distinct values in {@code stream} on the primary the sentinels name now. */
  private static Set<String> valuesOnPrimary(String stream) {
    Set<String> values = new HashSet<>();
    try (Jedis primary = sentinels.set().primaryClient()) {
      values.addAll(StreamContents.values(primary, stream, "value"));
      return values;
    } catch (RuntimeException e) {
      return values; // between a failover and the next answer: not yet
    }
  }

  private static Set<String> expected(int count) {
    Set<String> values = new HashSet<>();
    for (int n = 0; n < count; n++) {
      values.add("order-" + n);
    }
    return values;
  }

  @Test
  @Order(1)
  void writesOverMutualTlsWithPemFiles() {
    connect.createTopic("tls-in", 1);
    produce("tls-in", 0, 500);
    Map<String, String> config = sinkConfig("tls-in", "rediss://127.0.0.1:" + TLS.tlsPort());
    config.put("redis.tls.ca.pem.path", TLS.caPem().toString());
    config.put("redis.tls.certificate.pem.path", TLS.clientCertificatePem().toString());
    config.put("redis.tls.key.pem.path", TLS.clientKeyPkcs1Pem().toString());

    connect.deployAndAwaitRunning("tls-sink", config, 1);

    await().atMost(Duration.ofSeconds(60)).until(() -> tlsServer.client().xlen("tls-in") == 500);
    connect.delete("tls-sink");
  }

  @Test
  @Order(2)
  void aPausedReplicaHoldsBatchesBackUntilItHasThem() {
    connect.createTopic("wait-in", 1);
    connect.deployAndAwaitRunning("wait-sink", sentinelConfig("wait-in"), 1);
    produce("wait-in", 0, 1_000);
    await().atMost(Duration.ofSeconds(60)).until(() -> valuesOnPrimary("wait-in").size() == 1_000);

    HostAndPort primary = sentinels.set().primary();
    int replicaPort = sentinels.set().replicaPorts().get(0);
    sentinels.set().node(replicaPort).pause();
    try {
      produce("wait-in", 1_000, 2_000);
      // The next batch reaches the primary, but no replica confirms it: it is retried, never committed, and
      // the batches after it wait.
      await().atMost(Duration.ofSeconds(60)).until(() -> valuesOnPrimary("wait-in").size() > 1_000);
      await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
          .until(() -> committedOffset("wait-sink", "wait-in") <= 1_000);
      assertThat(sentinels.set().primary()).isEqualTo(primary);
    } finally {
      sentinels.set().node(replicaPort).resume();
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> committedOffset("wait-sink", "wait-in") == 2_000);
    assertThat(valuesOnPrimary("wait-in")).isEqualTo(expected(2_000));
    connect.awaitRunning("wait-sink", 1);
    connect.delete("wait-sink");
  }

  @Test
  @Order(3)
  void exactlyOnceWaitsForAPausedReplicaAndWritesNothingTwice() {
    connect.createTopic("eos-wait-in", 1);
    Map<String, String> config = sentinelConfig("eos-wait-in");
    config.put("exactly.once.enabled", "true");
    connect.deployAndAwaitRunning("eos-wait-sink", config, 1);
    produce("eos-wait-in", 0, 1_000);
    await().atMost(Duration.ofSeconds(60)).until(() -> committedOffset("eos-wait-sink", "eos-wait-in") == 1_000);

    int replicaPort = sentinels.set().replicaPorts().get(0);
    String storedOffsets = "{eos-wait-in}:kafka-offsets:eos-wait-sink";
    sentinels.set().node(replicaPort).pause();
    try {
      produce("eos-wait-in", 1_000, 2_000);
      // The transaction commits on the primary and the retried batch finds its offsets stored there: it
      // writes nothing, yet still waits for the replica, so Kafka's offsets stay behind.
      await().atMost(Duration.ofSeconds(60)).until(() -> storedNext(storedOffsets, "eos-wait-in") > 1_000);
      await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
          .until(() -> committedOffset("eos-wait-sink", "eos-wait-in") <= 1_000);
    } finally {
      sentinels.set().node(replicaPort).resume();
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> committedOffset("eos-wait-sink", "eos-wait-in") == 2_000);
    try (Jedis primary = sentinels.set().primaryClient()) {
      assertThat(primary.xlen("eos-wait-in")).isEqualTo(2_000);
    }
    assertThat(valuesOnPrimary("eos-wait-in")).isEqualTo(expected(2_000));
    connect.awaitRunning("eos-wait-sink", 1);
    connect.delete("eos-wait-sink");
  }

  /** The next offset of the topic's partition 0 stored in {@code hash}; 0 when none is or the primary is away. */
  private static long storedNext(String hash, String topic) {
    try (Jedis primary = sentinels.set().primaryClient()) {
      String next = primary.hget(hash, topic + ":0");
      return next == null ? 0 : Long.parseLong(next);
    } catch (RuntimeException e) {
      return 0;
    }
  }

  @Test
  @Order(4)
  void followsSentinelFailoversAndLosesNothing() {
    connect.createTopic("failover-in", 1);
    connect.deployAndAwaitRunning("failover-sink", sentinelConfig("failover-in"), 1);

    produce("failover-in", 0, 20_000);
    await().atMost(Duration.ofSeconds(60)).until(() -> valuesOnPrimary("failover-in").size() >= 5_000);
    sentinels.set().failover();
    produce("failover-in", 20_000, 40_000);
    await().atMost(Duration.ofSeconds(90)).until(() -> valuesOnPrimary("failover-in").size() >= 25_000);
    HostAndPort killed = sentinels.set().primary();
    sentinels.set().killPrimary();
    produce("failover-in", 40_000, 60_000);
    // The new primary has no replica until the killed node comes back as one: until then WAIT holds the sink.
    sentinels.set().restartNode(killed.getPort());

    await().atMost(Duration.ofMinutes(3)).until(() -> valuesOnPrimary("failover-in").size() == 60_000);
    assertThat(valuesOnPrimary("failover-in")).isEqualTo(expected(60_000));
    connect.awaitRunning("failover-sink", 1);
    connect.delete("failover-sink");
  }

  @Test
  @Order(5)
  void exactlyOnceRewritesWhatAFailoverRolledBackThoughTheTaskSawNoError() {
    connect.createTopic("rollback-in", 1);
    Map<String, String> config = sentinelConfig("rollback-in");
    config.remove("redis.wait.replicas");
    config.put("exactly.once.enabled", "true");
    connect.deployAndAwaitRunning("rollback-sink", config, 1);
    String storedOffsets = "{rollback-in}:kafka-offsets:rollback-sink";
    produce("rollback-in", 0, 1_000);
    await().atMost(Duration.ofSeconds(60)).until(() -> storedNext(storedOffsets, "rollback-in") == 1_000);

    // Writes only the primary gets: the replica is stopped, and cut off so that the kernel does not keep
    // the primary's stream for it, until the primary is dead.
    HostAndPort primary = sentinels.set().primary();
    int replicaPort = sentinels.set().replicaPorts().get(0);
    sentinels.set().node(replicaPort).pause();
    try {
      try (Jedis jedis = sentinels.set().primaryClient()) {
        jedis.clientKill(redis.clients.jedis.params.ClientKillParams.clientKillParams()
            .type(redis.clients.jedis.args.ClientType.REPLICA));
      }
      produce("rollback-in", 1_000, 2_000);
      await().atMost(Duration.ofSeconds(60)).until(() -> storedNext(storedOffsets, "rollback-in") == 2_000);
      sentinels.set().node(primary.getPort()).kill();
    } finally {
      sentinels.set().node(replicaPort).resume();
    }
    sentinels.set().awaitPrimaryOtherThan(primary);
    sentinels.set().restartNode(primary.getPort());
    assertThat(storedNext(storedOffsets, "rollback-in")).as("rolled back with the primary").isEqualTo(1_000);

    // The idle task gets its next records through a client that already follows the new primary.
    produce("rollback-in", 2_000, 3_000);
    await().atMost(Duration.ofSeconds(90)).until(() -> storedNext(storedOffsets, "rollback-in") == 3_000);
    try (Jedis newPrimary = sentinels.set().primaryClient()) {
      assertThat(newPrimary.xlen("rollback-in")).isEqualTo(3_000);
    }
    assertThat(valuesOnPrimary("rollback-in")).isEqualTo(expected(3_000));
    connect.awaitRunning("rollback-sink", 1);
    connect.delete("rollback-sink");
  }

  /** The offset the sink's consumer group committed for partition 0 of {@code topic}, 0 when none. */
  private static long committedOffset(String connector, String topic) {
    try (var admin = org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers",
        connect.bootstrapServers()))) {
      var offsets = admin.listConsumerGroupOffsets("connect-" + connector).partitionsToOffsetAndMetadata().get();
      var committed = offsets.get(new org.apache.kafka.common.TopicPartition(topic, 0));
      return committed == null ? 0 : committed.offset();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
