package io.redisbridge.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.redisbridge.testing.ConnectClusterExtension;
import io.redisbridge.testing.RedisServerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.XReadGroupParams;

/**
 * The source on a worker with exactly.once.source.support=enabled (KIP-618): records and their
 * per-consumer offsets commit in one transaction, and pending entries Kafka already has are
 * acknowledged instead of produced again. The offsets API moves the consumer group.
 */
class SourceExactlyOnceIT {

  @RegisterExtension
  @Order(1)
  static final RedisServerExtension redisServer = new RedisServerExtension("--appendfsync", "always");

  @RegisterExtension
  @Order(2)
  static final ConnectClusterExtension connect = new ConnectClusterExtension()
      .workerProperty("exactly.once.source.support", "enabled")
      .brokerProperty("transaction.state.log.replication.factor", "1")
      .brokerProperty("transaction.state.log.min.isr", "1");

  private UnifiedJedis redis;

  @BeforeEach
  void useTheFixturesClient() {
    redis = redisServer.client();
  }

  private static Map<String, String> exactlyOnceSource(String stream) {
    Map<String, String> config = SourceConnectorDeliveryIT.baseConfig(redisServer.server().uri(), stream, "g");
    config.put("exactly.once.support", "required");
    return config;
  }

  /** Entry IDs in {@code topic} as a read_committed consumer sees them, one element per record. */
  private static List<String> committedEntryIds(String topic, int expected) {
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "committed-reader-" + System.nanoTime());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<String> ids = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    try (KafkaConsumer<byte[], byte[]> consumer =
        connect.cluster().kafka().createConsumerAndSubscribeTo(props, topic)) {
      // Read past the expected count for a moment, so duplicates would show.
      long quietUntil = Long.MAX_VALUE;
      while (System.nanoTime() < Math.min(deadline, quietUntil)) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          ids.add(StreamTestData.entryId(record));
        }
        if (ids.size() >= expected && quietUntil == Long.MAX_VALUE) {
          quietUntil = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        }
      }
    }
    return ids;
  }

  private void awaitAcknowledged(String stream) {
    await(stream + " acknowledged").atMost(Duration.ofSeconds(30))
        .until(() -> StreamTestData.pending(redis, stream, "g") == 0);
  }

  @Test
  void validateAcceptsExactlyOnceRequiredOnAnExactlyOnceWorker() {
    Map<String, String> config = exactlyOnceSource("eos-validate");
    config.put("name", "eos-validate");

    Map<String, List<String>> errors = connect.validationErrors(RedisStreamsSourceConnector.class.getName(), config);

    assertThat(errors.get("exactly.once.support")).isEmpty();
  }

  @Test
  void deliversEveryEntryOnceUnderOneSourcePartitionPerConsumer() {
    List<String> ids = StreamTestData.add(redis, "eos-orders", 3_000, StreamTestData::order);
    connect.createTopic("eos-orders", 2);
    Map<String, String> config = exactlyOnceSource("eos-orders");
    config.put("tasks.max", "2");
    // Unset, a poll here would read up to 10,000 entries: one task could take all 3,000 before the other reads.
    config.put("redis.read.count", "100");
    connect.deployAndAwaitRunning("eos-orders-source", config, 2);

    List<String> delivered = committedEntryIds("eos-orders", ids.size());

    assertThat(delivered).hasSize(ids.size()).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(ids);
    awaitAcknowledged("eos-orders");
    await("offsets committed").atMost(Duration.ofSeconds(30)).until(() -> {
      Set<String> consumers = new HashSet<>();
      for (JsonNode offset : connect.offsets("eos-orders-source").get("offsets")) {
        consumers.add(offset.get("partition").get("consumer").asText());
      }
      return consumers.equals(Set.of("eos-orders-source-0", "eos-orders-source-1"));
    });
    connect.delete("eos-orders-source");
  }

  @Test
  void acknowledgesPendingEntriesKafkaAlreadyHasInsteadOfProducingThemAgain() {
    List<String> ids = StreamTestData.add(redis, "eos-replay", 1_000, StreamTestData::order);
    connect.createTopic("eos-replay", 1);
    connect.deployAndAwaitRunning("eos-replay-source", exactlyOnceSource("eos-replay"), 1);
    assertThat(committedEntryIds("eos-replay", ids.size())).hasSize(ids.size());
    awaitAcknowledged("eos-replay");
    connect.stop("eos-replay-source");

    // As after a crash between Kafka's commit and the XACK: every entry pending again for the task's consumer.
    redis.xgroupDestroy("eos-replay", "g");
    redis.xgroupCreate("eos-replay", "g", new StreamEntryID(0, 0), false);
    redis.xreadGroup("g", "eos-replay-source-0", XReadGroupParams.xReadGroupParams().count(ids.size()),
        Map.of("eos-replay", StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
    assertThat(StreamTestData.pending(redis, "eos-replay", "g")).isEqualTo(ids.size());
    connect.resume("eos-replay-source", 1);

    await("replayed and acknowledged").atMost(Duration.ofSeconds(60))
        .until(() -> StreamTestData.pending(redis, "eos-replay", "g") == 0);
    assertThat(committedEntryIds("eos-replay", ids.size())).hasSize(ids.size()).doesNotHaveDuplicates();
    connect.delete("eos-replay-source");
  }

  /**
   * transaction.boundary=connector: the task ends its transactions every transaction.max.entries entries,
   * and every entry still arrives once. Connect's own transaction-size metric shows whose boundaries they were.
   */
  @Test
  void theConnectorDrawsItsOwnTransactionBoundariesAndEveryEntryArrivesOnce() throws Exception {
    List<String> ids = StreamTestData.add(redis, "eos-bounded", 2_800, StreamTestData::order);
    connect.createTopic("eos-bounded", 1);
    Map<String, String> config = exactlyOnceSource("eos-bounded");
    config.put("transaction.boundary", "connector");
    config.put("transaction.max.entries", "700");
    config.put("redis.read.count", "100");
    connect.deployAndAwaitRunning("eos-bounded-source", config, 1);

    assertThat(committedEntryIds("eos-bounded", ids.size())).hasSize(ids.size()).doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(ids);
    awaitAcknowledged("eos-bounded");
    javax.management.ObjectName metrics = new javax.management.ObjectName(
        "kafka.connect:type=source-task-metrics,connector=eos-bounded-source,task=0");
    javax.management.MBeanServer jmx = java.lang.management.ManagementFactory.getPlatformMBeanServer();
    double largest = ((Number) jmx.getAttribute(metrics, "transaction-size-max")).doubleValue();
    double average = ((Number) jmx.getAttribute(metrics, "transaction-size-avg")).doubleValue();
    assertThat(largest).as("no transaction beyond 700 entries").isLessThanOrEqualTo(700);
    assertThat(average).as("transactions of many polls (100 entries each), not one per poll").isGreaterThan(150);
    connect.delete("eos-bounded-source");
  }

  /**
   * With the connector's boundaries, a task that has read everything commits at once, however far off
   * transaction.max.entries and transaction.max.ms are; a stop and a restart then send nothing twice.
   */
  @Test
  void anIdleTaskCommitsAtOnceAndARestartSendsNothingTwice() {
    List<String> ids = StreamTestData.add(redis, "eos-idle", 1_000, StreamTestData::order);
    connect.createTopic("eos-idle", 1);
    Map<String, String> config = exactlyOnceSource("eos-idle");
    config.put("transaction.boundary", "connector");
    config.put("transaction.max.entries", "1000000");
    config.put("max.in.flight.entries", "10000000");
    config.put("transaction.max.ms", "600000");
    connect.deployAndAwaitRunning("eos-idle-source", config, 1);

    assertThat(committedEntryIds("eos-idle", ids.size())).as("committed long before ten minutes")
        .hasSize(ids.size()).doesNotHaveDuplicates();
    awaitAcknowledged("eos-idle");
    connect.stop("eos-idle-source");
    List<String> more = StreamTestData.add(redis, "eos-idle", 500, StreamTestData::order);
    connect.resume("eos-idle-source", 1);

    List<String> all = new ArrayList<>(ids);
    all.addAll(more);
    assertThat(committedEntryIds("eos-idle", all.size())).hasSize(all.size()).doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(all);
    awaitAcknowledged("eos-idle");
    connect.delete("eos-idle-source");
  }

  /** A departed consumer's entries are replayed under its own partition, once; then it leaves the group. */
  @Test
  void aDepartedConsumerIsReplayedOnceAndThenRemovedFromTheGroup() {
    List<String> ids = StreamTestData.add(redis, "eos-departed", 500, StreamTestData::order);
    redis.xgroupCreate("eos-departed", "g", new StreamEntryID(0, 0), false);
    // A task of a larger generation that is gone, holding entries it never produced.
    redis.xreadGroup("g", "eos-departed-source-5", XReadGroupParams.xReadGroupParams().count(200),
        Map.of("eos-departed", StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
    connect.createTopic("eos-departed", 1);
    Map<String, String> config = exactlyOnceSource("eos-departed");
    config.put("redis.claim.interval.ms", "500");
    config.put("redis.claim.min.idle.ms", "2000");
    connect.deployAndAwaitRunning("eos-departed-source", config, 1);

    assertThat(committedEntryIds("eos-departed", ids.size())).hasSize(ids.size()).doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(ids);
    await("only the task's own consumer left, nothing pending").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(redis.xinfoConsumers2("eos-departed", "g")).extracting(consumer -> consumer.getName())
          .containsExactly("eos-departed-source-0");
      assertThat(StreamTestData.pending(redis, "eos-departed", "g")).isZero();
    });
    connect.delete("eos-departed-source");
  }

  @Test
  void theOffsetsApiMovesTheConsumerGroupAndAResetGoesBackToTheStartPosition() {
    List<String> ids = StreamTestData.add(redis, "eos-rewind", 100, StreamTestData::order);
    connect.createTopic("eos-rewind", 1);
    connect.deployAndAwaitRunning("eos-rewind-source", exactlyOnceSource("eos-rewind"), 1);
    assertThat(committedEntryIds("eos-rewind", 100)).hasSize(100);
    awaitAcknowledged("eos-rewind");
    // The offsets API finds the consumer's committed offset (it looks it up by the partition as it reads it back).
    JsonNode offsets = connect.offsets("eos-rewind-source").path("offsets");
    assertThat(offsets).as("%s", offsets).hasSize(1);
    assertThat(offsets.get(0).path("offset").path("entry.id").asText()).as("%s", offsets).isEqualTo(ids.get(99));
    connect.stop("eos-rewind-source");

    connect.alterOffsets("eos-rewind-source", "{\"offsets\": [{\"partition\": {\"stream\": \"eos-rewind\", "
        + "\"group\": \"g\", \"consumer\": \"eos-rewind-source-0\"}, \"offset\": {\"entry.id\": \"" + ids.get(89)
        + "\"}}]}");
    assertThat(redis.xinfoGroups("eos-rewind").get(0).getLastDeliveredId()).isEqualTo(new StreamEntryID(ids.get(89)));
    connect.resume("eos-rewind-source", 1);
    List<String> expected = new ArrayList<>(ids);
    expected.addAll(ids.subList(90, 100));
    assertThat(committedEntryIds("eos-rewind", 110)).containsExactlyInAnyOrderElementsOf(expected);

    connect.stop("eos-rewind-source");
    connect.resetOffsets("eos-rewind-source");
    assertThat(redis.xinfoGroups("eos-rewind").get(0).getLastDeliveredId()).isEqualTo(new StreamEntryID(0, 0));
    connect.delete("eos-rewind-source");
  }
}
