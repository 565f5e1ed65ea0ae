package io.redisbridge.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.redisbridge.testing.ConnectClusterExtension;
import io.redisbridge.testing.RedisClusterExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.util.JedisClusterCRC16;

/** The sink against a real Redis Cluster: one batch pipelined to streams on several nodes. */
class SinkConnectorClusterIT {

  @RegisterExtension
  @Order(1)
  static final RedisClusterExtension redisCluster = new RedisClusterExtension();

  @RegisterExtension
  @Order(2)
  static final ConnectClusterExtension connect = new ConnectClusterExtension();

  @Test
  void writesEachPartitionToItsOwnStreamAcrossClusterSlots() {
    int count = 3_000;
    connect.createTopic("spread", 3);
    Set<Integer> slots = new HashSet<>();
    for (int partition = 0; partition < 3; partition++) {
      slots.add(JedisClusterCRC16.getSlot("spread-" + partition));
    }
    assertThat(slots).hasSize(3);
    try (KafkaProducer<byte[], byte[]> producer = connect.cluster().kafka().createProducer(Map.of())) {
      for (int n = 0; n < count; n++) {
        producer.send(new ProducerRecord<>("spread", n % 3, null, ("v" + n).getBytes(StandardCharsets.UTF_8)));
      }
    }
    Map<String, String> config = new HashMap<>();
    config.put("connector.class", RedisStreamsSinkConnector.class.getName());
    config.put("tasks.max", "1");
    config.put("topics", "spread");
    config.put("redis.uri", redisCluster.uri());
    config.put("redis.mode", "cluster");
    config.put("redis.stream", "${topic}-${partition}");
    config.put("value.converter", "org.apache.kafka.connect.storage.StringConverter");

    connect.deployAndAwaitRunning("spread-sink", config, 1);

    try (UnifiedJedis redis = redisCluster.newClient()) {
      await().atMost(Duration.ofSeconds(60)).until(() ->
          length(redis, "spread-0") + length(redis, "spread-1") + length(redis, "spread-2") == count);
      assertThat(length(redis, "spread-0")).isEqualTo(count / 3);
      assertThat(redis.xrange("spread-1", "-", "+", 1).get(0).getFields()).containsEntry("value", "v1");
    }
    connect.delete("spread-sink");
  }

  @Test
  void writesExactlyOnceWithEachStreamsOffsetsInItsOwnSlot() throws Exception {
    int count = 3_000;
    connect.createTopic("eos-spread", 3);
    try (KafkaProducer<byte[], byte[]> producer = connect.cluster().kafka().createProducer(Map.of())) {
      for (int n = 0; n < count; n++) {
        producer.send(new ProducerRecord<>("eos-spread", n % 3, null, ("v" + n).getBytes(StandardCharsets.UTF_8)));
      }
    }
    Map<String, String> config = new HashMap<>();
    config.put("connector.class", RedisStreamsSinkConnector.class.getName());
    config.put("tasks.max", "1");
    config.put("topics", "eos-spread");
    config.put("redis.uri", redisCluster.uri());
    config.put("redis.mode", "cluster");
    config.put("redis.stream", "${topic}-${partition}");
    config.put("exactly.once.enabled", "true");
    config.put("value.converter", "org.apache.kafka.connect.storage.StringConverter");

    connect.deployAndAwaitRunning("eos-spread-sink", config, 1);

    try (UnifiedJedis redis = redisCluster.newClient()) {
      for (int partition = 0; partition < 3; partition++) {
        String stream = "eos-spread-" + partition;
        String offsets = "{" + stream + "}:kafka-offsets:eos-spread-sink";
        String field = "eos-spread:" + partition;
        assertThat(JedisClusterCRC16.getSlot(offsets)).isEqualTo(JedisClusterCRC16.getSlot(stream));
        await(offsets).atMost(Duration.ofSeconds(60))
            .until(() -> String.valueOf(count / 3).equals(redis.hget(offsets, field)));
        assertThat(length(redis, stream)).isEqualTo(count / 3);
      }
      // Rewound through the offsets API, partition 1 is written again from offset 990 on: 10 more entries.
      connect.stop("eos-spread-sink");
      connect.alterOffsets("eos-spread-sink", "{\"offsets\": [{\"partition\": {\"kafka_topic\": \"eos-spread\", "
          + "\"kafka_partition\": 1}, \"offset\": {\"kafka_offset\": 990}}]}");
      connect.resume("eos-spread-sink", 1);
      await("rewritten tail").atMost(Duration.ofSeconds(60)).until(() -> length(redis, "eos-spread-1") == 1010);
      assertThat(redis.xrevrange("eos-spread-1", "+", "-", 1).get(0).getFields()).containsEntry("value", "v2998");
      assertThat(length(redis, "eos-spread-0")).isEqualTo(count / 3);
    }
    connect.delete("eos-spread-sink");
  }

  private static long length(UnifiedJedis redis, String stream) {
    return redis.exists(stream) ? redis.xlen(stream) : 0;
  }
}
