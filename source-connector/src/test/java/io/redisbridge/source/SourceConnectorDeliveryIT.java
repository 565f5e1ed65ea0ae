package io.redisbridge.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.redisbridge.testing.ConnectClusterExtension;
import io.redisbridge.testing.RedisServerExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.UnifiedJedis;

/** The source connector in a real Connect cluster against a real Redis: volume, ack timing, recovery. */
class SourceConnectorDeliveryIT {

  @RegisterExtension
  @org.junit.jupiter.api.Order(1)
  static final RedisServerExtension redisServer = new RedisServerExtension("--appendfsync", "always");

  @RegisterExtension
  @org.junit.jupiter.api.Order(2)
  static final ConnectClusterExtension connect = new ConnectClusterExtension(2);

  private static UnifiedJedis redis;

  @BeforeAll
  static void connectToRedis() {
    redis = redisServer.server().newClient();
  }

  @AfterAll
  static void closeRedis() {
    redis.close();
  }

  static Map<String, String> sourceConfig(String streams, String group) {
    Map<String, String> config = new HashMap<>();
    config.put("connector.class", RedisStreamsSourceConnector.class.getName());
    config.put("tasks.max", "1");
    config.put("redis.uri", redisServer.server().uri());
    config.put("redis.streams", streams);
    config.put("redis.consumer.group", group);
    config.put("redis.consumer.group.start.id", "0");
    config.put("key.mode", "id");
    config.put("value.format", "map");
    config.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
    config.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
    config.put("value.converter.schemas.enable", "false");
    return config;
  }

  /** Entry IDs of the records in {@code topic}, read until {@code expected} arrived or time ran out. */
  static Set<String> entryIdsIn(String topic, int expected, Duration timeout) {
    Set<String> ids = new HashSet<>();
    connect.consume(topic, expected, timeout, record -> ids.add(entryId(record)));
    return ids;
  }

  static String entryId(ConsumerRecord<byte[], byte[]> record) {
    return new String(record.headers().lastHeader("redis.entry.id").value(), StandardCharsets.UTF_8);
  }

  @Test
  void deliversEveryEntryOfTwoStreamsWithTwoTasksAndLeavesNothingPending() {
    int perStream = 50_000;
    List<String> idsA = StreamTestData.add(redis, "bulk-a", perStream, StreamTestData::order);
    List<String> idsB = StreamTestData.add(redis, "bulk-b", perStream, StreamTestData::order);
    connect.createTopic("bulk-a", 3);
    connect.createTopic("bulk-b", 3);
    Map<String, String> config = sourceConfig("bulk-a,bulk-b", "bulk");
    config.put("tasks.max", "2");

    connect.deployAndAwaitRunning("bulk-source", config, 2);

    assertThat(entryIdsIn("bulk-a", perStream, Duration.ofMinutes(3))).containsAll(idsA).hasSize(perStream);
    assertThat(entryIdsIn("bulk-b", perStream, Duration.ofMinutes(3))).containsAll(idsB).hasSize(perStream);
    await("every entry acknowledged").atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      assertThat(StreamTestData.pending(redis, "bulk-a", "bulk")).isZero();
      assertThat(StreamTestData.pending(redis, "bulk-b", "bulk")).isZero();
    });
    assertThat(StreamTestData.lag(redis, "bulk-a", "bulk")).isZero();
    assertThat(StreamTestData.lag(redis, "bulk-b", "bulk")).isZero();
    connect.delete("bulk-source");
  }
}
