package io.redisbridge.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

class RecordFieldMapperTest {

  private static RecordFieldMapper mapper(String... keysAndValues) {
    Map<String, String> props = new HashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      props.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return new RecordFieldMapper(new RedisStreamsSinkConfig(props));
  }

  private static Map<String, String> text(StreamWrite write) {
    Map<String, String> fields = new LinkedHashMap<>();
    write.fields().forEach((name, value) ->
        fields.put(new String(name, StandardCharsets.UTF_8), new String(value, StandardCharsets.UTF_8)));
    return fields;
  }

  private static SinkRecord record(Schema keySchema, Object key, Schema valueSchema, Object value) {
    return new SinkRecord("orders", 2, keySchema, key, valueSchema, value, 17L, 1_700_000_000_000L,
        org.apache.kafka.common.record.TimestampType.CREATE_TIME);
  }

  @Test
  void structFieldsInSchemaOrderWithLogicalTypesAndEpochMillisWhenAsked() throws Exception {
    Schema schema = SchemaBuilder.struct()
        .field("amount", Decimal.schema(2))
        .field("at", Timestamp.SCHEMA)
        .field("skipped", Schema.OPTIONAL_STRING_SCHEMA)
        .build();
    Struct value = new Struct(schema).put("amount", new BigDecimal("1E+3").setScale(2)).put("at", new Date(1500L));

    assertThat(text(mapper().toWrite(record(null, null, schema, value)).orElseThrow()))
        .containsExactly(Map.entry("amount", "1000.00"), Map.entry("at", "1970-01-01T00:00:01.500Z"));
    assertThat(text(mapper("temporal.format", "epoch_millis").toWrite(record(null, null, schema, value)).orElseThrow()))
        .containsEntry("at", "1500");
  }

  @Test
  void streamTemplateUsesTopicPartitionAndKey() throws Exception {
    SinkRecord record = record(Schema.STRING_SCHEMA, "c42", Schema.STRING_SCHEMA, "v");

    assertThat(mapper().toWrite(record).orElseThrow().stream()).isEqualTo("orders");
    assertThat(mapper("redis.stream", "{${topic}}:${partition}:${key}").toWrite(record).orElseThrow().stream())
        .isEqualTo("{orders}:2:c42");
    assertThatThrownBy(() -> mapper("redis.stream", "${key}").toWrite(record(null, null, Schema.STRING_SCHEMA, "v")))
        .isInstanceOf(RecordConversionException.class).hasMessageContaining("no key");
  }

  @Test
  void stringAndBytesValuesGoToTheValueFieldBytesUnchanged() throws Exception {
    assertThat(text(mapper("value.field.name", "payload").toWrite(record(null, null, Schema.STRING_SCHEMA, "hi"))
        .orElseThrow())).containsExactly(Map.entry("payload", "hi"));
    byte[] raw = {0, (byte) 0xFF, 10};
    StreamWrite write = mapper().toWrite(record(null, null, Schema.BYTES_SCHEMA, raw)).orElseThrow();
    assertThat(write.fields().values().iterator().next()).isEqualTo(raw);
  }

  @Test
  void addsKeyHeadersAndMetadataWhenConfigured() throws Exception {
    SinkRecord record = record(Schema.STRING_SCHEMA, "c42", null, Map.of("a", 1));
    record.headers().addString("trace-id", "t-1").addString("ignored", "x");

    Map<String, String> fields = text(mapper("key.field.name", "key", "headers.include", "trace-id",
        "metadata.fields", "true").toWrite(record).orElseThrow());

    assertThat(fields).containsExactly(Map.entry("a", "1"), Map.entry("key", "c42"),
        Map.entry("header.trace-id", "t-1"), Map.entry("kafka.topic", "orders"), Map.entry("kafka.partition", "2"),
        Map.entry("kafka.offset", "17"), Map.entry("kafka.timestamp", "1700000000000"));
  }

  @Test
  void tombstonesAreSkippedOrWrittenAsMarkedEntries() throws Exception {
    SinkRecord tombstone = record(Schema.STRING_SCHEMA, "c42", null, null);

    assertThat(mapper().toWrite(tombstone)).isEmpty();
    assertThat(text(mapper("tombstones", "write", "key.field.name", "key").toWrite(tombstone).orElseThrow()))
        .containsExactly(Map.entry("tombstone", "true"), Map.entry("key", "c42"));
  }

  @Test
  void aValueWithNothingToWriteIsAFailedRecord() {
    Schema schema = SchemaBuilder.struct().field("only", Schema.OPTIONAL_STRING_SCHEMA).build();
    assertThatThrownBy(() -> mapper().toWrite(record(null, null, schema, new Struct(schema))))
        .isInstanceOf(RecordConversionException.class).hasMessageContaining("at least one");
  }

  @Test
  void schemalessMapsAreWrittenInKeyOrderWithNestedListsAsJson() throws Exception {
    Map<String, Object> value = new HashMap<>();
    value.put("z", List.of(1, "two", Map.of("k", "v\"q")));
    value.put("a", true);

    assertThat(text(mapper().toWrite(record(null, null, null, value)).orElseThrow()))
        .containsExactly(Map.entry("a", "true"), Map.entry("z", "[1,\"two\",{\"k\":\"v\\\"q\"}]"));
  }

  /** The source connector's struct value: declared fields, and the rest of the entry in a map 'fields'. */
  private static Struct sourceShapedOrder() {
    Schema schema = SchemaBuilder.struct().name("io.redisbridge.StreamEntry")
        .field("order_id", Schema.OPTIONAL_STRING_SCHEMA)
        .field("coupon", Schema.OPTIONAL_STRING_SCHEMA)
        .field("fields", SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.STRING_SCHEMA).optional().build())
        .build();
    Map<String, String> others = new LinkedHashMap<>();
    others.put("channel", "web");
    others.put("amount", "9.99");
    return new Struct(schema).put("order_id", "o1").put("fields", others);
  }

  @Test
  void theSourcesFieldsMapBecomesFieldsOfTheirOwnAsStructAndAsSchemalessJson() throws Exception {
    Struct order = sourceShapedOrder();
    assertThat(text(mapper().toWrite(record(null, null, order.schema(), order)).orElseThrow()))
        .isEqualTo(Map.of("order_id", "o1", "channel", "web", "amount", "9.99"));

    // What a JSON converter without schemas makes of it on the way.
    Map<String, Object> schemaless = new HashMap<>();
    schemaless.put("order_id", "o1");
    schemaless.put("coupon", null);
    schemaless.put("fields", Map.of("channel", "web", "amount", "9.99"));
    assertThat(text(mapper().toWrite(record(null, null, null, schemaless)).orElseThrow()))
        .isEqualTo(Map.of("order_id", "o1", "channel", "web", "amount", "9.99"));
  }

  @Test
  void anEmptyExpandFieldWritesTheMapAsJsonAndAFieldsValueThatIsNoMapIsLeftAlone() throws Exception {
    Struct order = sourceShapedOrder();
    assertThat(text(mapper("value.expand.field", "").toWrite(record(null, null, order.schema(), order))
        .orElseThrow())).isEqualTo(Map.of("order_id", "o1", "fields", "{\"amount\":\"9.99\",\"channel\":\"web\"}"));

    Map<String, Object> notAMap = Map.of("fields", "title,body");
    assertThat(text(mapper().toWrite(record(null, null, null, notAMap)).orElseThrow()))
        .isEqualTo(Map.of("fields", "title,body"));
  }

  @Test
  void aTemporalFieldIsWrittenInTheFormItsSchemaNamesWhateverTemporalFormatSays() throws Exception {
    Schema schema = SchemaBuilder.struct()
        .field("created", org.apache.kafka.connect.data.Timestamp.builder()
            .parameter("io.redisbridge.text.format", "epoch_millis").build())
        .field("shipped", org.apache.kafka.connect.data.Timestamp.builder()
            .parameter("io.redisbridge.text.format", "iso").build())
        .field("seen", org.apache.kafka.connect.data.Timestamp.SCHEMA)
        .build();
    Struct value = new Struct(schema).put("created", new Date(1709300700250L)).put("shipped", new Date(1709300700250L))
        .put("seen", new Date(1709300700250L));

    assertThat(text(mapper().toWrite(record(null, null, schema, value)).orElseThrow())).containsExactly(
        Map.entry("created", "1709300700250"), Map.entry("shipped", "2024-03-01T13:45:00.250Z"),
        Map.entry("seen", "2024-03-01T13:45:00.250Z"));
    assertThat(text(mapper("temporal.format", "epoch_millis").toWrite(record(null, null, schema, value))
        .orElseThrow())).containsEntry("shipped", "2024-03-01T13:45:00.250Z").containsEntry("seen", "1709300700250");
  }
}
