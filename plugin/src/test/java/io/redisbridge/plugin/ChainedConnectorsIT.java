package io.redisbridge.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.redisbridge.testing.ConnectClusterExtension;
import io.redisbridge.testing.RedisServerExtension;
import io.redisbridge.testing.StreamContents;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.resps.StreamEntry;

/**
 * The source chained to the sink, stream → topic → stream, on a worker that loads the plugin archive: what
 * goes in comes back out, field for field.
 */
class ChainedConnectorsIT {

  private static final int ENTRIES = 200;
  private static final String TRACESTATE = "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE";

  @RegisterExtension
  @Order(1)
  static final RedisServerExtension redis = new RedisServerExtension();

  @RegisterExtension
  @Order(2)
  static final ConnectClusterExtension connect = new ConnectClusterExtension()
      .workerProperty("plugin.path", PluginArchive.unpackToTempDir().toString())
      .workerProperty("plugin.discovery", "service_load");

  private static String traceparent(int n) {
    return String.format("00-%032x-%016x-01", 0x4bf92f3577b34da6L + n, 0x00f067aa0ba902b7L + n);
  }

  private static List<Map<String, String>> addTracedOrders(UnifiedJedis jedis) {
    for (int n = 0; n < ENTRIES; n++) {
      Map<String, String> fields = new LinkedHashMap<>();
      fields.put("order_id", "o-" + n);
      fields.put("amount", (5 + n % 300) + ".99");
      fields.put("traceparent", traceparent(n));
      fields.put("tracestate", TRACESTATE);
      jedis.xadd("traced", StreamEntryID.NEW_ENTRY, fields);
    }
    return StreamContents.entries(jedis, "traced").stream().map(StreamEntry::getFields).toList();
  }

  private static Map<String, String> jsonConverters() {
    Map<String, String> config = new HashMap<>();
    config.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
    config.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
    config.put("value.converter.schemas.enable", "false");
    return config;
  }

  /**
   * A W3C trace context in the entry goes Redis → Kafka → Redis unchanged: the source moves traceparent and
   * tracestate into headers of the same name (header.fields), and the sink writes them back as fields of the
   * same name (headers.include with an empty headers.prefix).
   */
  @Test
  void aTraceContextGoesFromEntryToHeadersAndBackToTheSameFields() {
    UnifiedJedis jedis = redis.client();
    List<Map<String, String>> input = addTracedOrders(jedis);
    connect.createTopic("traced", 1);

    Map<String, String> source = jsonConverters();
    source.put("connector.class", "io.redisbridge.source.RedisStreamsSourceConnector");
    source.put("redis.uri", redis.server().uri());
    source.put("redis.streams", "traced");
    source.put("redis.consumer.group", "tracing");
    source.put("redis.consumer.group.start.id", "0");
    source.put("value.format", "map");
    source.put("header.fields", "traceparent,tracestate");
    source.put("header.fields.mode", "move");
    connect.deployAndAwaitRunning("traced-source", source, 1);

    List<ConsumerRecord<byte[], byte[]>> records = connect.consume("traced", ENTRIES, Duration.ofSeconds(60));
    assertThat(records).hasSize(ENTRIES);
    ConsumerRecord<byte[], byte[]> first = records.get(0);
    assertThat(new String(first.headers().lastHeader("traceparent").value(), StandardCharsets.UTF_8))
        .isEqualTo(traceparent(0));
    assertThat(new String(first.headers().lastHeader("tracestate").value(), StandardCharsets.UTF_8))
        .isEqualTo(TRACESTATE);
    JsonNode value = ConnectClusterExtension.json(new String(first.value(), StandardCharsets.UTF_8));
    assertThat(value.has("traceparent")).as("moved out of the value: " + value).isFalse();
    assertThat(value.get("order_id").asText()).isEqualTo("o-0");

    Map<String, String> sink = jsonConverters();
    sink.put("connector.class", "io.redisbridge.sink.RedisStreamsSinkConnector");
    sink.put("topics", "traced");
    sink.put("redis.uri", redis.server().uri());
    sink.put("redis.stream", "traced-copy");
    sink.put("trim.strategy", "none");
    sink.put("headers.include", "traceparent,tracestate");
    sink.put("headers.prefix", "");
    connect.deployAndAwaitRunning("traced-sink", sink, 1);

    await("every record written back").atMost(Duration.ofSeconds(60))
        .until(() -> jedis.exists("traced-copy") && jedis.xlen("traced-copy") >= ENTRIES);
    List<Map<String, String>> output = StreamContents.entries(jedis, "traced-copy").stream()
        .map(StreamEntry::getFields).toList();
    assertThat(output).isEqualTo(input);
  }

  /** Both connectors at their defaults (apart from where to read and write), as a new user first tries them. */
  @ParameterizedTest(name = "source value.format {0}")
  @ValueSource(strings = {"", "struct"})
  void aChainAtDefaultsGivesBackTheSameFieldsAndAConsumerSeesThemAtTheTopLevel(String valueFormat) {
    UnifiedJedis jedis = redis.client();
    String stream = "orders" + valueFormat;
    connect.createTopic(stream, 1);
    Map<String, String> source = jsonConverters();
    source.put("connector.class", "io.redisbridge.source.RedisStreamsSourceConnector");
    source.put("redis.uri", redis.server().uri());
    source.put("redis.streams", stream);
    if (!valueFormat.isEmpty()) {
      source.put("value.format", valueFormat); // the shape the default had before: {"fields": {...}}
    }
    connect.deployAndAwaitRunning(stream + "-source", source, 1);
    await("the source's group").atMost(Duration.ofSeconds(30)).ignoreExceptions()
        .until(() -> !jedis.xinfoGroups(stream).isEmpty());
    for (int n = 0; n < 50; n++) {
      jedis.xadd(stream, StreamEntryID.NEW_ENTRY, Map.of("order_id", "o-" + n, "amount", n + ".99",
          "items", "[{\"sku\":\"vps-basic\",\"qty\":" + n + "}]"));
    }
    List<Map<String, String>> input = StreamContents.entries(jedis, stream).stream()
        .map(StreamEntry::getFields).toList();

    Map<String, String> sink = jsonConverters();
    sink.put("connector.class", "io.redisbridge.sink.RedisStreamsSinkConnector");
    sink.put("topics", stream);
    sink.put("redis.uri", redis.server().uri());
    sink.put("redis.stream", stream + "-copy");
    connect.deployAndAwaitRunning(stream + "-sink", sink, 1);

    await("every record written back").atMost(Duration.ofSeconds(60))
        .until(() -> jedis.exists(stream + "-copy") && jedis.xlen(stream + "-copy") >= 50);
    assertThat(StreamContents.entries(jedis, stream + "-copy").stream().map(StreamEntry::getFields).toList())
        .isEqualTo(input);
    if (valueFormat.isEmpty()) {
      JsonNode value = ConnectClusterExtension.json(new String(connect.consume(stream, 1, Duration.ofSeconds(30))
          .get(0).value(), StandardCharsets.UTF_8));
      assertThat(value.get("order_id").asText()).isEqualTo("o-0");
      assertThat(value.has("fields")).as(value.toString()).isFalse();
    }
  }

  /**
   * A json field of a schemaless value reaches Kafka as structure and comes back as the same JSON: byte for
   * byte when its keys are in the order the sink writes a map's (sorted), as the same value when not.
   */
  @Test
  void aJsonFieldTravelsAsStructureAndComesBackAsTheSameJson() {
    UnifiedJedis jedis = redis.client();
    connect.createTopic("carts", 1);
    for (int n = 0; n < 20; n++) {
      String items = n % 2 == 0 ? "[{\"price\":9.99,\"qty\":" + n + ",\"sku\":\"vps-basic\"}]"
          : "[{\"sku\":\"vps-basic\", \"qty\":" + n + ", \"price\":9.99}]";
      jedis.xadd("carts", StreamEntryID.NEW_ENTRY, Map.of("order_id", "o-" + n, "items", items));
    }
    List<Map<String, String>> input = StreamContents.entries(jedis, "carts").stream()
        .map(StreamEntry::getFields).toList();
    Map<String, String> source = jsonConverters();
    source.put("connector.class", "io.redisbridge.source.RedisStreamsSourceConnector");
    source.put("redis.uri", redis.server().uri());
    source.put("redis.streams", "carts");
    source.put("redis.consumer.group.start.id", "0");
    source.put("value.format", "map");
    source.put("value.struct.fields", "items:json");
    connect.deployAndAwaitRunning("carts-source", source, 1);
    Map<String, String> sink = jsonConverters();
    sink.put("connector.class", "io.redisbridge.sink.RedisStreamsSinkConnector");
    sink.put("topics", "carts");
    sink.put("redis.uri", redis.server().uri());
    sink.put("redis.stream", "carts-copy");
    connect.deployAndAwaitRunning("carts-sink", sink, 1);

    JsonNode first = ConnectClusterExtension.json(new String(connect.consume("carts", 1, Duration.ofSeconds(30))
        .get(0).value(), StandardCharsets.UTF_8));
    assertThat(first.get("items").isArray()).as("structure, not text: " + first).isTrue();
    assertThat(first.get("items").get(0).get("qty").isIntegralNumber()).isTrue();
    await("every record written back").atMost(Duration.ofSeconds(60))
        .until(() -> jedis.exists("carts-copy") && jedis.xlen("carts-copy") >= 20);
    List<Map<String, String>> output = StreamContents.entries(jedis, "carts-copy").stream()
        .map(StreamEntry::getFields).toList();
    assertThat(output).hasSize(20);
    for (int n = 0; n < 20; n++) {
      assertThat(output.get(n).get("order_id")).isEqualTo(input.get(n).get("order_id"));
      String items = output.get(n).get("items");
      if (n % 2 == 0) {
        assertThat(items).isEqualTo(input.get(n).get("items"));
      } else {
        assertThat(ConnectClusterExtension.json(items)).isEqualTo(ConnectClusterExtension.json(input.get(n)
            .get("items")));
        assertThat(items).isEqualTo("[{\"price\":9.99,\"qty\":" + n + ",\"sku\":\"vps-basic\"}]");
      }
    }
  }
}
