package io.redisbridge.source.map;

import static org.assertj.core.api.Assertions.assertThat;

import io.redisbridge.common.mapping.ConnectValueText;
import io.redisbridge.common.mapping.TemporalFormat;
import io.redisbridge.common.redis.StreamField;
import io.redisbridge.source.RedisStreamsSourceConfig;
import io.redisbridge.source.read.StreamEntry;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.StreamEntryID;

/**
 * Property: for random declarations and random field texts, the source either refuses the entry with a
 * reason (a dead letter) or makes a value that, through a JSON converter with schemas and the sink's text
 * rendering, gives back the original text byte for byte (for a number type with ~, a text of the same
 * value in the type's own form). Never another exception. The seed is printed;
 * rerun one with -Dtyped.seed=N.
 */
class TypedFieldRoundTripTest {

  private static final int CASES = 20_000;
  private static final ConnectValueText SINK_TEXT = new ConnectValueText(TemporalFormat.ISO);
  private static final String[] TYPES = {"string", "int32", "int64", "float32", "float64", "boolean", "decimal",
      "timestamp", "timestamp(seconds)", "timestamp(iso)", "date"};
  private static final String JUNK = "0123456789-+.eE ,x€\u00e9";

  @Test
  void everyTextComesBackTheSameOrIsADeadLetterWithAReason() {
    long seed = Long.getLong("typed.seed", System.nanoTime());
    System.out.println("typed round trip seed: " + seed + " (rerun with -Dtyped.seed=" + seed + ")");
    Random random = new Random(seed);
    JsonConverter json = new JsonConverter();
    json.configure(Map.of("schemas.enable", "true", "decimal.format", "NUMERIC"), false);
    Map<String, EntryRecordMapper> mappers = new HashMap<>();
    int accepted = 0;
    int refused = 0;
    for (int n = 0; n < CASES; n++) {
      String type = type(random);
      String text = random.nextInt(3) == 0 ? junk(random) : valueText(type, random);
      EntryRecordMapper mapper = mappers.computeIfAbsent(type, TypedFieldRoundTripTest::mapper);
      StreamEntry entry = new StreamEntry("orders", new StreamEntryID(1, n),
          List.of(StreamField.of("f", text)), false, 1);
      SourceRecord record;
      try {
        record = mapper.toRecord(entry, Map.of("stream", "orders", "group", "g"));
      } catch (MappingException e) {
        assertThat(e.getMessage()).as("%s '%s'", type, text).contains("field 'f'");
        refused++;
        continue;
      }
      byte[] serialized = json.fromConnectData("orders", record.valueSchema(), record.value());
      SchemaAndValue back = json.toConnectData("orders", serialized);
      Struct struct = (Struct) back.value();
      Object value = struct.get("f");
      String written = value == null ? null : new String(SINK_TEXT.bytes(back.schema().field("f").schema(), value),
          StandardCharsets.UTF_8);
      if (type.endsWith("~")) {
        // Any number form: it comes back in the type's own form, which the strict type takes as the same value.
        FieldType strict = FieldType.parse(type.substring(0, type.length() - 1));
        assertThat(strict.parse(written, null)).as("%s '%s' came back as '%s' (seed %d)", type, text, written, seed)
            .isEqualTo(FieldType.parse(type).parse(text, null));
      } else {
        assertThat(written).as("%s '%s' (seed %d)", type, text, seed).isEqualTo(text);
      }
      accepted++;
    }
    System.out.printf("typed round trip: %d accepted and given back, %d refused%n", accepted, refused);
    assertThat(accepted).as("the generator must reach accepted values").isGreaterThan(CASES / 3);
    assertThat(refused).as("the generator must reach refused values").isGreaterThan(CASES / 10);
  }

  private static EntryRecordMapper mapper(String type) {
    Map<String, String> props = new HashMap<>();
    props.put("redis.streams", "orders");
    props.put("value.struct.fields", "f:" + type);
    return new EntryRecordMapper(new RedisStreamsSourceConfig(props));
  }

  private static String type(Random random) {
    String type = TYPES[random.nextInt(TYPES.length)];
    if (type.equals("decimal")) {
      int precision = 1 + random.nextInt(18);
      type = "decimal(" + precision + "," + random.nextInt(precision + 1) + ")";
    }
    boolean numeric = type.startsWith("int") || type.startsWith("float") || type.startsWith("decimal");
    return numeric && random.nextInt(4) == 0 ? type + "~" : type;
  }

  /** A text of the type, in its written-back form or near it (a sign, a zero, an exponent too many). */
  private static String valueText(String type, Random random) {
    long millis = random.nextLong() % 4_102_444_800_000L; // within 1840 to 2100
    String text = switch (type.startsWith("timestamp(") ? type : type.replaceAll("\\(.*", "").replace("~", "")) {
      case "timestamp" -> Long.toString(random.nextInt(20) == 0 ? millis / 1000 : millis);
      case "timestamp(seconds)" -> Long.toString(millis / 1000);
      case "timestamp(iso)" -> java.time.Instant.ofEpochMilli(random.nextBoolean() ? millis : millis / 1000 * 1000)
          .toString();
      case "date" -> java.time.LocalDate.ofEpochDay(millis / 86_400_000L).toString();
      case "int32" -> Integer.toString(random.nextInt());
      case "int64" -> Long.toString(random.nextLong());
      case "float32" -> Float.toString(Float.intBitsToFloat(random.nextInt()));
      case "float64" -> random.nextBoolean() ? Double.toString(random.nextDouble() * 1000)
          : Double.toString(Double.longBitsToDouble(random.nextLong()));
      case "boolean" -> Boolean.toString(random.nextBoolean());
      case "decimal" -> {
        FieldType decimal = FieldType.parse(type.replace("~", ""));
        BigInteger unscaled = new BigInteger(decimal.precision() * 3, random)
            .mod(BigInteger.TEN.pow(decimal.precision()));
        BigDecimal value = new BigDecimal(random.nextBoolean() ? unscaled : unscaled.negate(), decimal.scale());
        yield value.toPlainString();
      }
      default -> junk(random);
    };
    return switch (random.nextInt(6)) {
      case 0 -> "+" + text;
      case 1 -> text + "0";
      case 2 -> "0" + text;
      default -> text;
    };
  }

  private static String junk(Random random) {
    StringBuilder text = new StringBuilder();
    for (int i = random.nextInt(8); i > 0; i--) {
      text.append(JUNK.charAt(random.nextInt(JUNK.length())));
    }
    return text.toString();
  }
}
