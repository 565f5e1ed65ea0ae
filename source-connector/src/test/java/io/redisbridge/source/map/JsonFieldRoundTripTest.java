package io.redisbridge.source.map;

import static org.assertj.core.api.Assertions.assertThat;

import io.redisbridge.common.mapping.ConnectValueText;
import io.redisbridge.common.mapping.TemporalFormat;
import io.redisbridge.common.redis.StreamField;
import io.redisbridge.source.RedisStreamsSourceConfig;
import io.redisbridge.source.read.StreamEntry;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.StreamEntryID;

/**
 * Property for json fields: through the source, a JSON converter and the sink's text, a random JSON
 * value written the way the sink writes (compact; keys in schema order for a struct, sorted for a map;
 * numbers as Java prints them) comes back byte for byte. Any other text (blanks, another key order, other
 * number forms, wrong types, junk) comes back as the same JSON value, or is a dead letter naming the
 * field; never another exception. The seed is printed; rerun one with -Djson.seed=N.
 */
class JsonFieldRoundTripTest {

  private static final int CASES = 5_000;
  private static final ConnectValueText SINK_TEXT = new ConnectValueText(TemporalFormat.ISO);
  private static final String ITEM_SCHEMA = "{\"items\":{\"type\":\"array\",\"items\":{\"type\":\"record\","
      + "\"name\":\"Item\",\"fields\":[{\"name\":\"sku\",\"type\":\"string\"},{\"name\":\"qty\",\"type\":\"int\"},"
      + "{\"name\":\"price\",\"type\":{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":9,\"scale\":2}},"
      + "{\"name\":\"weight\",\"type\":[\"null\",\"double\"]},{\"name\":\"tags\",\"type\":{\"type\":\"map\","
      + "\"values\":\"long\"}},{\"name\":\"gift\",\"type\":\"boolean\"}]}}}";
  private static final String CHARS = "aZ09 _-\"\\/\n\t\u0001é€東😀";

  @Test
  void structJsonComesBackByteForByteOrAsTheSameValue() {
    long seed = Long.getLong("json.seed", System.nanoTime());
    System.out.println("json struct round trip seed: " + seed + " (rerun with -Djson.seed=" + seed + ")");
    Random random = new Random(seed);
    EntryRecordMapper mapper = mapper("struct", "items:json", ITEM_SCHEMA);
    JsonConverter converter = converter(true);
    int exact = 0;
    int refused = 0;
    for (int n = 0; n < CASES; n++) {
      String canonical = items(random);
      String text = random.nextInt(3) == 0 ? mutate(canonical, random) : canonical;
      String written = roundTrip(mapper, converter, text, n);
      if (written == null) {
        refused++;
        continue;
      }
      if (text.equals(canonical)) {
        assertThat(written).as("seed %d", seed).isEqualTo(text);
        exact++;
      } else {
        assertThat(same(JsonReader.parse(written), JsonReader.parse(text))).as("'%s' came back as '%s' (seed %d)",
            text, written, seed).isTrue();
      }
    }
    System.out.printf("json struct round trip: %d byte for byte, %d refused%n", exact, refused);
    assertThat(exact).isGreaterThan(CASES / 2);
    assertThat(refused).isGreaterThan(CASES / 50);
  }

  @Test
  void schemalessJsonComesBackByteForByteOrAsTheSameValue() {
    long seed = Long.getLong("json.seed", System.nanoTime());
    System.out.println("json map round trip seed: " + seed + " (rerun with -Djson.seed=" + seed + ")");
    Random random = new Random(seed);
    EntryRecordMapper mapper = mapper("map", "doc:json", "");
    JsonConverter converter = converter(false);
    int exact = 0;
    int refused = 0;
    for (int n = 0; n < CASES; n++) {
      StringBuilder canonical = new StringBuilder();
      anyValue(canonical, random, 0);
      if (n % 2 == 0) {
        canonical.insert(0, '[').append(']');
      }
      String text = random.nextInt(3) == 0 ? mutate(canonical.toString(), random) : canonical.toString();
      String written = roundTrip(mapper, converter, text, n);
      if (written == null) {
        refused++;
      } else if (text.contentEquals(canonical)) {
        assertThat(written).as("seed %d", seed).isEqualTo(text);
        exact++;
      } else {
        assertThat(same(JsonReader.parse(written), JsonReader.parse(text))).as("'%s' came back as '%s' (seed %d)",
            text, written, seed).isTrue();
      }
    }
    System.out.printf("json map round trip: %d byte for byte, %d refused%n", exact, refused);
    assertThat(exact).isGreaterThan(CASES / 2);
    assertThat(refused).isGreaterThan(CASES / 50);
  }

  /** The sink's text of the field after source, converter and back; null when the source refused it. */
  private static String roundTrip(EntryRecordMapper mapper, JsonConverter converter, String text, int n) {
    StreamEntry entry = new StreamEntry("orders", new StreamEntryID(1, n),
        List.of(StreamField.of("f", "x"), StreamField.of(mapperField(mapper), text)), false, 1);
    SourceRecord record;
    try {
      record = mapper.toRecord(entry, Map.of("stream", "orders", "group", "g"));
    } catch (MappingException e) {
      assertThat(e.getMessage()).contains("field '" + mapperField(mapper) + "'");
      return null;
    }
    SchemaAndValue back = converter.toConnectData("orders",
        converter.fromConnectData("orders", record.valueSchema(), record.value()));
    Object value;
    Schema schema;
    if (back.value() instanceof org.apache.kafka.connect.data.Struct struct) {
      value = struct.get("items");
      schema = back.schema().field("items").schema();
    } else {
      value = ((Map<?, ?>) back.value()).get("doc");
      schema = null;
    }
    return new String(SINK_TEXT.bytes(schema, value), StandardCharsets.UTF_8);
  }

  private static final Map<EntryRecordMapper, String> FIELDS = new java.util.IdentityHashMap<>();

  private static String mapperField(EntryRecordMapper mapper) {
    return FIELDS.get(mapper);
  }

  private static EntryRecordMapper mapper(String format, String fields, String schemas) {
    Map<String, String> props = new HashMap<>();
    props.put("redis.streams", "orders");
    props.put("value.format", format);
    props.put("value.struct.fields", fields);
    props.put("value.json.schemas", schemas);
    EntryRecordMapper mapper = new EntryRecordMapper(new RedisStreamsSourceConfig(props));
    FIELDS.put(mapper, fields.substring(0, fields.indexOf(':')));
    return mapper;
  }

  private static JsonConverter converter(boolean schemas) {
    JsonConverter converter = new JsonConverter();
    converter.configure(Map.of("schemas.enable", Boolean.toString(schemas), "decimal.format", "NUMERIC"), false);
    return converter;
  }

  /** An items array as the sink writes it: schema order, every field present, canonical numbers. */
  private static String items(Random random) {
    StringBuilder out = new StringBuilder("[");
    for (int i = random.nextInt(4); i > 0; i--) {
      out.append(out.length() > 1 ? "," : "").append("{\"sku\":");
      string(out, random);
      out.append(",\"qty\":").append(random.nextInt());
      out.append(",\"price\":").append(BigDecimal.valueOf(random.nextLong() % 10_000_000L, 2).toPlainString());
      out.append(",\"weight\":").append(random.nextBoolean() ? "null" : Double.toString(random.nextDouble() * 100));
      out.append(",\"tags\":{");
      TreeMap<String, Long> tags = new TreeMap<>();
      for (int t = random.nextInt(3); t > 0; t--) {
        tags.put("t" + random.nextInt(100), random.nextLong());
      }
      String separator = "";
      for (Map.Entry<String, Long> tag : tags.entrySet()) {
        out.append(separator).append('"').append(tag.getKey()).append("\":").append(tag.getValue());
        separator = ",";
      }
      out.append("},\"gift\":").append(random.nextBoolean()).append('}');
    }
    return out.append(']').toString();
  }

  /** Any JSON value as the sink writes a schemaless one: sorted keys, longs, doubles as Java prints them. */
  private static void anyValue(StringBuilder out, Random random, int depth) {
    switch (depth > 3 ? random.nextInt(5) : random.nextInt(7)) {
      case 0 -> out.append(random.nextLong() >> random.nextInt(64));
      case 1 -> out.append(Double.toString(random.nextBoolean() ? random.nextDouble() * 1e6
          : Double.longBitsToDouble(random.nextLong() & 0x7fefffffffffffffL)));
      case 2 -> string(out, random);
      case 3 -> out.append(random.nextBoolean());
      case 4 -> out.append("null");
      case 5 -> {
        out.append('[');
        for (int i = random.nextInt(4); i > 0; i--) {
          anyValue(out, random, depth + 1);
          out.append(i > 1 ? "," : "");
        }
        out.append(']');
      }
      default -> {
        TreeMap<String, StringBuilder> members = new TreeMap<>();
        for (int i = random.nextInt(4); i > 0; i--) {
          StringBuilder key = new StringBuilder();
          string(key, random);
          StringBuilder value = new StringBuilder();
          anyValue(value, random, depth + 1);
          members.put(key.toString(), value);
        }
        out.append('{');
        String separator = "";
        for (Map.Entry<String, StringBuilder> member : sortedByText(members).entrySet()) {
          out.append(separator).append(member.getKey()).append(':').append(member.getValue());
          separator = ",";
        }
        out.append('}');
      }
    }
  }

  /** Members keyed by their quoted key, ordered by the key's text as the sink orders map keys. */
  private static Map<String, StringBuilder> sortedByText(Map<String, StringBuilder> byQuoted) {
    TreeMap<String, String> quotedByText = new TreeMap<>();
    byQuoted.keySet().forEach(quoted -> quotedByText.put((String) JsonReader.parse(quoted), quoted));
    Map<String, StringBuilder> ordered = new LinkedHashMap<>();
    quotedByText.values().forEach(quoted -> ordered.put(quoted, byQuoted.get(quoted)));
    return ordered;
  }

  /** A string escaped as the sink escapes: quote, backslash and control characters only. */
  private static void string(StringBuilder out, Random random) {
    out.append('"');
    for (int i = random.nextInt(6); i > 0; i--) {
      int at = random.nextInt(CHARS.length() - 1);
      String c = Character.isHighSurrogate(CHARS.charAt(at)) ? CHARS.substring(at, at + 2)
          : Character.isLowSurrogate(CHARS.charAt(at)) ? "x" : CHARS.substring(at, at + 1);
      switch (c) {
        case "\"" -> out.append("\\\"");
        case "\\" -> out.append("\\\\");
        case "\n" -> out.append("\\n");
        case "\t" -> out.append("\\t");
        case "\u0001" -> out.append("\\u0001");
        default -> out.append(c);
      }
    }
    out.append('"');
  }

  /** Another writing of (mostly) the same value, or a broken one. */
  private static String mutate(String json, Random random) {
    return switch (random.nextInt(6)) {
      case 0 -> json.replace(",", ", ").replace(":", " : ");
      case 1 -> " " + json + "\n";
      case 2 -> json.replace("\"qty\":", "\"qty\":\"").replace(",\"price\"", "\",\"price\"");
      case 3 -> json.replace("}", ",\"extra\":1}");
      case 4 -> json.substring(0, random.nextInt(json.length()));
      default -> json.replace("/", "\\/").replace("é", "\\u00e9");
    };
  }

  /** The same JSON value: maps unordered, numbers by value, a record's null field as good as absent. */
  private static boolean same(Object a, Object b) {
    if (a instanceof Map<?, ?> left && b instanceof Map<?, ?> right) {
      List<Object> keys = new ArrayList<>(left.keySet());
      right.keySet().stream().filter(key -> !left.containsKey(key)).forEach(keys::add);
      return keys.stream().allMatch(key -> same(left.get(key), right.get(key)));
    }
    if (a instanceof List<?> left && b instanceof List<?> right) {
      if (left.size() != right.size()) {
        return false;
      }
      for (int i = 0; i < left.size(); i++) {
        if (!same(left.get(i), right.get(i))) {
          return false;
        }
      }
      return true;
    }
    if (a instanceof JsonReader.JsonNumber left && b instanceof JsonReader.JsonNumber right) {
      return new BigDecimal(left.text()).compareTo(new BigDecimal(right.text())) == 0;
    }
    return java.util.Objects.equals(a, b);
  }
}
