package io.redisbridge.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.redisbridge.testing.ConnectClusterExtension;
import io.redisbridge.testing.RedisServerExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.resps.StreamEntry;

/**
 * exactly.once.enabled and entry.id.header in a real Connect cluster against a real Redis: the offsets
 * stored next to each stream decide what is written, whatever Kafka redelivers.
 */
class SinkExactlyOnceIT {

  @RegisterExtension
  @Order(1)
  static final RedisServerExtension redisServer = new RedisServerExtension("--appendfsync", "always");

  @RegisterExtension
  @Order(2)
  static final ConnectClusterExtension connect = new ConnectClusterExtension()
      // One broker: transactional producers need the transaction log on it.
      .brokerProperty("transaction.state.log.replication.factor", "1")
      .brokerProperty("transaction.state.log.min.isr", "1");

  private UnifiedJedis redis;

  @BeforeEach
  void useTheFixturesClient() {
    redis = redisServer.client();
  }

  private static Map<String, String> exactlyOnceSink(String topic, String stream) {
    Map<String, String> config = new HashMap<>();
    config.put("connector.class", RedisStreamsSinkConnector.class.getName());
    config.put("tasks.max", "1");
    config.put("topics", topic);
    config.put("redis.uri", redisServer.server().uri());
    config.put("redis.stream", stream);
    config.put("trim.strategy", "none");
    config.put("exactly.once.enabled", "true");
    config.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
    config.put("value.converter", "org.apache.kafka.connect.storage.StringConverter");
    return config;
  }

  private static void produce(String topic, int from, int to, IntFunction<String> key,
      IntFunction<String> entryId) {
    try (KafkaProducer<byte[], byte[]> producer = connect.cluster().kafka().createProducer(Map.of(
        "linger.ms", 5, "acks", "all"))) {
      for (int n = from; n < to; n++) {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, null,
            key.apply(n) == null ? null : key.apply(n).getBytes(StandardCharsets.UTF_8),
            ("record-" + n).getBytes(StandardCharsets.UTF_8));
        if (entryId != null) {
          record.headers().add(new RecordHeader("redis.entry.id", entryId.apply(n).getBytes(StandardCharsets.UTF_8)));
        }
        producer.send(record);
      }
      producer.flush();
    }
  }

  private List<String> values(String stream) {
    List<String> values = new ArrayList<>();
    for (StreamEntry entry : redis.xrange(stream, "-", "+")) {
      values.add(entry.getFields().get("value"));
    }
    return values;
  }

  private static List<String> records(int from, int to) {
    return IntStream.range(from, to).mapToObj(n -> "record-" + n).toList();
  }

  /** Moves the sink's consumer group back to offset 0, behind Connect's back: Kafka redelivers everything. */
  private static void rewindConsumerGroup(String connector, String topic, int partitions) throws Exception {
    Map<TopicPartition, OffsetAndMetadata> start = new HashMap<>();
    for (int p = 0; p < partitions; p++) {
      start.put(new TopicPartition(topic, p), new OffsetAndMetadata(0));
    }
    try (Admin admin = connect.cluster().kafka().createAdminClient()) {
      admin.alterConsumerGroupOffsets("connect-" + connector, start).all().get();
    }
  }

  private void awaitStoredOffset(String stream, String connector, String field, long offset) {
    String key = StreamOffsetStore.keyOf(stream, connector).orElseThrow();
    await(key + " " + field + " reaches " + offset).atMost(Duration.ofSeconds(60))
        .until(() -> String.valueOf(offset).equals(redis.hget(key, field)));
  }

  @Test
  void writesEveryRecordOnceAndStoresTheNextOffsetOfEachPartitionBesideTheStream() {
    connect.createTopic("eos-a", 3);
    produce("eos-a", 0, 3000, n -> "k" + n, null);
    connect.deployAndAwaitRunning("eos-a-sink", exactlyOnceSink("eos-a", "eos-a-out"), 1);

    await("3000 entries").atMost(Duration.ofSeconds(60)).until(() -> redis.xlen("eos-a-out") >= 3000);
    assertThat(values("eos-a-out")).hasSize(3000).doesNotHaveDuplicates().containsAll(records(0, 3000));
    Map<String, String> stored = redis.hgetAll("{eos-a-out}:kafka-offsets:eos-a-sink");
    assertThat(stored.keySet()).containsExactlyInAnyOrder("eos-a:0", "eos-a:1", "eos-a:2");
    assertThat(stored.values().stream().mapToLong(Long::parseLong).sum()).isEqualTo(3000);
    connect.delete("eos-a-sink");
  }

  @Test
  void skipsEveryRecordKafkaRedeliversThatTheStreamAlreadyHas() throws Exception {
    connect.createTopic("eos-b", 2);
    produce("eos-b", 0, 400, n -> "k" + n, null);
    Map<String, String> config = exactlyOnceSink("eos-b", "eos-b-out");
    connect.deployAndAwaitRunning("eos-b-sink", config, 1);
    await("400 entries").atMost(Duration.ofSeconds(60)).until(() -> redis.xlen("eos-b-out") >= 400);

    // Kafka forgets what the sink committed and delivers all 400 again, then 100 new ones.
    connect.stop("eos-b-sink");
    rewindConsumerGroup("eos-b-sink", "eos-b", 2);
    connect.resume("eos-b-sink", 1);
    produce("eos-b", 400, 500, n -> "k" + n, null);

    await("500 entries").atMost(Duration.ofSeconds(60)).until(() -> redis.xlen("eos-b-out") >= 500);
    await("consumer caught up").atMost(Duration.ofSeconds(60)).until(() -> {
      Map<String, String> stored = redis.hgetAll("{eos-b-out}:kafka-offsets:eos-b-sink");
      return stored.values().stream().mapToLong(Long::parseLong).sum() == 500;
    });
    assertThat(values("eos-b-out")).hasSize(500).doesNotHaveDuplicates().containsAll(records(0, 500));
    connect.delete("eos-b-sink");
  }

  @Test
  void resumesFromTheStoredOffsetsWhenRedisLostWritesKafkaAlreadyCommitted() {
    connect.createTopic("eos-c", 1);
    produce("eos-c", 0, 100, n -> null, null);
    connect.deployAndAwaitRunning("eos-c-sink", exactlyOnceSink("eos-c", "eos-c-out"), 1);
    awaitStoredOffset("eos-c-out", "eos-c-sink", "eos-c:0", 100);
    connect.stop("eos-c-sink");

    // What a failover can do: the last 30 entries and their offsets are gone, Kafka's commit is not.
    List<StreamEntry> entries = redis.xrange("eos-c-out", "-", "+");
    entries.subList(70, 100).forEach(entry -> redis.xdel("eos-c-out", entry.getID()));
    redis.hset("{eos-c-out}:kafka-offsets:eos-c-sink", "eos-c:0", "70");
    connect.resume("eos-c-sink", 1);

    awaitStoredOffset("eos-c-out", "eos-c-sink", "eos-c:0", 100);
    assertThat(values("eos-c-out")).containsExactlyElementsOf(records(0, 100));
    connect.delete("eos-c-sink");
  }

  @Test
  void keepsOneOffsetHashPerStreamWithAKeyTemplateAndSkipsPerStream() throws Exception {
    connect.createTopic("eos-d", 1);
    produce("eos-d", 0, 300, n -> "t" + (n % 3), null);
    Map<String, String> config = exactlyOnceSink("eos-d", "eos-d-${key}");
    connect.deployAndAwaitRunning("eos-d-sink", config, 1);
    await("300 entries").atMost(Duration.ofSeconds(60)).until(() ->
        redis.xlen("eos-d-t0") + redis.xlen("eos-d-t1") + redis.xlen("eos-d-t2") >= 300);

    connect.stop("eos-d-sink");
    rewindConsumerGroup("eos-d-sink", "eos-d", 1);
    connect.resume("eos-d-sink", 1);
    produce("eos-d", 300, 330, n -> "t" + (n % 3), null);

    for (int t = 0; t < 3; t++) {
      awaitStoredOffset("eos-d-t" + t, "eos-d-sink", "eos-d:0", 328 + t);
      int shard = t;
      assertThat(values("eos-d-t" + t)).containsExactlyElementsOf(
          IntStream.range(0, 330).filter(n -> n % 3 == shard).mapToObj(n -> "record-" + n).toList());
    }
    connect.delete("eos-d-sink");
  }

  /** With redis.stream.ttl.ms a stream and its stored offsets get the same TTL in the same transaction. */
  @Test
  void aStreamAndItsStoredOffsetsExpireTogether() throws Exception {
    connect.createTopic("eos-g", 1);
    produce("eos-g", 0, 20, n -> "k", null);
    Map<String, String> config = exactlyOnceSink("eos-g", "eos-g-out");
    config.put("redis.stream.ttl.ms", "60000");
    connect.deployAndAwaitRunning("eos-g-sink", config, 1);
    awaitStoredOffset("eos-g-out", "eos-g-sink", "eos-g:0", 20);

    assertThat(redis.pttl("eos-g-out")).isBetween(1L, 60_000L);
    assertThat(redis.pttl("{eos-g-out}:kafka-offsets:eos-g-sink")).isBetween(1L, 60_000L);
    assertThat(Math.abs(redis.pttl("eos-g-out") - redis.pttl("{eos-g-out}:kafka-offsets:eos-g-sink")))
        .as("set in one transaction").isLessThan(1000L);
    connect.delete("eos-g-sink");
  }

  @Test
  void deadLettersRecordsForAKeyOfAnotherTypeBeforeTheTransactionAndWritesTheRestOnce() {
    connect.createTopic("eos-f", 1);
    redis.set("eos-f-bad", "not a stream");
    produce("eos-f", 0, 60, n -> n % 10 == 0 ? "bad" : "good", null);
    Map<String, String> config = exactlyOnceSink("eos-f", "eos-f-${key}");
    config.put("redis.dead.letter.stream", "eos-f-dlq");
    config.put("trim.strategy", "maxlen");
    config.put("trim.maxlen", "1000");
    connect.deployAndAwaitRunning("eos-f-sink", config, 1);

    awaitStoredOffset("eos-f-good", "eos-f-sink", "eos-f:0", 60);
    assertThat(values("eos-f-good")).containsExactlyElementsOf(
        IntStream.range(0, 60).filter(n -> n % 10 != 0).mapToObj(n -> "record-" + n).toList());
    await("dead letters").atMost(Duration.ofSeconds(30)).until(() -> redis.exists("eos-f-dlq")
        && redis.xlen("eos-f-dlq") >= 6);
    assertThat(redis.xrange("eos-f-dlq", "-", "+")).hasSize(6).allSatisfy(letter ->
        assertThat(letter.getFields().get("reason")).contains("eos-f-bad is a string, not a stream"));
    assertThat(redis.type("eos-f-bad")).isEqualTo("string");
    connect.delete("eos-f-sink");
  }

  @Test
  void theOffsetsApiMovesTheStoredOffsetsSoARewindWritesAgainAndAResetForgetsThem() {
    connect.createTopic("eos-e", 1);
    produce("eos-e", 0, 50, n -> null, null);
    connect.deployAndAwaitRunning("eos-e-sink", exactlyOnceSink("eos-e", "eos-e-out"), 1);
    awaitStoredOffset("eos-e-out", "eos-e-sink", "eos-e:0", 50);
    connect.stop("eos-e-sink");

    connect.alterOffsets("eos-e-sink", "{\"offsets\": [{\"partition\": {\"kafka_topic\": \"eos-e\", "
        + "\"kafka_partition\": 0}, \"offset\": {\"kafka_offset\": 40}}]}");
    assertThat(redis.hget("{eos-e-out}:kafka-offsets:eos-e-sink", "eos-e:0")).isEqualTo("40");
    connect.resume("eos-e-sink", 1);
    awaitStoredOffset("eos-e-out", "eos-e-sink", "eos-e:0", 50);
    List<String> expected = new ArrayList<>(records(0, 50));
    expected.addAll(records(40, 50));
    assertThat(values("eos-e-out")).containsExactlyElementsOf(expected);

    connect.stop("eos-e-sink");
    connect.resetOffsets("eos-e-sink");
    assertThat(redis.hexists("{eos-e-out}:kafka-offsets:eos-e-sink", "eos-e:0")).isFalse();
    connect.delete("eos-e-sink");
  }

  @Test
  void keepsTheSourceEntryIdsAndCountsARewrittenEntryAsWrittenNotAsAFailure() throws Exception {
    connect.createTopic("mirror", 1);
    // Even sequence numbers only, so 1000-3 below falls between two entries the stream has.
    produce("mirror", 1, 101, n -> null, n -> "1000-" + (2 * n));
    Map<String, String> config = exactlyOnceSink("mirror", "mirror-out");
    config.put("exactly.once.enabled", "false");
    config.put("entry.id.header", "redis.entry.id");
    config.put("redis.dead.letter.stream", "mirror-dlq");
    connect.deployAndAwaitRunning("mirror-sink", config, 1);
    await("100 entries").atMost(Duration.ofSeconds(60)).until(() -> redis.xlen("mirror-out") >= 100);
    assertThat(redis.xrange("mirror-out", "-", "+")).extracting(StreamEntry::getID)
        .containsExactlyElementsOf(IntStream.range(1, 101).mapToObj(n -> new StreamEntryID(1000, 2L * n)).toList());

    // Kafka delivers everything again, plus one entry that arrives out of ID order.
    connect.stop("mirror-sink");
    rewindConsumerGroup("mirror-sink", "mirror", 1);
    produce("mirror", 1000, 1001, n -> null, n -> "1000-3");
    connect.resume("mirror-sink", 1);

    await("the out-of-order entry is dead-lettered").atMost(Duration.ofSeconds(60))
        .until(() -> redis.exists("mirror-dlq") && redis.xlen("mirror-dlq") >= 1);
    assertThat(redis.xlen("mirror-out")).isEqualTo(100);
    List<StreamEntry> letters = redis.xrange("mirror-dlq", "-", "+");
    assertThat(letters).hasSize(1);
    assertThat(letters.get(0).getFields()).containsEntry("value", "record-1000")
        .hasEntrySatisfying("reason", reason -> assertThat(reason).contains("out of ID order"));
    connect.delete("mirror-sink");
  }

  @Test
  void writesRecordsOfCommittedTransactionsOnceAcrossTheOffsetGapsTheirMarkersLeave() {
    connect.createTopic("eos-tx", 1);
    // Each committed transaction leaves a marker at the offset after its records: offsets have gaps.
    try (KafkaProducer<byte[], byte[]> producer = connect.cluster().kafka().createProducer(Map.of(
        "transactional.id", "eos-tx-producer", "enable.idempotence", true))) {
      producer.initTransactions();
      for (int transaction = 0; transaction < 10; transaction++) {
        producer.beginTransaction();
        for (int n = transaction * 50; n < (transaction + 1) * 50; n++) {
          producer.send(new ProducerRecord<>("eos-tx", ("record-" + n).getBytes(StandardCharsets.UTF_8)));
        }
        producer.commitTransaction();
        if (transaction == 4) {
          connect.deployAndAwaitRunning("eos-tx-sink", withReadCommitted(exactlyOnceSink("eos-tx", "eos-tx-out")), 1);
        }
      }
    }
    // 500 records and 10 markers: the last record's offset is 508, the next to write 509.
    awaitStoredOffset("eos-tx-out", "eos-tx-sink", "eos-tx:0", 509);
    assertThat(values("eos-tx-out")).containsExactlyElementsOf(records(0, 500));
    connect.delete("eos-tx-sink");
  }

  private static Map<String, String> withReadCommitted(Map<String, String> config) {
    config.put("consumer.override.isolation.level", "read_committed");
    return config;
  }
}
