package io.redisbridge.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.redisbridge.testing.ConnectClusterExtension;
import io.redisbridge.testing.RedisServerExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.resps.StreamEntry;

/** Entries and configs a careless producer or operator makes: each gets a clear error or a dead-letter route. */
class SourceConnectorBadInputIT {

  @RegisterExtension
  @Order(1)
  static final RedisServerExtension redisServer = new RedisServerExtension();

  @RegisterExtension
  @Order(2)
  static final ConnectClusterExtension connect = new ConnectClusterExtension();

  private static final byte[] NOT_UTF8 = {(byte) 0xC3, (byte) 0x28, 0, (byte) 0xFF, (byte) 0xFE, 10, 13};

  /** This test's client, from the fixture; one test restarts Redis and reconnects. */
  private UnifiedJedis redis;

  @BeforeEach
  void useTheFixturesClient() {
    redis = redisServer.client();
  }

  private static Map<String, String> config(String stream) {
    Map<String, String> config = SourceConnectorDeliveryIT.baseConfig(redisServer.server().uri(), stream, stream);
    return config;
  }

  private static Map<byte[], byte[]> fields(Object... namesAndValues) {
    Map<byte[], byte[]> fields = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      fields.put(bytes(namesAndValues[i]), bytes(namesAndValues[i + 1]));
    }
    return fields;
  }

  private static byte[] bytes(Object value) {
    return value instanceof byte[] raw ? raw : value.toString().getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void binaryPayloadSurvivesByteForByteAsBytesValue() {
    byte[] payload = new byte[256];
    for (int i = 0; i < payload.length; i++) {
      payload[i] = (byte) i;
    }
    String id = StreamTestData.addBinary(redis, "blobs", fields("payload", payload, "kind", "all-bytes"));
    String emptyId = StreamTestData.addBinary(redis, "blobs", fields("payload", "", "kind", "empty"));
    connect.createTopic("blobs", 1);
    Map<String, String> config = config("blobs");
    config.put("value.format", "bytes");
    config.put("value.field", "payload");
    config.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");

    connect.deployAndAwaitRunning("blobs-source", config, 1);

    List<ConsumerRecord<byte[], byte[]>> records = connect.consume("blobs", 2, Duration.ofSeconds(60));
    assertThat(records).hasSize(2);
    assertThat(records.get(0).value()).isEqualTo(payload);
    assertThat(new String(records.get(0).key(), StandardCharsets.UTF_8)).isEqualTo(id);
    assertThat(records.get(1).value()).isEmpty();
    assertThat(new String(records.get(1).key(), StandardCharsets.UTF_8)).isEqualTo(emptyId);
    await().atMost(Duration.ofSeconds(30)).until(() -> StreamTestData.pending(redis, "blobs", "blobs") == 0);
    connect.delete("blobs-source");
  }

  @Test
  void schemalessMapKeepsEmptyAndNonUtf8ValuesIntact() throws Exception {
    StreamTestData.addBinary(redis, "mixed", fields("empty", "", "text", "héllo ✓", "raw", NOT_UTF8));
    connect.createTopic("mixed", 1);

    connect.deployAndAwaitRunning("mixed-source", config("mixed"), 1);

    List<ConsumerRecord<byte[], byte[]>> records = connect.consume("mixed", 1, Duration.ofSeconds(60));
    assertThat(records).hasSize(1);
    JsonNode value = ConnectClusterExtension.json(new String(records.get(0).value(), StandardCharsets.UTF_8));
    assertThat(value.get("empty").asText()).isEmpty();
    assertThat(value.get("text").asText()).isEqualTo("héllo ✓");
    // JsonConverter writes bytes as base64: decoded, they are the original bytes.
    assertThat(Base64.getDecoder().decode(value.get("raw").asText())).isEqualTo(NOT_UTF8);
    connect.delete("mixed-source");
  }

  @Test
  void oversizedAndUnmappableEntriesGoToTheDeadLetterStreamWhileOthersFlow() {
    byte[] fiveMegabytes = new byte[5 * 1024 * 1024];
    java.util.Arrays.fill(fiveMegabytes, (byte) 'x');
    String good1 = StreamTestData.addBinary(redis, "rough", fields("customer_id", "1", "product", "a"));
    String huge = StreamTestData.addBinary(redis, "rough", fields("customer_id", "2", "attachment", fiveMegabytes));
    String binary = StreamTestData.addBinary(redis, "rough", fields("customer_id", "3", "product", NOT_UTF8));
    String good2 = StreamTestData.addBinary(redis, "rough", fields("customer_id", "4", "product", "b"));
    connect.createTopic("rough", 1);
    Map<String, String> config = config("rough");
    config.put("value.format", "struct");
    config.put("value.struct.fields", "customer_id,product");
    config.put("value.converter.schemas.enable", "true");

    connect.deployAndAwaitRunning("rough-source", config, 1);

    List<ConsumerRecord<byte[], byte[]>> records = connect.consume("rough", 2, Duration.ofSeconds(60));
    assertThat(records).extracting(StreamTestData::entryId).containsExactly(good1, good2);
    JsonNode first = ConnectClusterExtension.json(new String(records.get(0).value(), StandardCharsets.UTF_8));
    assertThat(first.get("schema").get("name").asText()).isEqualTo("io.redisbridge.StreamEntry");
    assertThat(first.get("payload").get("customer_id").asText()).isEqualTo("1");
    assertThat(first.get("payload").get("product").asText()).isEqualTo("a");
    await().atMost(Duration.ofSeconds(30)).until(() -> StreamTestData.pending(redis, "rough", "rough") == 0);

    List<StreamEntry> letters = redis.xrange("rough-dlq", "-", "+");
    assertThat(letters).extracting(letter -> letter.getFields().get("original_id")).containsExactly(huge, binary);
    assertThat(letters.get(0).getFields().get("reason")).contains("entry.max.bytes");
    assertThat(letters.get(1).getFields().get("reason")).contains("not valid UTF-8");
    List<Object> rawHuge = redis.xrange("rough-dlq".getBytes(StandardCharsets.UTF_8),
        letters.get(0).getID().toString().getBytes(StandardCharsets.UTF_8),
        letters.get(0).getID().toString().getBytes(StandardCharsets.UTF_8));
    assertThat(attachmentOf(rawHuge)).isEqualTo(fiveMegabytes);
    connect.delete("rough-source");
  }

  private static byte[] attachmentOf(List<Object> rawRange) {
    List<?> entry = (List<?>) rawRange.get(0);
    List<?> flat = (List<?>) entry.get(1);
    for (int i = 0; i < flat.size(); i += 2) {
      if ("attachment".equals(new String((byte[]) flat.get(i), StandardCharsets.UTF_8))) {
        return (byte[]) flat.get(i + 1);
      }
    }
    throw new AssertionError("no attachment field in the dead letter");
  }

  @Test
  void validateRejectsBadValuesPerField() {
    Map<String, String> config = new HashMap<>();
    config.put("connector.class", RedisStreamsSourceConnector.class.getName());
    config.put("name", "bad");
    config.put("redis.uri", redisServer.server().uri());
    config.put("redis.streams", "");
    config.put("redis.consumer.group.start.id", "yesterday");
    config.put("redis.read.count", "0");
    config.put("key.mode", "field");
    config.put("value.format", "string");
    config.put("topic", "${stream}-${partition}");
    config.put("value.struct.fields", "ok,1bad");

    Map<String, List<String>> errors = validate(config);

    assertThat(errors.get("redis.streams")).singleElement().asString().contains("at least one stream");
    assertThat(errors.get("redis.consumer.group.start.id")).singleElement().asString().contains("$, 0 or an entry ID");
    assertThat(errors.get("redis.read.count")).isNotEmpty();
    assertThat(errors.get("topic")).singleElement().asString().contains("${partition}");
    assertThat(errors.get("value.struct.fields")).singleElement().asString().contains("1bad");
    assertThat(errors.get("redis.uri")).isEmpty();
  }

  @Test
  void validateNamesTheMissingCompanionKeysAndAnUnreachableServer() {
    Map<String, String> config = new HashMap<>();
    config.put("connector.class", RedisStreamsSourceConnector.class.getName());
    config.put("name", "bad");
    config.put("redis.uri", "redis://127.0.0.1:1");
    config.put("redis.streams", "orders");
    config.put("key.mode", "field");
    config.put("value.format", "bytes");
    config.put("redis.read.block.ms", "20000");
    config.put("redis.socket.timeout.ms", "5000");

    Map<String, List<String>> errors = validate(config);

    assertThat(errors.get("key.field")).singleElement().asString().contains("key.mode=field");
    assertThat(errors.get("value.field")).singleElement().asString().contains("value.format=bytes");
    assertThat(errors.get("redis.read.block.ms")).singleElement().asString().contains("redis.socket.timeout.ms");
    assertThat(errors.get("redis.uri")).singleElement().asString().contains("cannot reach Redis");
    assertThat(errors.get("redis.streams")).isEmpty();
  }

  @Test
  void validateRefusesExactlyOnceRequiredOnAWorkerWithoutIt() {
    Map<String, String> config = SourceConnectorDeliveryIT.baseConfig(redisServer.server().uri(), "orders", "g");
    config.put("name", "eos-on-plain-worker");
    config.put("exactly.once.support", "required");

    Map<String, List<String>> errors = validate(config);

    // The distributed worker refuses it itself; see ExactlyOnceValidationTest for a worker that would not.
    assertThat(errors.get("exactly.once.support")).singleElement().asString()
        .contains("does not have exactly-once source support enabled");
    assertThat(errors.get("redis.streams")).isEmpty();
  }

  /** Every key's errors as the validate endpoint reports them. */
  private static Map<String, List<String>> validate(Map<String, String> config) {
    return connect.validationErrors(RedisStreamsSourceConnector.class.getName(), config);
  }
}
