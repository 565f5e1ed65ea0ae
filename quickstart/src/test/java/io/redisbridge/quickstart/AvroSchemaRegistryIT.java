package io.redisbridge.quickstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.redisbridge.testing.ConnectClusterExtension;
import io.redisbridge.testing.StreamContents;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.params.XAddParams;
import redis.clients.jedis.resps.StreamEntry;

/**
 * Avro with a real schema registry, as users run it: Apicurio Registry 2.6 as its own process, and
 * Apicurio's AvroConverter in Confluent wire format (magic byte, 4-byte content ID) installed in its own
 * folder on the plugin.path of a separately launched worker. What the converter writes, a plain Avro
 * reader decodes with the schema from the registry's Confluent-compatible API; what a plain Avro writer
 * produces, the sink writes as exact fields; a schema that gains an optional field mid-stream passes
 * through both connectors.
 */
class AvroSchemaRegistryIT {

  private static final Path ROOT = Path.of(System.getProperty("project.root", "..")).toAbsolutePath().normalize();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static LocalServices services;
  private static ApicurioRegistry registry;

  @BeforeAll
  static void start() throws Exception {
    MavenJars jars = new MavenJars(ROOT);
    Path runDir = Files.createTempDirectory("avro-it-");
    registry = ApicurioRegistry.start(jars.apicurioRegistryApp(), runDir);
    Path plugins = LocalServices.unpackBuiltPlugin(ROOT, runDir.resolve("plugins"));
    jars.addApicurioConverterTo(plugins);
    services = new LocalServices(runDir,
        Files.readString(ROOT.resolve("quickstart/target/runtime-classpath.txt")).trim());
    services.startRedis();
    services.startKafka();
    // Apicurio's converter jars carry no ServiceLoader manifest, so service_load alone would not find it.
    services.startConnect(ROOT.resolve("config/connect-distributed.properties"), plugins,
        Map.of("plugin.discovery", "hybrid_warn"));
  }

  @AfterAll
  static void stop() {
    if (services != null) {
      services.close();
    }
    if (registry != null) {
      registry.close();
    }
  }

  /** Apicurio's AvroConverter in Confluent wire format, as connector properties. */
  private static Map<String, String> avroValues() {
    Map<String, String> config = new HashMap<>();
    config.put("value.converter", "io.apicurio.registry.utils.converter.AvroConverter");
    config.put("value.converter.apicurio.registry.url", registry.registryApiUrl());
    config.put("value.converter.apicurio.registry.as-confluent", "true");
    config.put("value.converter.apicurio.registry.use-id", "contentId");
    config.put("value.converter.apicurio.registry.headers.enabled", "false");
    config.put("value.converter.apicurio.registry.auto-register", "true");
    return config;
  }

  private static Map<String, String> sinkConfig(String topic, String stream) {
    return PipelineConfigs.sink(services.redisPort(), topic, stream, avroValues());
  }

  @Test
  void sourceStructsArePlainAvroAndAnAddedFieldPassesThroughBothConnectors() throws Exception {
    services.createTopic("avro-orders", 1);
    Map<String, String> source = PipelineConfigs.source(services.redisPort(), "avro-orders", "avro", avroValues());
    source.put("value.format", "struct");
    source.put("value.struct.fields", "order_id,amount");
    source.put("value.schema.name", "io.redisbridge.test.Order");
    services.putConnector("avro-source", JSON.writeValueAsString(source));
    services.putConnector("avro-copy", JSON.writeValueAsString(sinkConfig("avro-orders", "avro-orders-copy")));

    try (Jedis redis = new Jedis("127.0.0.1", services.redisPort())) {
      for (int n = 0; n < 100; n++) {
        redis.xadd("avro-orders", XAddParams.xAddParams(),
            Map.of("order_id", "o-" + n, "amount", n + ".99", "channel", "web"));
      }
      await("the first schema's records copied").atMost(Duration.ofSeconds(90))
          .until(() -> redis.xlen("avro-orders-copy") == 100);

      // The schema gains an optional field while entries keep coming.
      source.put("value.struct.fields", "order_id,amount,coupon");
      services.putConnector("avro-source", JSON.writeValueAsString(source));
      await("the source runs the new config").atMost(Duration.ofSeconds(60)).until(() ->
          services.get("/connectors/avro-source/tasks").contains("order_id,amount,coupon"));
      for (int n = 100; n < 200; n++) {
        redis.xadd("avro-orders", XAddParams.xAddParams(),
            Map.of("order_id", "o-" + n, "amount", n + ".99", "coupon", "SAVE" + n, "channel", "app"));
      }
      await("every record copied").atMost(Duration.ofSeconds(90))
          .until(() -> redis.xlen("avro-orders-copy") == 200);

      List<StreamEntry> copies = redis.xrange("avro-orders-copy", "-", "+");
      assertThat(copies.get(0).getFields())
          .isEqualTo(Map.of("order_id", "o-0", "amount", "0.99", "channel", "web"));
      assertThat(copies.get(199).getFields()).isEqualTo(
          Map.of("order_id", "o-199", "amount", "199.99", "coupon", "SAVE199", "channel", "app"));
    }

    // On Kafka: Confluent wire format that a plain Avro reader decodes with the registry's schema.
    List<GenericRecord> values = new ArrayList<>();
    List<Integer> ids = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record : consumeAll("avro-orders", 200)) {
      ByteBuffer payload = ByteBuffer.wrap(record.value());
      assertThat(payload.get()).as("magic byte").isZero();
      int id = payload.getInt();
      ids.add(id);
      Schema schema = registry.schemaById(id);
      byte[] avro = new byte[payload.remaining()];
      payload.get(avro);
      values.add(new GenericDatumReader<GenericRecord>(schema).read(null,
          DecoderFactory.get().binaryDecoder(avro, null)));
    }
    assertThat(ids.subList(0, 100)).containsOnly(ids.get(0));
    assertThat(ids.subList(100, 200)).containsOnly(ids.get(100)).doesNotContain(ids.get(0));
    GenericRecord first = values.get(0);
    assertThat(first.getSchema().getFullName()).isEqualTo("io.redisbridge.test.Order");
    assertThat(first.getSchema().getField("coupon")).isNull();
    assertThat(first.get("order_id")).hasToString("o-0");
    assertThat(first.get("amount")).hasToString("0.99");
    assertThat(textMap(first.get("fields"))).isEqualTo(Map.of("channel", "web"));
    GenericRecord last = values.get(199);
    assertThat(last.get("order_id")).hasToString("o-199");
    assertThat(last.get("coupon")).hasToString("SAVE199");
    assertThat(registry.versions("avro-orders-value")).hasSize(2);
    services.deleteConnector("avro-source");
    services.deleteConnector("avro-copy");
  }

  /**
   * Typed declarations become typed Avro: the registered schema has long, double, bytes+decimal,
   * timestamp-millis and date where the entries hold text; a plain Avro reader decodes the values typed; a sink
   * chained behind writes every entry back field for field; a value not of its type is a dead letter.
   */
  @Test
  void typedSourceFieldsRegisterTypedAvroAndComeBackThroughTheSinkUnchanged() throws Exception {
    services.createTopic("avro-typed", 1);
    Map<String, String> source = PipelineConfigs.source(services.redisPort(), "avro-typed", "typed", avroValues());
    source.put("value.format", "struct");
    source.put("value.struct.fields", "order_id!,customer_id:int64!,total:float64,amount:decimal(10,2),"
        + "paid:boolean,placed_at:timestamp,shipped_at:timestamp(iso),placed_on:date,note");
    source.put("value.schema.name", "io.redisbridge.test.TypedOrder");
    services.putConnector("avro-typed-source", JSON.writeValueAsString(source));
    services.putConnector("avro-typed-copy", JSON.writeValueAsString(sinkConfig("avro-typed", "avro-typed-copy")));

    List<Map<String, String>> input = new ArrayList<>();
    try (Jedis redis = new Jedis("127.0.0.1", services.redisPort())) {
      for (int n = 0; n < 50; n++) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("order_id", "o-" + n);
        fields.put("customer_id", Integer.toString(1000 + n));
        fields.put("total", (n + 10) + ".5");
        fields.put("amount", "-" + n + ".05");
        fields.put("paid", Boolean.toString(n % 2 == 0));
        fields.put("placed_at", Long.toString(1_709_300_700_250L + n));
        fields.put("shipped_at", Instant.ofEpochMilli(1_709_400_000_000L + n * 1000L).toString());
        fields.put("placed_on", LocalDate.of(2024, 3, 1).plusDays(n).toString());
        fields.put("channel", n % 3 == 0 ? "web" : "app");
        redis.xadd("avro-typed", XAddParams.xAddParams(), fields);
        input.add(fields);
      }
      redis.xadd("avro-typed", XAddParams.xAddParams(), Map.of("order_id", "o-bad", "customer_id", "7",
          "amount", "9.9"));

      await("every typed entry copied").atMost(Duration.ofSeconds(90))
          .until(() -> redis.exists("avro-typed-copy") && redis.xlen("avro-typed-copy") >= 50);
      await("the bad entry dead-lettered").atMost(Duration.ofSeconds(30))
          .until(() -> redis.exists("avro-typed-dlq") && redis.xlen("avro-typed-dlq") == 1);
      List<StreamEntry> copies = redis.xrange("avro-typed-copy", "-", "+");
      assertThat(copies).hasSize(50);
      for (int n = 0; n < 50; n++) {
        assertThat(copies.get(n).getFields()).as("entry %d", n).isEqualTo(input.get(n));
      }
      assertThat(redis.xrange("avro-typed-dlq", "-", "+").get(0).getFields().get("reason"))
          .contains("field 'amount' holds '9.9'", "decimal(10,2)", "come back as '9.90'");
    }

    ConsumerRecord<byte[], byte[]> first = consumeAll("avro-typed", 50).get(0);
    ByteBuffer payload = ByteBuffer.wrap(first.value());
    assertThat(payload.get()).as("magic byte").isZero();
    Schema schema = registry.schemaById(payload.getInt());
    assertThat(schema.getField("customer_id").schema().getType()).isEqualTo(Schema.Type.LONG);
    assertThat(nonNull(schema.getField("total").schema()).getType()).isEqualTo(Schema.Type.DOUBLE);
    assertThat(nonNull(schema.getField("amount").schema()).getLogicalType()).isEqualTo(LogicalTypes.decimal(10, 2));
    assertThat(nonNull(schema.getField("placed_at").schema()).getLogicalType())
        .isEqualTo(LogicalTypes.timestampMillis());
    assertThat(nonNull(schema.getField("placed_on").schema()).getLogicalType()).isEqualTo(LogicalTypes.date());
    byte[] avro = new byte[payload.remaining()];
    payload.get(avro);
    GenericRecord order = new GenericDatumReader<GenericRecord>(schema).read(null,
        DecoderFactory.get().binaryDecoder(avro, null));
    assertThat(order.get("customer_id")).isEqualTo(1000L);
    assertThat(order.get("total")).isEqualTo(10.5);
    assertThat(order.get("paid")).isEqualTo(true);
    assertThat(order.get("placed_at")).isEqualTo(1_709_300_700_250L);
    assertThat(order.get("placed_on")).isEqualTo((int) LocalDate.of(2024, 3, 1).toEpochDay());
    assertThat(new Conversions.DecimalConversion().fromBytes((ByteBuffer) order.get("amount"),
        nonNull(schema.getField("amount").schema()), LogicalTypes.decimal(10, 2))).isEqualTo(new BigDecimal("-0.05"));
    services.deleteConnector("avro-typed-source");
    services.deleteConnector("avro-typed-copy");
  }

  /**
   * 20,000 orders shaped as the article's producer writes them (a JavaScript total, items as
   * JSON.stringify, Date.now() as the timestamp) through the typed example's declaration, Avro and the sink:
   * items is an array of Item records in the registry's schema, and the copy equals the stream, field for field.
   */
  @Test
  void twentyThousandArticleOrdersComeBackFieldForFieldThroughTypedAvro() throws Exception {
    int count = 20_000;
    services.createTopic("avro-articles", 1);
    Map<String, String> source = PipelineConfigs.source(services.redisPort(), "avro-articles", "articles",
        avroValues());
    Map<String, String> typed = ConnectClusterExtension.readConfig(ROOT.resolve("config/source-orders-typed.json"));
    source.put("value.format", "struct");
    source.put("value.struct.fields", typed.get("value.struct.fields"));
    source.put("value.schema.name", typed.get("value.schema.name"));
    source.put("value.json.schemas", typed.get("value.json.schemas"));
    source.put("header.fields", typed.get("header.fields"));
    List<Map<String, String>> input = new ArrayList<>();
    try (Jedis redis = new Jedis("127.0.0.1", services.redisPort())) {
      Pipeline pipeline = redis.pipelined();
      for (int n = 0; n < count; n++) {
        Map<String, String> order = new LinkedHashMap<>();
        order.put("order_id", "ord-" + n);
        order.put("customer_id", Integer.toString(n % 997));
        order.put("total", n % 4 == 0 ? Integer.toString(30 + n % 50) : (29 + n % 50) + "." + (1 + n % 9));
        order.put("items", "[{\"sku\":\"vps-basic\",\"qty\":" + (1 + n % 3) + ",\"price\":9.99}]");
        order.put("timestamp", Long.toString(1_764_590_000_000L + n));
        pipeline.xadd("avro-articles", XAddParams.xAddParams(), order);
        input.add(order);
      }
      pipeline.sync();
    }
    services.putConnector("avro-articles-source", JSON.writeValueAsString(source));
    services.putConnector("avro-articles-copy", JSON.writeValueAsString(sinkConfig("avro-articles",
        "avro-articles-copy")));

    try (Jedis redis = new Jedis("127.0.0.1", services.redisPort())) {
      await("every order copied").atMost(Duration.ofSeconds(120))
          .until(() -> redis.exists("avro-articles-copy") && redis.xlen("avro-articles-copy") >= count);
      List<Map<String, String>> output = StreamContents.entries(redis, "avro-articles-copy").stream()
          .map(StreamEntry::getFields).toList();
      assertThat(output).hasSize(count);
      assertThat(output).isEqualTo(input);
      assertThat(redis.exists("avro-articles-dlq")).as("no dead letters").isFalse();
    }
    ConsumerRecord<byte[], byte[]> first = consumeAll("avro-articles", count).get(0);
    ByteBuffer payload = ByteBuffer.wrap(first.value());
    assertThat(payload.get()).as("magic byte").isZero();
    Schema schema = registry.schemaById(payload.getInt());
    Schema items = nonNull(schema.getField("items").schema());
    assertThat(items.getType()).as("items is structure, not text").isEqualTo(Schema.Type.ARRAY);
    assertThat(items.getElementType().getFullName()).isEqualTo("com.example.orders.Item");
    assertThat(items.getElementType().getField("qty").schema().getType()).isEqualTo(Schema.Type.INT);
    byte[] avro = new byte[payload.remaining()];
    payload.get(avro);
    GenericRecord order = new GenericDatumReader<GenericRecord>(schema).read(null,
        DecoderFactory.get().binaryDecoder(avro, null));
    GenericRecord item = (GenericRecord) ((List<?>) order.get("items")).get(0);
    assertThat(item.get("sku").toString()).isEqualTo("vps-basic");
    assertThat(item.get("qty")).isEqualTo(1);
    assertThat(item.get("price")).isEqualTo(9.99);
    services.deleteConnector("avro-articles-source");
    services.deleteConnector("avro-articles-copy");
  }

  /** The non-null branch of an optional field's union. */
  private static Schema nonNull(Schema schema) {
    return schema.getType() != Schema.Type.UNION ? schema
        : schema.getTypes().stream().filter(type -> type.getType() != Schema.Type.NULL).findFirst().orElseThrow();
  }

  @Test
  void sinkWritesEveryAvroTypeAsExactFieldsAcrossAnAddedField() throws Exception {
    Schema decimal = LogicalTypes.decimal(10, 2).addToSchema(Schema.create(Schema.Type.BYTES));
    Schema date = LogicalTypes.date().addToSchema(Schema.create(Schema.Type.INT));
    Schema timeMillis = LogicalTypes.timeMillis().addToSchema(Schema.create(Schema.Type.INT));
    Schema timestampMillis = LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG));
    Schema timeMicros = LogicalTypes.timeMicros().addToSchema(Schema.create(Schema.Type.LONG));
    Schema timestampMicros = LogicalTypes.timestampMicros().addToSchema(Schema.create(Schema.Type.LONG));
    Schema uuid = LogicalTypes.uuid().addToSchema(Schema.create(Schema.Type.STRING));
    Schema customer = SchemaBuilder.record("Customer").namespace("io.redisbridge.test").fields()
        .requiredLong("id").requiredString("name").endRecord();
    SchemaBuilder.FieldAssembler<Schema> fields = SchemaBuilder.record("Shipment").namespace("io.redisbridge.test")
        .fields()
        .requiredString("order_id")
        .name("amount").type(decimal).noDefault()
        .requiredInt("quantity")
        .requiredLong("sequence")
        .requiredFloat("ratio")
        .requiredDouble("weight")
        .requiredBoolean("paid")
        .name("placed_on").type(date).noDefault()
        .name("placed_time").type(timeMillis).noDefault()
        .name("placed_at").type(timestampMillis).noDefault()
        .name("checked_time_micros").type(timeMicros).noDefault()
        .name("shipped_at_micros").type(timestampMicros).noDefault()
        .name("tracking").type(uuid).noDefault()
        .requiredBytes("signature")
        .name("customer").type(customer).noDefault()
        .name("items").type().array().items().stringType().noDefault()
        .name("attributes").type().map().values().stringType().noDefault()
        .optionalString("note");
    Schema v1 = fields.endRecord();
    Schema v2 = SchemaBuilder.record("Shipment").namespace("io.redisbridge.test").fields()
        .requiredString("order_id").optionalString("coupon").endRecord();
    Schema evolved = withAddedField(v1, v2.getField("coupon"));

    Instant placedAt = Instant.parse("2026-11-29T13:45:30.250Z");
    byte[] signature = {0, (byte) 0xff, 0x10, (byte) 0x80, 'A'};
    GenericRecord shipment = new GenericData.Record(v1);
    shipment.put("order_id", "o-1");
    shipment.put("amount", new Conversions.DecimalConversion().toBytes(new BigDecimal("1234.50"), decimal,
        decimal.getLogicalType()));
    shipment.put("quantity", 3);
    shipment.put("sequence", 9_007_199_254_740_993L);
    shipment.put("ratio", 0.5f);
    shipment.put("weight", 2.25);
    shipment.put("paid", true);
    shipment.put("placed_on", (int) LocalDate.of(2026, 11, 29).toEpochDay());
    shipment.put("placed_time", LocalTime.of(13, 45, 30, 250_000_000).toSecondOfDay() * 1000 + 250);
    shipment.put("placed_at", placedAt.toEpochMilli());
    shipment.put("checked_time_micros", 49_530_250_123L);
    shipment.put("shipped_at_micros", 1_795_960_000_123_456L);
    shipment.put("tracking", "6f1c2a3e-9b7d-4c1e-8f00-0123456789ab");
    shipment.put("signature", ByteBuffer.wrap(signature));
    GenericRecord buyer = new GenericData.Record(customer);
    buyer.put("id", 42L);
    buyer.put("name", "Ada \"A\" Lovelace");
    shipment.put("customer", buyer);
    shipment.put("items", List.of("book", "pen"));
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put("size", "L");
    attributes.put("color", "red");
    shipment.put("attributes", attributes);
    shipment.put("note", null);

    GenericRecord later = new GenericData.Record(evolved);
    v1.getFields().forEach(field -> later.put(field.name(), shipment.get(field.name())));
    later.put("order_id", "o-2");
    later.put("note", "leave at the door");
    later.put("coupon", "SAVE10");

    services.createTopic("avro-shipments", 1);
    int v1Id = registry.register("avro-shipments-value", v1);
    int v2Id = registry.register("avro-shipments-value", evolved);
    assertThat(v2Id).isNotEqualTo(v1Id);
    services.putConnector("avro-sink", JSON.writeValueAsString(sinkConfig("avro-shipments", "avro-shipments-out")));
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, services.bootstrapServers()),
        new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>("avro-shipments", "o-1".getBytes(StandardCharsets.UTF_8),
          confluentWireFormat(v1Id, shipment))).get();
      producer.send(new ProducerRecord<>("avro-shipments", "o-2".getBytes(StandardCharsets.UTF_8),
          confluentWireFormat(v2Id, later))).get();
    }

    try (Jedis redis = new Jedis("127.0.0.1", services.redisPort())) {
      await("both records written").atMost(Duration.ofSeconds(90))
          .until(() -> redis.xlen("avro-shipments-out") == 2);
      List<Map<String, byte[]>> entries = binaryEntries(redis, "avro-shipments-out");
      Map<String, String> written = text(entries.get(0));
      Map<String, String> expected = new LinkedHashMap<>();
      expected.put("order_id", "o-1");
      expected.put("amount", "1234.50");
      expected.put("quantity", "3");
      expected.put("sequence", "9007199254740993");
      expected.put("ratio", "0.5");
      expected.put("weight", "2.25");
      expected.put("paid", "true");
      expected.put("placed_on", "2026-11-29");
      expected.put("placed_time", "13:45:30.250");
      expected.put("placed_at", "2026-11-29T13:45:30.250Z");
      // The converter maps only the millisecond temporal types; micros arrive as their long, uuid as its string.
      expected.put("checked_time_micros", "49530250123");
      expected.put("shipped_at_micros", "1795960000123456");
      expected.put("tracking", "6f1c2a3e-9b7d-4c1e-8f00-0123456789ab");
      expected.put("customer", "{\"id\":42,\"name\":\"Ada \\\"A\\\" Lovelace\"}");
      expected.put("items", "[\"book\",\"pen\"]");
      expected.put("attributes", "{\"color\":\"red\",\"size\":\"L\"}");
      assertThat(written).containsExactlyEntriesOf(withoutSignature(expected, written));
      assertThat(entries.get(0).get("signature")).as("bytes, byte for byte").isEqualTo(signature);
      assertThat(written).doesNotContainKeys("note", "coupon");

      Map<String, String> evolvedWritten = text(entries.get(1));
      assertThat(evolvedWritten).containsEntry("order_id", "o-2").containsEntry("note", "leave at the door")
          .containsEntry("coupon", "SAVE10").containsEntry("amount", "1234.50")
          .containsEntry("placed_at", "2026-11-29T13:45:30.250Z");
    }
    services.deleteConnector("avro-sink");
  }

  /** Expected fields in the order the sink writes them: the schema's, with the raw signature in its place. */
  private static Map<String, String> withoutSignature(Map<String, String> expected, Map<String, String> written) {
    Map<String, String> ordered = new LinkedHashMap<>();
    for (String name : written.keySet()) {
      ordered.put(name, name.equals("signature") ? written.get(name) : expected.get(name));
    }
    assertThat(ordered.keySet()).containsAll(expected.keySet());
    return ordered;
  }

  private static Schema withAddedField(Schema base, Schema.Field added) {
    List<Schema.Field> copied = new ArrayList<>();
    base.getFields().forEach(field -> copied.add(new Schema.Field(field, field.schema())));
    copied.add(new Schema.Field(added, added.schema()));
    return Schema.createRecord(base.getName(), base.getDoc(), base.getNamespace(), false, copied);
  }

  private static byte[] confluentWireFormat(int id, GenericRecord value) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0);
    out.write(ByteBuffer.allocate(4).putInt(id).array());
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    new GenericDatumWriter<GenericRecord>(value.getSchema()).write(value, encoder);
    encoder.flush();
    return out.toByteArray();
  }

  /** Each entry's fields in stream order, values as the raw bytes Redis holds. */
  private static List<Map<String, byte[]>> binaryEntries(Jedis redis, String stream) {
    List<Map<String, byte[]>> entries = new ArrayList<>();
    for (Object entry : redis.xrange(stream.getBytes(StandardCharsets.UTF_8), "-".getBytes(StandardCharsets.UTF_8),
        "+".getBytes(StandardCharsets.UTF_8))) {
      List<?> pairs = (List<?>) ((List<?>) entry).get(1);
      Map<String, byte[]> fields = new LinkedHashMap<>();
      for (int i = 0; i < pairs.size(); i += 2) {
        fields.put(new String((byte[]) pairs.get(i), StandardCharsets.UTF_8), (byte[]) pairs.get(i + 1));
      }
      entries.add(fields);
    }
    return entries;
  }

  private static Map<String, String> text(Map<String, byte[]> fields) {
    Map<String, String> text = new LinkedHashMap<>();
    fields.forEach((name, value) -> text.put(name, new String(value, StandardCharsets.UTF_8)));
    return text;
  }

  private static Map<String, String> textMap(Object avroMap) {
    Map<String, String> map = new HashMap<>();
    ((Map<?, ?>) avroMap).forEach((key, value) -> map.put(key.toString(), value.toString()));
    return map;
  }

  private static List<ConsumerRecord<byte[], byte[]>> consumeAll(String topic, int expected) {
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, services.bootstrapServers(),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.GROUP_ID_CONFIG, "avro-reader-" + System.nanoTime()),
        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      await("records on " + topic).atMost(Duration.ofSeconds(60)).until(() -> {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        return records.size() >= expected;
      });
    }
    return records;
  }
}
