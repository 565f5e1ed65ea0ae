package io.redisbridge.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.redisbridge.testing.ConnectClusterExtension;
import io.redisbridge.testing.RedisClusterExtension;
import io.redisbridge.testing.StreamContents;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.UnifiedJedis;

/**
 * The sink against a Redis Cluster of three primaries with a replica each: one primary is SIGKILLed
 * while two sinks write streams on every primary, one at-least-once with {@code redis.wait.replicas=1},
 * one exactly once without it. Both follow the promoted replica and stay RUNNING; the first writes every
 * record at least once, the second every record exactly once, re-writing what the dead primary took with it.
 */
class SinkConnectorClusterFailoverIT {

  private static final int PARTITIONS = 3;

  @RegisterExtension
  @Order(1)
  static final RedisClusterExtension redisCluster = RedisClusterExtension.withReplicas();

  @RegisterExtension
  @Order(2)
  static final ConnectClusterExtension connect = new ConnectClusterExtension();

  private static Map<String, String> sinkConfig(String topic) {
    Map<String, String> config = new HashMap<>();
    config.put("connector.class", RedisStreamsSinkConnector.class.getName());
    config.put("tasks.max", "1");
    config.put("topics", topic);
    config.put("redis.uri", redisCluster.uri());
    config.put("redis.mode", "cluster");
    config.put("redis.stream", "${topic}-${partition}");
    config.put("trim.strategy", "none");
    config.put("redis.retry.backoff.max.ms", "1000");
    config.put("value.converter", "org.apache.kafka.connect.storage.StringConverter");
    return config;
  }

  private static void produce(String topic, int from, int to) {
    try (KafkaProducer<byte[], byte[]> producer = connect.cluster().kafka().createProducer(Map.of(
        "linger.ms", 20, "acks", "all"))) {
      for (int n = from; n < to; n++) {
        producer.send(new ProducerRecord<>(topic, n % PARTITIONS, null, ("v" + n).getBytes(StandardCharsets.UTF_8)));
      }
      producer.flush();
    }
  }

  @Test
  void bothDeliveryModesFollowTheKillOfAPrimaryAndLoseNothing() {
    Set<HostAndPort> primaries = new HashSet<>();
    for (int partition = 0; partition < PARTITIONS; partition++) {
      primaries.add(redisCluster.primaryOf("eos-cf-" + partition));
    }
    assertThat(primaries).as("one exactly-once stream on each primary").hasSize(3);
    assertThat(redisCluster.primaryOf("alo-cf-1")).isEqualTo(redisCluster.primaryOf("eos-cf-1"));
    connect.createTopic("alo-cf", PARTITIONS);
    connect.createTopic("eos-cf", PARTITIONS);
    Map<String, String> atLeastOnce = sinkConfig("alo-cf");
    atLeastOnce.put("redis.wait.replicas", "1");
    atLeastOnce.put("redis.wait.timeout.ms", "500");
    Map<String, String> exactlyOnce = sinkConfig("eos-cf");
    exactlyOnce.put("exactly.once.enabled", "true");
    connect.deployAndAwaitRunning("alo-cf-sink", atLeastOnce, 1);
    connect.deployAndAwaitRunning("eos-cf-sink", exactlyOnce, 1);

    produce("alo-cf", 0, 30_000);
    produce("eos-cf", 0, 30_000);
    await().atMost(Duration.ofSeconds(60)).until(() -> valuesIn("eos-cf").size() >= 3_000
        && valuesIn("alo-cf").size() >= 3_000);
    HostAndPort killed = redisCluster.killPrimaryOf("eos-cf-1");
    produce("alo-cf", 30_000, 40_000);
    produce("eos-cf", 30_000, 40_000);
    // Until the killed node is back as its replica, the promoted primary has none: WAIT holds the first sink.
    redisCluster.restart(killed);
    produce("alo-cf", 40_000, 50_000);
    produce("eos-cf", 40_000, 50_000);

    await("at-least-once: every record").atMost(Duration.ofMinutes(3))
        .until(() -> valuesIn("alo-cf").size() == 50_000);
    assertThat(valuesIn("alo-cf")).isEqualTo(expected(50_000));
    await("exactly once: every record").atMost(Duration.ofMinutes(3))
        .until(() -> valuesIn("eos-cf").size() == 50_000);
    List<String> exactly = entriesIn("eos-cf");
    assertThat(exactly).hasSize(50_000);
    assertThat(new HashSet<>(exactly)).isEqualTo(expected(50_000));
    connect.awaitRunning("alo-cf-sink", 1);
    connect.awaitRunning("eos-cf-sink", 1);
    connect.delete("alo-cf-sink");
    connect.delete("eos-cf-sink");
  }

  private static Set<String> expected(int count) {
    Set<String> values = new HashSet<>();
    for (int n = 0; n < count; n++) {
      values.add("v" + n);
    }
    return values;
  }

  private static Set<String> valuesIn(String topic) {
    try {
      return new HashSet<>(entriesIn(topic));
    } catch (RuntimeException e) {
      return Set.of(); // between the kill and the promotion: not yet
    }
  }

  /** The value of every entry of the topic's streams, duplicates included. */
  private static List<String> entriesIn(String topic) {
    List<String> values = new ArrayList<>();
    try (UnifiedJedis redis = redisCluster.newClient()) {
      for (int partition = 0; partition < PARTITIONS; partition++) {
        values.addAll(StreamContents.values(redis, topic + "-" + partition, "value"));
      }
    }
    return values;
  }
}
