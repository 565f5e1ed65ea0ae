package io.redisbridge.source;

import static io.redisbridge.testing.DeliveryAssertions.assertDeliveredEvery;
import static io.redisbridge.testing.DeliveryAssertions.assertDeliveredExactly;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.redisbridge.testing.ConnectClusterExtension;
import io.redisbridge.testing.RedisServerExtension;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.XReadGroupParams;
import redis.clients.jedis.resps.StreamEntry;

/** The source connector in a real Connect cluster against a real Redis: volume, ack timing, recovery. */
class SourceConnectorDeliveryIT {

  @RegisterExtension
  @org.junit.jupiter.api.Order(1)
  static final RedisServerExtension redisServer = new RedisServerExtension("--appendfsync", "always");

  @RegisterExtension
  @org.junit.jupiter.api.Order(2)
  static final ConnectClusterExtension connect = new ConnectClusterExtension(2);

  /** This test's client, from the fixture; one test restarts Redis and reconnects. */
  private UnifiedJedis redis;

  @BeforeEach
  void useTheFixturesClient() {
    redis = redisServer.client();
  }

  static Map<String, String> sourceConfig(String streams, String group) {
    return baseConfig(redisServer.server().uri(), streams, group);
  }

  /** A source config for tests: reads from the group's start, string keys, schemaless JSON values. */
  static Map<String, String> baseConfig(String redisUri, String streams, String group) {
    Map<String, String> config = new HashMap<>();
    config.put("connector.class", RedisStreamsSourceConnector.class.getName());
    config.put("tasks.max", "1");
    config.put("redis.uri", redisUri);
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

  private static Set<String> entryIdsIn(String topic, int expected, Duration timeout) {
    return StreamTestData.entryIdsIn(connect, topic, expected, timeout);
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

    assertDeliveredExactly(entryIdsIn("bulk-a", perStream, Duration.ofMinutes(3)), idsA);
    assertDeliveredExactly(entryIdsIn("bulk-b", perStream, Duration.ofMinutes(3)), idsB);
    await("every entry acknowledged").atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      assertThat(StreamTestData.pending(redis, "bulk-a", "bulk")).isZero();
      assertThat(StreamTestData.pending(redis, "bulk-b", "bulk")).isZero();
    });
    assertThat(StreamTestData.lag(redis, "bulk-a", "bulk")).isZero();
    assertThat(StreamTestData.lag(redis, "bulk-b", "bulk")).isZero();
    connect.delete("bulk-source");
  }

  @Test
  void theOffsetsApiShowsEachTasksProgressAndMovesOrResetsTheGroup() {
    List<String> idsA = StreamTestData.add(redis, "progress-a", 40, StreamTestData::order);
    List<String> idsB = StreamTestData.add(redis, "progress-b", 40, StreamTestData::order);
    connect.createTopic("progress-a", 1);
    connect.createTopic("progress-b", 1);
    connect.deployAndAwaitRunning("progress-source", sourceConfig("progress-a,progress-b", "progress"), 1);
    assertThat(entryIdsIn("progress-a", 40, Duration.ofSeconds(60))).hasSize(40);
    assertThat(entryIdsIn("progress-b", 40, Duration.ofSeconds(60))).hasSize(40);

    // One partition for the task's consumer (Connect's bookkeeping is per partition), naming the stream and
    // entry it delivered last.
    await("the task's progress stored").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      JsonNode offsets = connect.offsets("progress-source").path("offsets");
      assertThat(offsets).hasSize(1);
      assertThat(offsets.get(0).path("partition").path("group").asText()).isEqualTo("progress");
      assertThat(offsets.get(0).path("partition").path("consumer").asText()).isEqualTo("progress-source-0");
      assertThat(offsets.get(0).path("partition").has("stream")).isFalse();
      String stream = offsets.get(0).path("offset").path("stream").asText();
      assertThat(stream).as("%s", offsets).isIn("progress-a", "progress-b");
      assertThat(offsets.get(0).path("offset").path("entry.id").asText())
          .isEqualTo(stream.equals("progress-a") ? idsA.get(39) : idsB.get(39));
    });
    connect.stop("progress-source");

    connect.alterOffsets("progress-source", "{\"offsets\": [{\"partition\": {\"group\": \"progress\", "
        + "\"consumer\": \"progress-source-0\"}, \"offset\": {\"stream\": \"progress-a\", \"entry.id\": \""
        + idsA.get(29) + "\"}}]}");
    assertThat(redis.xinfoGroups("progress-a").get(0).getLastDeliveredId()).isEqualTo(new StreamEntryID(idsA.get(29)));
    assertThat(redis.xinfoGroups("progress-b").get(0).getLastDeliveredId()).isEqualTo(new StreamEntryID(idsB.get(39)));

    // A reset names no stream: every stream of the connector goes back to the group's start.
    connect.resetOffsets("progress-source");
    assertThat(redis.xinfoGroups("progress-a").get(0).getLastDeliveredId()).isEqualTo(new StreamEntryID(0, 0));
    assertThat(redis.xinfoGroups("progress-b").get(0).getLastDeliveredId()).isEqualTo(new StreamEntryID(0, 0));
    connect.delete("progress-source");
  }

  @Test
  void acksOnlyAfterKafkaHasTheRecord() {
    // The topic does not exist yet and brokers do not create topics: the producer cannot write.
    List<String> ids = StreamTestData.add(redis, "held", 200, StreamTestData::order);
    connect.deployAndAwaitRunning("held-source", sourceConfig("held", "held"), 1);

    await("entries delivered to the task").atMost(Duration.ofSeconds(30)).ignoreExceptions()
        .until(() -> StreamTestData.pending(redis, "held", "held") == ids.size());
    await("nothing acknowledged while Kafka cannot take the records")
        .during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
        .until(() -> StreamTestData.pending(redis, "held", "held") == ids.size());

    connect.createTopic("held", 1);

    assertThat(entryIdsIn("held", ids.size(), Duration.ofSeconds(60))).containsExactlyInAnyOrderElementsOf(ids);
    await("acknowledged once Kafka confirmed").atMost(Duration.ofSeconds(30))
        .until(() -> StreamTestData.pending(redis, "held", "held") == 0);
    connect.delete("held-source");
  }

  @Test
  void redeliversEntriesItsOwnConsumerLeftPending() {
    List<String> ids = StreamTestData.add(redis, "crashed", 500, StreamTestData::order);
    redis.xgroupCreate("crashed", "crashed", new StreamEntryID(0, 0), false);
    // What a task that crashed before Kafka confirmed leaves behind: entries pending under its name.
    redis.xreadGroup("crashed", "crashed-source-0",
        XReadGroupParams.xReadGroupParams().count(120),
        Map.of("crashed", StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
    assertThat(StreamTestData.pending(redis, "crashed", "crashed")).isEqualTo(120);
    connect.createTopic("crashed", 1);

    connect.deployAndAwaitRunning("crashed-source", sourceConfig("crashed", "crashed"), 1);

    assertThat(entryIdsIn("crashed", ids.size(), Duration.ofSeconds(60))).containsExactlyInAnyOrderElementsOf(ids);
    await().atMost(Duration.ofSeconds(30)).until(() -> StreamTestData.pending(redis, "crashed", "crashed") == 0);
    connect.delete("crashed-source");
  }

  @Test
  void claimsEntriesAForeignConsumerNeverAcknowledged() {
    List<String> ids = StreamTestData.add(redis, "orphans", 300, StreamTestData::order);
    redis.xgroupCreate("orphans", "orphans", new StreamEntryID(0, 0), false);
    redis.xreadGroup("orphans", "ghost",
        XReadGroupParams.xReadGroupParams().count(250),
        Map.of("orphans", StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
    connect.createTopic("orphans", 1);
    Map<String, String> config = sourceConfig("orphans", "orphans");
    config.put("redis.claim.interval.ms", "500");
    config.put("redis.claim.min.idle.ms", "2000");
    config.put("redis.claim.count", "40");

    connect.deployAndAwaitRunning("orphans-source", config, 1);

    assertThat(entryIdsIn("orphans", ids.size(), Duration.ofSeconds(60))).containsExactlyInAnyOrderElementsOf(ids);
    await().atMost(Duration.ofSeconds(30)).until(() -> StreamTestData.pending(redis, "orphans", "orphans") == 0);
    connect.delete("orphans-source");
  }

  /**
   * tasks.max 4 → 1 while a consumer of a task that no longer exists still holds entries: every entry is
   * delivered, and the group is left with the one consumer that works, nothing pending. The consumer with
   * entries stays in the group until they are claimed and acknowledged.
   */
  @Test
  void loweringTasksMaxLeavesOnlyTheConsumerThatWorks() {
    List<String> ids = StreamTestData.add(redis, "tidy", 5_000, StreamTestData::order);
    redis.xgroupCreate("tidy", "tidy", new StreamEntryID(0, 0), false);
    // A task of an earlier, larger generation that died holding entries.
    redis.xreadGroup("tidy", "tidy-source-7", XReadGroupParams.xReadGroupParams().count(250),
        Map.of("tidy", StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
    connect.createTopic("tidy", 3);
    Map<String, String> config = sourceConfig("tidy", "tidy");
    config.put("tasks.max", "4");
    config.put("redis.claim.interval.ms", "500");
    config.put("redis.claim.min.idle.ms", "3000");
    connect.deployAndAwaitRunning("tidy-source", config, 4);
    await("four task consumers; the dead task's gone once its entries were claimed").atMost(Duration.ofSeconds(60))
        .untilAsserted(() -> assertThat(redis.xinfoConsumers2("tidy", "tidy"))
            .extracting(consumer -> consumer.getName())
            .containsExactlyInAnyOrder("tidy-source-0", "tidy-source-1", "tidy-source-2", "tidy-source-3"));

    config.put("tasks.max", "1");
    connect.deployAndAwaitRunning("tidy-source", config, 1);
    await("only the working consumer left, nothing pending").atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      assertThat(redis.xinfoConsumers2("tidy", "tidy")).extracting(consumer -> consumer.getName())
          .containsExactly("tidy-source-0");
      assertThat(StreamTestData.pending(redis, "tidy", "tidy")).isZero();
    });
    assertDeliveredEvery(entryIdsIn("tidy", ids.size(), Duration.ofSeconds(60)), ids);
    connect.delete("tidy-source");
  }

  @Test
  void deadLettersEntriesPastMaxDeliveriesAndDoesNotProduceThem() throws Exception {
    List<String> stuck = StreamTestData.add(redis, "poison", 40, StreamTestData::order);
    redis.xgroupCreate("poison", "poison", new StreamEntryID(0, 0), false);
    for (int delivery = 0; delivery < 3; delivery++) {
      // Each read of the consumer's history counts as one more delivery.
      redis.xreadGroup("poison", "poison-source-0",
          XReadGroupParams.xReadGroupParams().count(100),
          Map.of("poison", delivery == 0 ? StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY
              : new StreamEntryID(0, 0)));
    }
    List<String> fresh = StreamTestData.add(redis, "poison", 60, StreamTestData::order);
    connect.createTopic("poison", 1);
    Map<String, String> config = sourceConfig("poison", "poison");
    config.put("redis.max.deliveries", "3");

    connect.deployAndAwaitRunning("poison-source", config, 1);

    assertThat(entryIdsIn("poison", fresh.size(), Duration.ofSeconds(60))).containsExactlyInAnyOrderElementsOf(fresh);
    await().atMost(Duration.ofSeconds(30)).until(() -> StreamTestData.pending(redis, "poison", "poison") == 0);
    assertThat(connect.cluster().kafka().endOffset(new TopicPartition("poison", 0)))
        .isEqualTo(fresh.size());
    List<StreamEntry> letters = redis.xrange("poison-dlq", "-", "+");
    assertThat(letters).hasSize(stuck.size());
    assertThat(letters).extracting(letter -> letter.getFields().get("original_id"))
        .containsExactlyElementsOf(stuck);
    assertThat(letters.get(0).getFields())
        .containsEntry("original_stream", "poison")
        .containsEntry("consumer_group", "poison")
        .containsEntry("delivery_count", "4")
        .containsEntry("order_id", "o-0")
        .containsEntry("customer_id", "0");
    assertThat(letters.get(0).getFields().get("reason")).contains("redis.max.deliveries=3");
    connect.delete("poison-source");
  }

  @Test
  void survivesARedisRestartMidRunWithoutLosingEntries() {
    List<String> ids = StreamTestData.add(redis, "restarted", 30_000, StreamTestData::order);
    connect.createTopic("restarted", 1);
    Map<String, String> config = sourceConfig("restarted", "restarted");
    config.put("redis.read.count", "200");
    config.put("redis.retry.backoff.max.ms", "500");
    connect.deployAndAwaitRunning("restarted-source", config, 1);
    // The task creates the group on its first poll, which may come after RUNNING is reported.
    await("transfer under way").atMost(Duration.ofSeconds(30)).ignoreExceptions()
        .until(() -> redis.xinfoGroups("restarted").get(0).getGroupInfo().get("entries-read") instanceof Long read
            && read > 2_000);

    redisServer.server().restart();
    redis = redisServer.reconnect();

    assertDeliveredEvery(entryIdsIn("restarted", ids.size(), Duration.ofMinutes(2)), ids);
    connect.awaitRunning("restarted-source", 1);
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
        .until(() -> StreamTestData.pending(redis, "restarted", "restarted") == 0);
    connect.delete("restarted-source");
  }

  @Test
  void staysRunningWhileRedisIsDownAndDeliversWhatArrivesAfterwards() {
    List<String> before = StreamTestData.add(redis, "outage", 100, StreamTestData::order);
    connect.createTopic("outage", 1);
    Map<String, String> config = sourceConfig("outage", "outage");
    config.put("redis.retry.backoff.max.ms", "500");
    connect.deployAndAwaitRunning("outage-source", config, 1);
    assertThat(entryIdsIn("outage", before.size(), Duration.ofSeconds(60))).containsAll(before);

    redisServer.server().stop();
    await("task stays RUNNING while Redis is down").during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(15))
        .until(() -> "RUNNING".equals(connect.cluster().connectorStatus("outage-source").tasks().get(0).state()));
    redisServer.server().restart();
    redis = redisServer.reconnect();
    List<String> after = StreamTestData.add(redis, "outage", 100, StreamTestData::order);

    Set<String> delivered = entryIdsIn("outage", before.size() + after.size(), Duration.ofSeconds(60));
    assertThat(delivered).containsAll(before).containsAll(after);
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
        .until(() -> StreamTestData.pending(redis, "outage", "outage") == 0);
    connect.delete("outage-source");
  }

  @Test
  void anotherWorkerTakesOverWhenOneLeavesMidTransfer() {
    List<String> ids = StreamTestData.add(redis, "handover", 40_000, StreamTestData::order);
    connect.createTopic("handover", 2);
    Map<String, String> config = sourceConfig("handover", "handover");
    config.put("tasks.max", "2");
    config.put("redis.read.count", "200");
    connect.deployAndAwaitRunning("handover-source", config, 2);
    await("transfer under way").atMost(Duration.ofSeconds(30))
        .until(() -> redis.xinfoGroups("handover").get(0).getGroupInfo().get("entries-read") instanceof Long read
            && read > 2_000);

    connect.removeWorker();

    assertDeliveredEvery(entryIdsIn("handover", ids.size(), Duration.ofMinutes(2)), ids);
    connect.awaitRunning("handover-source", 2);
    await().atMost(Duration.ofSeconds(30)).until(() -> StreamTestData.pending(redis, "handover", "handover") == 0);
    connect.delete("handover-source");
    connect.addWorker();
  }

  @Test
  void aChainOfTransformsReshapesAndRoutesAndEntriesAFilterDropsAreStillAcknowledged() {
    List<String> kept = StreamTestData.add(redis, "smt-keep", 500, StreamTestData::order);
    List<String> dropped = StreamTestData.add(redis, "smt-drop", 300, StreamTestData::order);
    connect.createTopic("routed-keep", 1);
    Map<String, String> config = sourceConfig("smt-keep,smt-drop", "smt");
    config.put("transforms", "dropSome,stamp,trim,route");
    config.put("transforms.dropSome.type", "org.apache.kafka.connect.transforms.Filter");
    config.put("transforms.dropSome.predicate", "fromDropStream");
    config.put("predicates", "fromDropStream");
    config.put("predicates.fromDropStream.type", "org.apache.kafka.connect.transforms.predicates.TopicNameMatches");
    config.put("predicates.fromDropStream.pattern", "smt-drop");
    config.put("transforms.stamp.type", "org.apache.kafka.connect.transforms.InsertField$Value");
    config.put("transforms.stamp.static.field", "origin");
    config.put("transforms.stamp.static.value", "redis");
    config.put("transforms.trim.type", "org.apache.kafka.connect.transforms.ReplaceField$Value");
    config.put("transforms.trim.exclude", "customer_id");
    config.put("transforms.trim.renames", "amount:total");
    config.put("transforms.route.type", "org.apache.kafka.connect.transforms.RegexRouter");
    config.put("transforms.route.regex", "smt-(.*)");
    config.put("transforms.route.replacement", "routed-$1");

    connect.deployAndAwaitRunning("smt-source", config, 1);

    Set<String> ids = new java.util.HashSet<>();
    connect.consume("routed-keep", kept.size(), Duration.ofSeconds(60), record -> {
      ids.add(StreamTestData.entryId(record));
      com.fasterxml.jackson.databind.JsonNode value = ConnectClusterExtension.json(new String(record.value(),
          java.nio.charset.StandardCharsets.UTF_8));
      assertThat(value.get("origin").asText()).isEqualTo("redis");
      assertThat(value.get("total").asText()).isEqualTo("9.99");
      assertThat(value.has("amount")).isFalse();
      assertThat(value.has("customer_id")).isFalse();
      assertThat(value.get("order_id").asText()).startsWith("o-");
    });
    assertThat(ids).containsExactlyInAnyOrderElementsOf(kept);
    // A record a transform drops gets commitRecord with no metadata: its entry is done and acknowledged too.
    await().atMost(Duration.ofSeconds(60)).until(() -> StreamTestData.pending(redis, "smt-drop", "smt") == 0
        && redis.xinfoGroups("smt-drop").get(0).getLastDeliveredId().toString().equals(dropped.get(dropped.size() - 1))
        && StreamTestData.pending(redis, "smt-keep", "smt") == 0);
    try (var admin = org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers",
        connect.cluster().kafka().bootstrapServers()))) {
      assertThat(admin.listTopics().names().get()).doesNotContain("routed-drop", "smt-drop");
    } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e);
    }
    connect.delete("smt-source");
  }
}
