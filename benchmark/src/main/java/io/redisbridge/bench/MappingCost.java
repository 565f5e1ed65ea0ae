package io.redisbridge.bench;

import io.redisbridge.common.redis.StreamField;
import io.redisbridge.source.RedisStreamsSourceConfig;
import io.redisbridge.source.map.EntryRecordMapper;
import io.redisbridge.source.map.MappingException;
import io.redisbridge.source.read.StreamEntry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.source.SourceRecord;
import redis.clients.jedis.StreamEntryID;

/**
 * What typed fields cost the source's own mapping, told apart from the worker around it: the article's
 * orders through {@link EntryRecordMapper} alone, and through it and Connect's JsonConverter, as a struct of
 * strings and typed, in this JVM once C2 has compiled both. The deployment phases cannot tell the mapper's
 * share from the converter's and the worker's.
 */
final class MappingCost {

  private static final int ENTRIES = 50_000;
  private static final int WARMUP_PASSES = 40;
  private static final int ROUNDS = 7;
  /** At least once, a task's records carry its consumer's partition. */
  private static final Map<String, String> PARTITION = Map.of("consumer", "c-0", "group", "bench");

  private final List<StreamEntry> entries = new ArrayList<>(ENTRIES);
  private final JsonConverter converter = new JsonConverter();
  /** Sums what each pass produced, so the JIT cannot drop the work as unused. */
  private long sink;

  MappingCost() {
    for (int i = 0; i < ENTRIES; i++) {
      List<StreamField> fields = new ArrayList<>();
      Workload.articleOrder(i).forEach((name, value) -> fields.add(StreamField.of(name, value)));
      entries.add(new StreamEntry("orders", new StreamEntryID(1_700_000_000_000L + i, 0), fields, false, 1));
    }
    converter.configure(Map.of("schemas.enable", "false"), false);
  }

  /** A Markdown table: µs per entry, strings against typed (with {@code itemsSchema} for the items field). */
  String table(String stringFields, String typedFields, String itemsSchema) throws MappingException {
    EntryRecordMapper strings = mapper(stringFields, null);
    EntryRecordMapper typed = mapper(typedFields, itemsSchema);
    for (int pass = 0; pass < WARMUP_PASSES; pass++) {
      for (EntryRecordMapper mapper : List.of(strings, typed)) {
        mapOnly(mapper);
        mapAndConvert(mapper);
      }
    }
    double[][] micros = new double[4][ROUNDS];
    for (int round = 0; round < ROUNDS; round++) {
      micros[0][round] = mapOnly(strings);
      micros[1][round] = mapOnly(typed);
      micros[2][round] = mapAndConvert(strings);
      micros[3][round] = mapAndConvert(typed);
    }
    StringBuilder md = new StringBuilder(String.format(Locale.ROOT, "%n| In one JVM, the article's orders: µs per "
        + "entry (median of %d rounds of %,d) | Struct of strings | Typed, items as structure | Added by types |%n"
        + "|---|---|---|---|%n", ROUNDS, ENTRIES));
    row(md, "mapper", median(micros[0]), median(micros[1]));
    row(md, "mapper and JsonConverter (no schemas)", median(micros[2]), median(micros[3]));
    BenchStack.log("mapping in one JVM done (" + sink + ")");
    return md.toString();
  }

  private static void row(StringBuilder md, String label, double strings, double typed) {
    md.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %+.2f |%n", label, strings, typed, typed - strings));
  }

  private double mapOnly(EntryRecordMapper mapper) throws MappingException {
    long started = System.nanoTime();
    for (StreamEntry entry : entries) {
      sink += mapper.toRecord(entry, PARTITION).hashCode() & 1;
    }
    return (System.nanoTime() - started) / 1e3 / ENTRIES;
  }

  private double mapAndConvert(EntryRecordMapper mapper) throws MappingException {
    long started = System.nanoTime();
    for (StreamEntry entry : entries) {
      SourceRecord record = mapper.toRecord(entry, PARTITION);
      sink += converter.fromConnectData(record.topic(), record.valueSchema(), record.value()).length;
    }
    return (System.nanoTime() - started) / 1e3 / ENTRIES;
  }

  private static EntryRecordMapper mapper(String fields, String jsonSchemas) {
    Map<String, String> props = new HashMap<>();
    props.put("redis.streams", "orders");
    props.put("redis.consumer.group", "bench");
    props.put("topic", "orders");
    props.put("value.format", "struct");
    props.put("value.struct.fields", fields);
    if (jsonSchemas != null) {
      props.put("value.json.schemas", jsonSchemas);
    }
    return new EntryRecordMapper(new RedisStreamsSourceConfig(props));
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
