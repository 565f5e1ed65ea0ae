package io.redisbridge.source.map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.MAP;

import io.redisbridge.common.redis.StreamField;
import io.redisbridge.source.RedisStreamsSourceConfig;
import io.redisbridge.source.read.EntryRef;
import io.redisbridge.source.read.StreamEntry;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.StreamEntryID;

class EntryRecordMapperTest {

  private static final byte[] NOT_UTF8 = {(byte) 0xC3, (byte) 0x28, (byte) 0xFF};
  private static final StreamEntryID ID = new StreamEntryID(1709234567890L, 3);

  private static EntryRecordMapper mapper(String... keysAndValues) {
    Map<String, String> props = new HashMap<>();
    props.put("redis.streams", "orders");
    props.put("redis.consumer.group", "order-processors");
    for (int i = 0; i < keysAndValues.length; i += 2) {
      props.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return new EntryRecordMapper(new RedisStreamsSourceConfig(props));
  }

  /** An exactly-once partition: it names the stream, so the offset is the entry ID alone. */
  private static final Map<String, String> PARTITION = SourceOffsets.partition("orders", "order-processors", "c-0");

  private static StreamEntry entry(StreamField... fields) {
    return new StreamEntry("orders", ID, List.of(fields), false, 2);
  }

  private static StreamEntry order() {
    return entry(StreamField.of("customer_id", "42"), StreamField.of("product", "vps-basic"),
        StreamField.of("amount", "9.99"));
  }

  @Test
  void structHasDeclaredFieldsAndTheRestInItsFieldsMap() throws Exception {
    SourceRecord record = mapper("value.struct.fields", "customer_id,product,action").toRecord(order(), PARTITION);

    Struct value = (Struct) record.value();
    assertThat(record.valueSchema().name()).isEqualTo("io.redisbridge.StreamEntry");
    assertThat(record.valueSchema().fields()).extracting(f -> f.name())
        .containsExactly("customer_id", "product", "action", "fields");
    assertThat(value.getString("customer_id")).isEqualTo("42");
    assertThat(value.getString("product")).isEqualTo("vps-basic");
    assertThat(value.getString("action")).isNull();
    assertThat(value.getMap("fields")).containsExactly(Map.entry("amount", "9.99"));
    value.validate();
  }

  @Test
  void recordCarriesTopicOffsetsHeadersAndTheEntryTimestamp() throws Exception {
    SourceRecord record = mapper("topic", "redis.${group}.${stream}",
        "record.headers", "redis.stream,redis.entry.id,redis.delivery.count").toRecord(order(), PARTITION);

    assertThat(record.topic()).isEqualTo("redis.order-processors.orders");
    assertThat(record.timestamp()).isEqualTo(1709234567890L);
    assertThat(record.sourcePartition()).isEqualTo(Map.of("stream", "orders", "group", "order-processors",
        "consumer", "c-0"));
    assertThat(record.sourceOffset()).isEqualTo(Map.of("entry.id", "1709234567890-3"));
    assertThat(record.headers().lastWithName("redis.stream").value()).isEqualTo("orders");
    assertThat(record.headers().lastWithName("redis.entry.id").value()).isEqualTo("1709234567890-3");
    assertThat(record.headers().lastWithName("redis.delivery.count").value()).isEqualTo(2L);
    assertThat(EntryRecord.refOf(record)).isEqualTo(new EntryRef("orders", ID));
  }

  @Test
  void keyIsNothingTheEntryIdOrAFieldValue() throws Exception {
    assertThat(mapper("key.mode", "none").toRecord(order(), PARTITION).key()).isNull();
    assertThat(mapper("key.mode", "id").toRecord(order(), PARTITION).key()).isEqualTo("1709234567890-3");
    SourceRecord byCustomer = mapper("key.mode", "field", "key.field", "customer_id").toRecord(order(), PARTITION);
    assertThat(byCustomer.key()).isEqualTo("42");
    assertThat(byCustomer.keySchema()).isEqualTo(Schema.OPTIONAL_STRING_SCHEMA);
    assertThat(mapper("key.mode", "field", "key.field", "missing").toRecord(order(), PARTITION).key()).isNull();
  }

  @Test
  void schemalessMapKeepsNonUtf8ValuesAsBytes() throws Exception {
    SourceRecord record = mapper("value.format", "map")
        .toRecord(entry(StreamField.of("text", "ok"), new StreamField("raw".getBytes(StandardCharsets.UTF_8), NOT_UTF8),
            StreamField.of("empty", "")), PARTITION);

    assertThat(record.valueSchema()).isNull();
    @SuppressWarnings("unchecked")
    Map<String, Object> value = (Map<String, Object>) record.value();
    assertThat(value).containsEntry("text", "ok").containsEntry("empty", "");
    assertThat((byte[]) value.get("raw")).isEqualTo(NOT_UTF8);
  }

  @Test
  void stringAndBytesFormatsTakeOneFieldAndRejectEntriesWithoutIt() throws Exception {
    StreamEntry payload = entry(StreamField.of("payload", "{\"a\":1}"), StreamField.of("other", "x"));
    assertThat(mapper("value.format", "string", "value.field", "payload").toRecord(payload, PARTITION).value())
        .isEqualTo("{\"a\":1}");
    assertThat((byte[]) mapper("value.format", "bytes", "value.field", "payload").toRecord(payload, PARTITION).value())
        .isEqualTo("{\"a\":1}".getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(() -> mapper("value.format", "bytes", "value.field", "body").toRecord(payload, PARTITION))
        .isInstanceOf(MappingException.class).hasMessageContaining("no field 'body'");
  }

  @Test
  void rejectsWhatAStringCannotHoldAndRepeatedFieldNames() throws Exception {
    StreamEntry binary = entry(new StreamField("payload".getBytes(StandardCharsets.UTF_8), NOT_UTF8));
    assertThatThrownBy(() -> mapper("value.format", "string", "value.field", "payload").toRecord(binary, PARTITION))
        .isInstanceOf(MappingException.class).hasMessageContaining("not valid UTF-8");
    assertThatThrownBy(() -> mapper("value.format", "struct").toRecord(binary, PARTITION))
        .isInstanceOf(MappingException.class).hasMessageContaining("not valid UTF-8");

    StreamEntry repeated = entry(StreamField.of("a", "1"), StreamField.of("a", "2"));
    assertThatThrownBy(() -> mapper("value.format", "map").toRecord(repeated, PARTITION))
        .isInstanceOf(MappingException.class).hasMessageContaining("appears twice");

    // Many fields take the hashing path: a repeat far apart is found there too.
    StreamField[] many = new StreamField[40];
    for (int i = 0; i < many.length; i++) {
      many[i] = StreamField.of("f" + i, "v");
    }
    assertThat(mapper("value.format", "map").toRecord(entry(many), PARTITION).value()).asInstanceOf(MAP)
        .hasSize(40);
    many[39] = StreamField.of("f3", "again");
    assertThatThrownBy(() -> mapper("value.format", "map").toRecord(entry(many), PARTITION))
        .isInstanceOf(MappingException.class).hasMessageContaining("'f3' appears twice");
  }

  @Test
  void aProgressPartitionsRecordNamesItsStreamInTheOffset() throws Exception {
    Map<String, String> progress = new SourcePartitions("order-processors", false).of("orders", "c-0");
    SourceRecord record = mapper().toRecord(order(), progress);

    assertThat(record.sourcePartition()).isEqualTo(Map.of("group", "order-processors", "consumer", "c-0"));
    assertThat(record.sourceOffset()).isEqualTo(Map.of("stream", "orders", "entry.id", "1709234567890-3"));
    SourceRecord copy = new SourceRecord(record.sourcePartition(), record.sourceOffset(), record.topic(),
        record.kafkaPartition(), record.keySchema(), record.key(), record.valueSchema(), record.value(),
        record.timestamp(), record.headers());
    assertThat(EntryRecord.refOf(copy)).isEqualTo(new EntryRef("orders", ID));
  }

  @Test
  void anAckFindsTheEntryOfARecordConnectRebuiltFromItsOffsets() throws Exception {
    SourceRecord record = mapper().toRecord(order(), PARTITION);
    SourceRecord copy = record.newRecord(record.topic(), null, record.keySchema(), record.key(),
        record.valueSchema(), record.value(), record.timestamp(), record.headers());

    assertThat(copy).isNotInstanceOf(EntryRecord.class);
    assertThat(EntryRecord.refOf(copy)).isEqualTo(EntryRecord.refOf(record))
        .isEqualTo(new EntryRef("orders", ID));
  }

  @Test
  void recordHeadersCarryOnlyTheHeadersConfigured() throws Exception {
    SourceRecord byDefault = mapper().toRecord(order(), PARTITION);
    assertThat(byDefault.headers()).extracting(h -> h.key()).containsExactly("redis.entry.id");
    assertThat(byDefault.headers().lastWithName("redis.entry.id").value()).isEqualTo(ID.toString());

    SourceRecord all = mapper("record.headers", "redis.stream,redis.entry.id,redis.delivery.count")
        .toRecord(order(), PARTITION);
    assertThat(all.headers()).extracting(h -> h.key())
        .containsExactly("redis.stream", "redis.entry.id", "redis.delivery.count");

    SourceRecord some = mapper("record.headers", "redis.delivery.count, redis.stream").toRecord(order(), PARTITION);
    assertThat(some.headers()).extracting(h -> h.key()).containsExactly("redis.stream", "redis.delivery.count");
    assertThat(some.headers().lastWithName("redis.delivery.count").value()).isEqualTo(2L);

    SourceRecord none = mapper("record.headers", "").toRecord(order(), PARTITION);
    assertThat(none.headers()).isEmpty();
    // Without the header, the entry ID is still the source offset an ack is found by.
    assertThat(EntryRecord.refOf(none)).isEqualTo(new EntryRef("orders", ID));
  }

  @Test
  void recordHeadersRefuseUnknownAndRepeatedNames() {
    assertThatThrownBy(() -> mapper("record.headers", "redis.stream,redis.id"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("'redis.id' is not one of redis.stream");
    assertThatThrownBy(() -> mapper("record.headers", "redis.stream,redis.stream"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("listed twice");
  }

  private static StreamEntry tracedOrder() {
    return entry(StreamField.of("order_id", "o1"), StreamField.of("traceparent",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"), StreamField.of("amount", "9.99"),
        new StreamField("tenant".getBytes(StandardCharsets.UTF_8), NOT_UTF8));
  }

  @Test
  void headerFieldsAreCopiedIntoHeadersOfTheSameNameAndStayInTheValue() throws Exception {
    SourceRecord record = mapper("value.format", "map", "header.fields", "traceparent, tenant, tracestate")
        .toRecord(tracedOrder(), PARTITION);

    assertThat(record.headers().lastWithName("traceparent").value())
        .isEqualTo("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    assertThat(record.headers().lastWithName("traceparent").schema()).isEqualTo(Schema.STRING_SCHEMA);
    assertThat(record.headers().lastWithName("tenant").schema()).isEqualTo(Schema.BYTES_SCHEMA);
    assertThat((byte[]) record.headers().lastWithName("tenant").value()).isEqualTo(NOT_UTF8);
    assertThat(record.headers().lastWithName("tracestate")).as("the entry has no such field").isNull();
    assertThat(record.headers().lastWithName("redis.entry.id")).isNotNull();
    assertThat(record.value()).asInstanceOf(MAP).containsKeys("order_id", "traceparent", "amount", "tenant");
  }

  @Test
  void movedHeaderFieldsLeaveStructAndMapValues() throws Exception {
    SourceRecord asMap = mapper("value.format", "map", "header.fields", "traceparent,tenant",
        "header.fields.mode", "move").toRecord(tracedOrder(), PARTITION);
    assertThat(asMap.value()).asInstanceOf(MAP).containsOnlyKeys("order_id", "amount");
    assertThat(asMap.headers().lastWithName("traceparent")).isNotNull();

    SourceRecord asStruct = mapper("value.struct.fields", "order_id", "header.fields", "traceparent,tenant",
        "header.fields.mode", "MOVE").toRecord(tracedOrder(), PARTITION);
    Struct value = (Struct) asStruct.value();
    assertThat(value.getString("order_id")).isEqualTo("o1");
    assertThat(value.getMap("fields")).containsExactly(Map.entry("amount", "9.99"));
    assertThat(asStruct.headers().lastWithName("tenant")).isNotNull();
  }

  @Test
  void headerFieldsRefuseEmptyAndRepeatedNames() {
    assertThatThrownBy(() -> mapper("header.fields", "traceparent,,tenant")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("must not be empty");
    assertThatThrownBy(() -> mapper("header.fields", "tenant,tenant")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("listed twice");
    assertThatThrownBy(() -> mapper("header.fields.mode", "cut")).isInstanceOf(ConfigException.class);
  }

  @Test
  void theDefaultValueIsAFlatMapUnlessStructFieldsAreDeclared() throws Exception {
    SourceRecord flat = mapper().toRecord(order(), PARTITION);
    assertThat(flat.valueSchema()).isNull();
    assertThat(flat.value()).asInstanceOf(MAP).containsExactly(Map.entry("customer_id", "42"),
        Map.entry("product", "vps-basic"), Map.entry("amount", "9.99"));

    SourceRecord declared = mapper("value.struct.fields", "customer_id").toRecord(order(), PARTITION);
    assertThat(((Struct) declared.value()).getString("customer_id")).isEqualTo("42");
    assertThat(((Struct) declared.value()).getMap("fields")).containsOnlyKeys("product", "amount");

    SourceRecord pinned = mapper("value.format", "STRUCT").toRecord(order(), PARTITION);
    assertThat(((Struct) pinned.value()).getMap("fields")).hasSize(3);
  }

  @Test
  void declaredTypesGiveTheStructTypedFieldsAndRequiredOnesNoNull() throws Exception {
    SourceRecord record = mapper("value.struct.fields", "customer_id:int64!,amount:decimal(10,2),paid:boolean,product")
        .toRecord(order(), PARTITION);

    Schema schema = record.valueSchema();
    assertThat(schema.field("customer_id").schema().type()).isEqualTo(Schema.Type.INT64);
    assertThat(schema.field("customer_id").schema().isOptional()).isFalse();
    assertThat(schema.field("amount").schema().name()).isEqualTo(org.apache.kafka.connect.data.Decimal.LOGICAL_NAME);
    assertThat(schema.field("paid").schema().isOptional()).isTrue();
    Struct value = (Struct) record.value();
    assertThat(value.getInt64("customer_id")).isEqualTo(42L);
    assertThat(value.get("amount")).isEqualTo(new java.math.BigDecimal("9.99"));
    assertThat(value.get("paid")).isNull();
    assertThat(value.getString("product")).isEqualTo("vps-basic");
    value.validate();
  }

  @Test
  void aValueNotOfItsTypeOrAMissingRequiredFieldIsADeadLetterWithTheReason() {
    StreamEntry badAmount = entry(StreamField.of("customer_id", "42"), StreamField.of("amount", "9.9"));
    assertThatThrownBy(() -> mapper("value.struct.fields", "customer_id:int64,amount:decimal(10,2)")
        .toRecord(badAmount, PARTITION)).isInstanceOf(MappingException.class)
        .hasMessage("field 'amount' holds '9.9', which is not a decimal(10,2) as declared in value.struct.fields: "
            + "it would come back as '9.90'");

    StreamEntry longJunk = entry(StreamField.of("customer_id", "x".repeat(500)));
    assertThatThrownBy(() -> mapper("value.struct.fields", "customer_id:int64").toRecord(longJunk, PARTITION))
        .isInstanceOf(MappingException.class).hasMessageContaining("'" + "x".repeat(64) + "...'")
        .hasMessageContaining("int64");

    StreamEntry noCustomer = entry(StreamField.of("amount", "9.99"));
    assertThatThrownBy(() -> mapper("value.struct.fields", "customer_id:int64!").toRecord(noCustomer, PARTITION))
        .isInstanceOf(MappingException.class).hasMessageContaining("no field 'customer_id'")
        .hasMessageContaining("customer_id:int64!");
    assertThatThrownBy(() -> mapper("value.format", "map", "value.struct.fields", "customer_id!")
        .toRecord(noCustomer, PARTITION)).isInstanceOf(MappingException.class);
  }

  @Test
  void aSchemalessMapCarriesDeclaredFieldsTypedAndTheRestAsText() throws Exception {
    SourceRecord record = mapper("value.format", "map", "value.struct.fields", "customer_id:int64,amount:float64")
        .toRecord(order(), PARTITION);

    assertThat(record.value()).asInstanceOf(MAP).containsEntry("customer_id", 42L).containsEntry("amount", 9.99)
        .containsEntry("product", "vps-basic");
  }

  @Test
  void aMalformedDeclarationIsAConfigErrorNamingTheBadPart() {
    assertThatThrownBy(() -> mapper("value.struct.fields", "order_id,amount:decimal(10,two)"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("'decimal(10,two)'");
  }

  private static final String ITEMS_JSON = "[{\"sku\":\"A1\",\"qty\":2,\"price\":9.99},"
      + "{\"sku\":\"B2\",\"qty\":1,\"price\":120.00,\"note\":\"gift\"}]";

  @Test
  void aJsonFieldOfAMapIsStructureNotText() throws Exception {
    SourceRecord record = mapper("value.format", "map", "value.struct.fields", "items:json")
        .toRecord(entry(StreamField.of("order_id", "o1"), StreamField.of("items", ITEMS_JSON)), PARTITION);

    Map<?, ?> value = (Map<?, ?>) record.value();
    assertThat(value.get("order_id")).isEqualTo("o1");
    List<?> items = (List<?>) value.get("items");
    assertThat(items).hasSize(2);
    assertThat(items.get(0)).isEqualTo(Map.of("sku", "A1", "qty", 2L, "price", 9.99));
  }

  @Test
  void aJsonFieldOfAStructIsAnArrayOfRecordsOfItsDeclaredSchema() throws Exception {
    SourceRecord record = mapper("value.struct.fields", "order_id!,items:json!",
        "value.json.schemas", JsonFieldSchemasTest.ITEMS)
        .toRecord(entry(StreamField.of("order_id", "o1"), StreamField.of("items", ITEMS_JSON)), PARTITION);

    Struct value = (Struct) record.value();
    value.validate();
    Schema items = record.valueSchema().field("items").schema();
    assertThat(items.type()).isEqualTo(Schema.Type.ARRAY);
    assertThat(items.isOptional()).isFalse();
    assertThat(items.valueSchema().name()).isEqualTo("shop.Item");
    Struct second = (Struct) value.getArray("items").get(1);
    assertThat(second.getString("note")).isEqualTo("gift");
    assertThat(second.get("price")).isEqualTo(new java.math.BigDecimal("120.00"));
  }

  @Test
  void aJsonFieldThatIsNotJsonOrNotOfItsSchemaIsADeadLetterWithThePath() {
    EntryRecordMapper mapper = mapper("value.struct.fields", "items:json",
        "value.json.schemas", JsonFieldSchemasTest.ITEMS);

    assertThatThrownBy(() -> mapper.toRecord(entry(StreamField.of("items", "[{sku: A1}]")), PARTITION))
        .isInstanceOf(MappingException.class).hasMessageContaining("field 'items' holds '[{sku: A1}]'")
        .hasMessageContaining("not JSON: an object key must be a string");
    assertThatThrownBy(() -> mapper.toRecord(entry(StreamField.of("items",
        "[{\"sku\":\"A1\",\"qty\":\"2\",\"price\":1}]")), PARTITION))
        .isInstanceOf(MappingException.class).hasMessageContaining("items[0].qty is not a number");
    assertThatThrownBy(() -> mapper.toRecord(entry(StreamField.of("items", "")), PARTITION))
        .isInstanceOf(MappingException.class).hasMessageContaining("the text ends where a value should be");
  }
}
