package io.redisbridge.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.redisbridge.testing.ConnectClusterExtension;
import io.redisbridge.testing.RedisServerExtension;
import io.redisbridge.testing.StreamContents;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.resps.StreamEntry;

/** The sink connector in a real Connect cluster writing to a real Redis. */
class SinkConnectorIT {

  @RegisterExtension
  @Order(1)
  static final RedisServerExtension redisServer = new RedisServerExtension("--appendfsync", "always");

  @RegisterExtension
  @Order(2)
  static final ConnectClusterExtension connect = new ConnectClusterExtension();

  /** This test's client, from the fixture; one test restarts Redis and reconnects. */
  private UnifiedJedis redis;

  @BeforeEach
  void useTheFixturesClient() {
    redis = redisServer.client();
  }

  private static Map<String, String> sinkConfig(String topic) {
    Map<String, String> config = new HashMap<>();
    config.put("connector.class", RedisStreamsSinkConnector.class.getName());
    config.put("tasks.max", "1");
    config.put("topics", topic);
    config.put("redis.uri", redisServer.server().uri());
    config.put("trim.strategy", "none");
    config.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
    config.put("value.converter", "org.apache.kafka.connect.storage.StringConverter");
    return config;
  }

  private static void produce(String topic, int count, java.util.function.IntFunction<String> key,
      java.util.function.IntFunction<String> value) {
    try (KafkaProducer<byte[], byte[]> producer = connect.cluster().kafka().createProducer(Map.of(
        "linger.ms", 20, "batch.size", 262_144, "acks", "all"))) {
      for (int n = 0; n < count; n++) {
        String k = key.apply(n);
        producer.send(new ProducerRecord<>(topic, k == null ? null : k.getBytes(StandardCharsets.UTF_8),
            value.apply(n).getBytes(StandardCharsets.UTF_8)));
      }
      producer.flush();
    }
  }

  /** Every entry of {@code stream}, read in pages. */
  private List<StreamEntry> entries(String stream) {
    return StreamContents.entries(redis, stream);
  }

  /** The value field of the stream's newest entry, or null while it has none. */
  private String lastValue(String stream) {
    List<StreamEntry> last = redis.xrevrange(stream, "+", "-", 1);
    return last.isEmpty() ? null : last.get(0).getFields().get("value");
  }

  @Test
  void writesEveryRecordOfAThreePartitionTopicWithThreeTasks() {
    int count = 100_000;
    connect.createTopic("orders-in", 3);
    produce("orders-in", count, n -> "customer-" + (n % 50), n -> "order-" + n);
    Map<String, String> config = sinkConfig("orders-in");
    config.put("tasks.max", "3");
    config.put("redis.stream", "orders-archive");
    config.put("key.field.name", "customer");

    connect.deployAndAwaitRunning("orders-sink", config, 3);

    await("all records in the stream").atMost(Duration.ofMinutes(3))
        .until(() -> redis.xlen("orders-archive") >= count);
    List<StreamEntry> entries = entries("orders-archive");
    Set<String> values = new HashSet<>();
    for (StreamEntry entry : entries) {
      values.add(entry.getFields().get("value"));
      String n = entry.getFields().get("value").substring("order-".length());
      assertThat(entry.getFields()).containsEntry("customer", "customer-" + (Integer.parseInt(n) % 50));
    }
    assertThat(values).hasSize(count);
    connect.delete("orders-sink");
  }

  @Test
  void writesSchemalessJsonAsOneFieldPerTopLevelEntryWithNestedValuesAsCompactJson() {
    connect.createTopic("json-in", 1);
    produce("json-in", 1, n -> "k1",
        n -> "{\"id\":7,\"name\":\"Ada\",\"price\":9.99,\"active\":true,\"missing\":null,"
            + "\"items\":[{\"sku\":\"a\",\"qty\":2}],\"tags\":{\"vip\":\"yes\"}}");
    Map<String, String> config = sinkConfig("json-in");
    config.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
    config.put("value.converter.schemas.enable", "false");
    config.put("key.field.name", "key");
    config.put("metadata.fields", "true");

    connect.deployAndAwaitRunning("json-sink", config, 1);

    await().atMost(Duration.ofSeconds(60)).until(() -> redis.xlen("json-in") == 1);
    Map<String, String> fields = redis.xrange("json-in", "-", "+").get(0).getFields();
    // Schemaless maps carry no order, so their keys are written sorted.
    assertThat(fields).containsAllEntriesOf(Map.of(
        "id", "7", "name", "Ada", "price", "9.99", "active", "true",
        "items", "[{\"qty\":2,\"sku\":\"a\"}]", "tags", "{\"vip\":\"yes\"}", "key", "k1",
        "kafka.topic", "json-in", "kafka.partition", "0", "kafka.offset", "0"))
        .containsKey("kafka.timestamp")
        .doesNotContainKey("missing")
        .hasSize(11);
    connect.delete("json-sink");
  }

  @Test
  void writesStructsWithEveryLogicalTypeDeterministically() {
    connect.createTopic("typed-in", 1);
    // 12.345 as Decimal(scale 3): unscaled 12345 = 0x3039; Date 19783 = 2024-03-01; Time 49500250 ms;
    // Timestamp 1709300700250 = 2024-03-01T13:45:00.250Z.
    String schema = "{\"type\":\"struct\",\"name\":\"Order\",\"fields\":["
        + "{\"field\":\"id\",\"type\":\"int64\"},"
        + "{\"field\":\"amount\",\"type\":\"bytes\",\"name\":\"org.apache.kafka.connect.data.Decimal\","
        + "\"parameters\":{\"scale\":\"3\"}},"
        + "{\"field\":\"day\",\"type\":\"int32\",\"name\":\"org.apache.kafka.connect.data.Date\"},"
        + "{\"field\":\"at\",\"type\":\"int32\",\"name\":\"org.apache.kafka.connect.data.Time\"},"
        + "{\"field\":\"ts\",\"type\":\"int64\",\"name\":\"org.apache.kafka.connect.data.Timestamp\"},"
        + "{\"field\":\"raw\",\"type\":\"bytes\"},"
        + "{\"field\":\"ratio\",\"type\":\"double\"},"
        + "{\"field\":\"note\",\"type\":\"string\",\"optional\":true},"
        + "{\"field\":\"customer\",\"type\":\"struct\",\"fields\":[{\"field\":\"name\",\"type\":\"string\"},"
        + "{\"field\":\"since\",\"type\":\"int32\",\"name\":\"org.apache.kafka.connect.data.Date\"}]},"
        + "{\"field\":\"lines\",\"type\":\"array\",\"items\":{\"type\":\"int32\"}},"
        + "{\"field\":\"attrs\",\"type\":\"map\",\"keys\":{\"type\":\"string\"},\"values\":{\"type\":\"string\"}}]}";
    String payload = "{\"id\":42,\"amount\":\"MDk=\",\"day\":19783,\"at\":49500250,\"ts\":1709300700250,"
        + "\"raw\":\"AAH/\",\"ratio\":0.5,\"note\":null,\"customer\":{\"name\":\"Ada \\\"L\\\"\",\"since\":0},"
        + "\"lines\":[1,2,3],\"attrs\":{\"color\":\"red\"}}";
    produce("typed-in", 1, n -> null, n -> "{\"schema\":" + schema + ",\"payload\":" + payload + "}");
    Map<String, String> config = sinkConfig("typed-in");
    config.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
    config.put("value.converter.schemas.enable", "true");

    connect.deployAndAwaitRunning("typed-sink", config, 1);

    await().atMost(Duration.ofSeconds(60)).until(() -> redis.xlen("typed-in") == 1);
    Map<String, String> fields = redis.xrange("typed-in", "-", "+").get(0).getFields();
    assertThat(fields).containsAllEntriesOf(Map.of(
        "id", "42", "amount", "12.345", "day", "2024-03-01", "at", "13:45:00.250",
        "ts", "2024-03-01T13:45:00.250Z", "ratio", "0.5",
        "customer", "{\"name\":\"Ada \\\"L\\\"\",\"since\":\"1970-01-01\"}",
        "lines", "[1,2,3]", "attrs", "{\"color\":\"red\"}"))
        .doesNotContainKey("note");
    byte[] raw = ((List<?>) ((List<?>) redis.xrange("typed-in".getBytes(StandardCharsets.UTF_8),
        "-".getBytes(StandardCharsets.UTF_8), "+".getBytes(StandardCharsets.UTF_8)).get(0)).get(1))
        .stream().map(o -> (byte[]) o).dropWhile(b -> !new String(b, StandardCharsets.UTF_8).equals("raw"))
        .skip(1).findFirst().orElseThrow();
    assertThat(raw).containsExactly(0, 1, 0xFF);
    connect.delete("typed-sink");
  }

  @Test
  void approximateMaxLenKeepsTheStreamNearItsBound() {
    connect.createTopic("capped-in", 1);
    produce("capped-in", 20_000, n -> null, n -> "e" + n);
    Map<String, String> config = sinkConfig("capped-in");
    config.put("trim.strategy", "maxlen");
    config.put("trim.maxlen", "1000");

    connect.deployAndAwaitRunning("capped-sink", config, 1);

    await("last record written").atMost(Duration.ofSeconds(90)).until(() -> "e19999".equals(lastValue("capped-in")));
    // MAXLEN ~ removes whole radix-tree nodes (100 entries by default): never below N, at most a node above.
    assertThat(redis.xlen("capped-in")).isBetween(1_000L, 1_100L);
    connect.delete("capped-sink");
  }

  @Test
  void minIdDropsEntriesOlderThanTheRetention() {
    connect.createTopic("aged-in", 1);
    Map<String, String> config = sinkConfig("aged-in");
    config.put("trim.strategy", "minid");
    config.put("trim.retention.ms", "3000");
    config.put("trim.exact", "true");
    connect.deployAndAwaitRunning("aged-sink", config, 1);
    produce("aged-in", 50, n -> null, n -> "old" + n);
    await().atMost(Duration.ofSeconds(60)).until(() -> redis.xlen("aged-in") == 50);
    long oldest = redis.xrange("aged-in", "-", "+", 1).get(0).getID().getTime();
    await("retention passed").atMost(Duration.ofSeconds(10))
        .until(() -> System.currentTimeMillis() > oldest + 3_500);

    produce("aged-in", 10, n -> null, n -> "new" + n);

    await("old entries trimmed").atMost(Duration.ofSeconds(60)).untilAsserted(() ->
        assertThat(redis.xrange("aged-in", "-", "+")).extracting(e -> e.getFields().get("value"))
            .containsExactly("new0", "new1", "new2", "new3", "new4", "new5", "new6", "new7", "new8", "new9"));
    connect.delete("aged-sink");
  }

  /**
   * One stream per key with redis.stream.ttl.ms: every stream written gets the TTL, a write refreshes it,
   * and a stream no record comes for any more expires.
   */
  @Test
  void perKeyStreamsExpireOnceNoRecordComesForThem() {
    connect.createTopic("devices-in", 1);
    produce("devices-in", 30, n -> "device-" + (n % 3), n -> "reading-" + n);
    Map<String, String> config = sinkConfig("devices-in");
    config.put("redis.stream", "${key}");
    config.put("redis.stream.ttl.ms", "4000");
    connect.deployAndAwaitRunning("devices-sink", config, 1);

    await("every key's stream written").atMost(Duration.ofSeconds(60)).until(() ->
        redis.exists("device-0") && redis.exists("device-1") && redis.exists("device-2")
            && redis.xlen("device-0") + redis.xlen("device-1") + redis.xlen("device-2") == 30);
    for (int d = 0; d < 3; d++) {
      assertThat(redis.pttl("device-" + d)).as("device-%d's TTL", d).isBetween(1L, 4000L);
    }
    // device-0 keeps getting records, the others do not.
    await("device-1 and device-2 expired while device-0 is written").atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(500)).until(() -> {
          produce("devices-in", 1, n -> "device-0", n -> "later");
          return !redis.exists("device-1") && !redis.exists("device-2");
        });
    assertThat(redis.exists("device-0")).isTrue();
    assertThat(redis.pttl("device-0")).isBetween(1L, 4000L);
    connect.delete("devices-sink");
  }

  @Test
  void poisonRecordsGoToTheDeadLetterTopicAndStreamWhileGoodRecordsFlow() {
    connect.createTopic("mixed-in", 1);
    connect.createTopic("mixed-dlq", 1);
    redis.set("not-a-stream", "a plain string key");
    produce("mixed-in", 100, n -> n % 10 == 3 ? "not-a-stream" : "good-stream", n -> "v" + n);
    Map<String, String> config = sinkConfig("mixed-in");
    config.put("redis.stream", "${key}");
    config.put("errors.tolerance", "all");
    config.put("errors.deadletterqueue.topic.name", "mixed-dlq");
    config.put("errors.deadletterqueue.topic.replication.factor", "1");
    config.put("errors.deadletterqueue.context.headers.enable", "true");
    config.put("redis.dead.letter.stream", "sink-dead-letters");

    connect.deployAndAwaitRunning("mixed-sink", config, 1);

    await().atMost(Duration.ofSeconds(60)).until(() -> redis.xlen("good-stream") == 90);
    List<ConsumerRecord<byte[], byte[]>> dead = connect.consume("mixed-dlq", 10, Duration.ofSeconds(60));
    assertThat(dead).hasSize(10);
    assertThat(new String(dead.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("v3");
    assertThat(new String(dead.get(0).headers().lastHeader("__connect.errors.exception.message").value(),
        StandardCharsets.UTF_8)).contains("WRONGTYPE");
    List<StreamEntry> letters = redis.xrange("sink-dead-letters", "-", "+");
    assertThat(letters).hasSize(10);
    assertThat(letters.get(0).getFields()).containsEntry("value", "v3").containsEntry("topic", "mixed-in")
        .containsEntry("partition", "0").containsEntry("offset", "3");
    assertThat(letters.get(0).getFields().get("reason")).contains("WRONGTYPE");
    connect.awaitRunning("mixed-sink", 1);
    connect.delete("mixed-sink");
  }

  @Test
  void failsWithTheRecordsCoordinatesWhenNoDeadLetterRouteIsConfigured() {
    connect.createTopic("strict-in", 1);
    redis.set("strict-target", "a plain string key");
    produce("strict-in", 1, n -> null, n -> "v");
    Map<String, String> config = sinkConfig("strict-in");
    config.put("redis.stream", "strict-target");
    connect.deploy("strict-sink", config);

    connect.awaitTaskFailure("strict-sink");

    assertThat(connect.taskTrace("strict-sink", 0))
        .contains("topic=strict-in partition=0 offset=0").contains("WRONGTYPE");
    connect.delete("strict-sink");
  }

  @Test
  void survivesARedisRestartMidRunWithoutLosingRecords() {
    int count = 30_000;
    connect.createTopic("restart-in", 1);
    Map<String, String> config = sinkConfig("restart-in");
    config.put("redis.retry.backoff.max.ms", "500");
    config.put("consumer.override.max.poll.records", "200");
    connect.deployAndAwaitRunning("restart-sink", config, 1);
    produce("restart-in", count, n -> null, n -> "r" + n);
    await("writes under way").atMost(Duration.ofSeconds(60)).until(() -> redis.xlen("restart-in") > 2_000);

    redisServer.server().restart();
    redis = redisServer.reconnect();

    await("the last record written after the restart").atMost(Duration.ofMinutes(2)).ignoreExceptions().until(() ->
        ("r" + (count - 1)).equals(lastValue("restart-in")));
    Set<String> values = new HashSet<>();
    entries("restart-in").forEach(entry -> values.add(entry.getFields().get("value")));
    assertThat(values).hasSize(count);
    connect.awaitRunning("restart-sink", 1);
    connect.delete("restart-sink");
  }

  @Test
  void memoryGuardHoldsWritesWhileRedisIsNearlyFullAndResumesAfter() {
    connect.createTopic("guarded-in", 1);
    long used = Long.parseLong(redis.info("memory").lines().filter(l -> l.startsWith("used_memory:"))
        .findFirst().orElseThrow().substring("used_memory:".length()).trim());
    // used_memory is above 50% of this maxmemory, yet far below it, so nothing is evicted or refused.
    redis.configSet("maxmemory", Long.toString(used + used / 2));
    try {
      Map<String, String> config = sinkConfig("guarded-in");
      config.put("memory.guard.max.ratio", "0.5");
      config.put("memory.guard.check.interval.ms", "100");
      config.put("redis.retry.backoff.max.ms", "200");
      connect.deployAndAwaitRunning("guarded-sink", config, 1);
      produce("guarded-in", 20, n -> null, n -> "g" + n);

      await("nothing written while the guard holds").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
          .until(() -> !redis.exists("guarded-in"));
      redis.configSet("maxmemory", "0");

      await().atMost(Duration.ofSeconds(30)).until(() -> redis.exists("guarded-in") && redis.xlen("guarded-in") == 20);
      connect.awaitRunning("guarded-sink", 1);
    } finally {
      redis.configSet("maxmemory", "0");
    }
    connect.delete("guarded-sink");
  }

  @Test
  void retriesWhileRedisIsDownAndWritesEverythingAfterwards() {
    connect.createTopic("outage-in", 1);
    Map<String, String> config = sinkConfig("outage-in");
    config.put("redis.retry.backoff.max.ms", "500");
    connect.deployAndAwaitRunning("outage-sink", config, 1);
    produce("outage-in", 50, n -> null, n -> "a" + n);
    await().atMost(Duration.ofSeconds(60)).until(() -> redis.exists("outage-in") && redis.xlen("outage-in") == 50);

    redisServer.server().stop();
    produce("outage-in", 50, n -> null, n -> "b" + n);
    await("task stays RUNNING while Redis is down").during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(15))
        .until(() -> "RUNNING".equals(connect.cluster().connectorStatus("outage-sink").tasks().get(0).state()));
    redisServer.server().restart();
    redis = redisServer.reconnect();

    await("records of the outage written").atMost(Duration.ofSeconds(60)).ignoreExceptions()
        .until(() -> "b49".equals(lastValue("outage-in")));
    Set<String> values = new HashSet<>();
    entries("outage-in").forEach(entry -> values.add(entry.getFields().get("value")));
    assertThat(values).hasSize(100);
    connect.delete("outage-sink");
  }

  @Test
  void validateRejectsBadValuesPerField() {
    Map<String, String> config = new HashMap<>();
    config.put("connector.class", RedisStreamsSinkConnector.class.getName());
    config.put("name", "bad-sink");
    config.put("topics", "t");
    config.put("redis.uri", redisServer.server().uri());
    config.put("redis.stream", "${stream}");
    config.put("trim.strategy", "sometimes");
    config.put("trim.limit", "100");
    config.put("trim.exact", "true");
    config.put("temporal.format", "roman");
    config.put("memory.guard.max.ratio", "1.5");

    Map<String, List<String>> errors = connect.validationErrors(RedisStreamsSinkConnector.class.getName(), config);

    assertThat(errors.get("redis.stream")).singleElement().asString().contains("${stream}");
    assertThat(errors.get("trim.strategy")).isNotEmpty();
    assertThat(errors.get("temporal.format")).isNotEmpty();
    assertThat(errors.get("memory.guard.max.ratio")).isNotEmpty();
    assertThat(errors.get("redis.uri")).isEmpty();
  }

  /**
   * The least-privilege rule of docs/redis-deployments-and-security.md for a sink writing to streams matching
   * {@code keys}.
   */
  static String sinkAclRule(String keys) {
    return "+ping +client|setname +xadd " + keys;
  }

  @Test
  void runsAsAUserWithTheDocumentedRuleAndNamesCommandAndKeyWhenARightIsMissing() {
    redis.sendCommand(Protocol.Command.ACL, ("SETUSER sink-min reset on >sink-pass "
        + sinkAclRule("~acl-out")).split(" "));
    connect.createTopic("acl-in", 1);
    produce("acl-in", 100, n -> null, n -> "order-" + n);
    Map<String, String> config = sinkConfig("acl-in");
    config.put("redis.stream", "acl-out");
    config.put("redis.user", "sink-min");
    config.put("redis.password", "sink-pass");
    assertThat(validationErrors(config)).isEmpty();

    connect.deployAndAwaitRunning("acl-sink", config, 1);
    await().atMost(Duration.ofSeconds(60)).until(() -> redis.exists("acl-out") && redis.xlen("acl-out") == 100);

    // Taken away while the task runs: it fails with Redis's NOPERM and names the stream.
    redis.sendCommand(Protocol.Command.ACL, "SETUSER", "sink-min", "-xadd");
    produce("acl-in", 10, n -> null, n -> "late-" + n);
    connect.awaitTaskFailure("acl-sink");
    assertThat(connect.taskTrace("acl-sink", 0)).contains("xadd").contains("acl-out").contains("NOPERM");
    connect.delete("acl-sink");
    config.put("redis.user", "sink-min");
    assertThat(validationErrors(config)).singleElement().asString()
        .contains("redis.user").contains("xadd").contains("acl-out").contains("NOPERM");
  }

  /**
   * What docs/redis-deployments-and-security.md adds to the rule for exactly once, WAIT, the memory guard, entry
   * IDs, dead letters and stream expiry.
   */
  private static final Map<String, String> OPTION_ADDITIONS = Map.ofEntries(
      Map.entry("+type", "type"), Map.entry("+multi", "multi"), Map.entry("+exec", "exec"),
      Map.entry("+hset", "hset"), Map.entry("+hgetall", "hgetall"),
      Map.entry("~{opt-out}:kafka-offsets:*", "{opt-out}:kafka-offsets:opt-sink"), Map.entry("+xrange", "xrange"),
      Map.entry("+info", "info"), Map.entry("+wait", "wait"), Map.entry("~opt-dlq", "opt-dlq"),
      Map.entry("+pexpire", "pexpire"));

  @Test
  void everyOptionNeedsJustTheRightsTheReadmeAddsAndRunsWithThem() {
    String rule = sinkAclRule("~opt-out") + " " + String.join(" ", OPTION_ADDITIONS.keySet());
    Map<String, String> config = sinkConfig("opt-in");
    config.put("name", "opt-sink");
    config.put("redis.stream", "opt-out");
    config.put("redis.user", "sink-opt");
    config.put("redis.password", "opt-pass");
    config.put("exactly.once.enabled", "true");
    config.put("redis.wait.replicas", "1");
    config.put("memory.guard.max.ratio", "0.9");
    config.put("entry.id.header", "redis.entry.id");
    config.put("redis.dead.letter.stream", "opt-dlq");
    config.put("redis.stream.ttl.ms", "600000");
    OPTION_ADDITIONS.forEach((right, named) -> {
      redis.sendCommand(Protocol.Command.ACL, ("SETUSER sink-opt reset on >opt-pass "
          + rule.replace(" " + right, "")).split(" "));
      assertThat(validationErrors(config)).as("without " + right).singleElement().asString()
          .contains("redis.user").contains(named).contains("NOPERM").doesNotContain("opt-pass");
    });
    redis.sendCommand(Protocol.Command.ACL, ("SETUSER sink-opt reset on >opt-pass " + rule).split(" "));
    assertThat(validationErrors(config)).isEmpty();
    assertThat(redis.exists("opt-out")).as("the probes create nothing").isFalse();

    // The fixture's server has no replica for WAIT, and records with entry IDs are another test's subject:
    // the run covers exactly once and the memory guard.
    config.remove("redis.wait.replicas");
    config.remove("entry.id.header");
    connect.createTopic("opt-in", 1);
    produce("opt-in", 100, n -> null, n -> "order-" + n);
    connect.deployAndAwaitRunning("opt-sink", config, 1);
    await().atMost(Duration.ofSeconds(60)).until(() -> redis.exists("opt-out") && redis.xlen("opt-out") == 100);
    assertThat(redis.hget("{opt-out}:kafka-offsets:opt-sink", "opt-in:0")).isEqualTo("100");
    assertThat(redis.pttl("{opt-out}:kafka-offsets:opt-sink")).as("PEXPIRE ran on the offsets hash too")
        .isBetween(1L, 600_000L);
    connect.awaitRunning("opt-sink", 1);
    connect.delete("opt-sink");
  }

  /** Every error message validate() gives, each as "key: message". */
  private static java.util.List<String> validationErrors(Map<String, String> config) {
    Map<String, String> named = new HashMap<>(config);
    named.putIfAbsent("name", "validate-acl");
    java.util.List<String> errors = new java.util.ArrayList<>();
    connect.validationErrors(RedisStreamsSinkConnector.class.getName(), named)
        .forEach((key, messages) -> messages.forEach(message -> errors.add(key + ": " + message)));
    return errors;
  }

  @Test
  void aChainOfTransformsFiltersReshapesAndRoutesRecordsToTheirStream() {
    connect.createTopic("smt-in", 1);
    try (KafkaProducer<byte[], byte[]> producer = connect.cluster().kafka().createProducer(Map.of())) {
      for (int n = 0; n < 120; n++) {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>("smt-in", null, ("{\"order_id\": \"o-" + n
            + "\", \"customer_id\": \"c-" + n + "\", \"amount\": 9.99}").getBytes(StandardCharsets.UTF_8));
        if (n % 6 == 5) {
          record.headers().add("test-only", new byte[0]); // 20 of them, for the filter
        }
        producer.send(record);
      }
    }
    Map<String, String> config = sinkConfig("smt-in");
    config.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
    config.put("value.converter.schemas.enable", "false");
    config.put("transforms", "dropTests,stamp,trim,route");
    config.put("transforms.dropTests.type", "org.apache.kafka.connect.transforms.Filter");
    config.put("transforms.dropTests.predicate", "isTest");
    config.put("predicates", "isTest");
    config.put("predicates.isTest.type", "org.apache.kafka.connect.transforms.predicates.HasHeaderKey");
    config.put("predicates.isTest.name", "test-only");
    config.put("transforms.stamp.type", "org.apache.kafka.connect.transforms.InsertField$Value");
    config.put("transforms.stamp.static.field", "via");
    config.put("transforms.stamp.static.value", "kafka");
    config.put("transforms.trim.type", "org.apache.kafka.connect.transforms.ReplaceField$Value");
    config.put("transforms.trim.exclude", "customer_id");
    config.put("transforms.route.type", "org.apache.kafka.connect.transforms.RegexRouter");
    config.put("transforms.route.regex", "smt-(.*)");
    config.put("transforms.route.replacement", "archive-$1");

    connect.deployAndAwaitRunning("smt-sink", config, 1);

    // The stream template ${topic} sees the routed topic.
    await().atMost(Duration.ofSeconds(60)).until(() -> redis.exists("archive-in") && redis.xlen("archive-in") == 100);
    List<StreamEntry> entries = redis.xrange("archive-in", "-", "+", 200);
    assertThat(entries).allSatisfy(entry -> assertThat(entry.getFields())
        .containsEntry("via", "kafka").containsEntry("amount", "9.99").doesNotContainKey("customer_id"));
    assertThat(entries).extracting(entry -> entry.getFields().get("order_id"))
        .doesNotContain("o-5", "o-11", "o-119").contains("o-0", "o-118");
    assertThat(redis.exists("smt-in")).isFalse();
    connect.delete("smt-sink");
  }
}
