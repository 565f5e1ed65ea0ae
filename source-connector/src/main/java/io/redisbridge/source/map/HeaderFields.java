package io.redisbridge.source.map;

import io.redisbridge.common.redis.StreamField;
import io.redisbridge.source.read.StreamEntry;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.header.ConnectHeaders;

/**
 * Entry fields that travel as Kafka headers of the same name ({@code header.fields}), e.g. the W3C trace
 * context {@code traceparent} and {@code tracestate}, or a {@code tenant}: consumers and SMT predicates route
 * and trace on them without reading the value. Copied by default; moved (left out of struct and map values)
 * with {@code header.fields.mode=move}.
 */
public final class HeaderFields {

  /** {@code header.fields.mode}. */
  public enum Mode { COPY, MOVE }

  private final List<String> names;
  private final byte[][] rawNames;
  private final boolean move;

  public HeaderFields(List<String> names, Mode mode) {
    this.names = List.copyOf(names);
    this.rawNames = names.stream().map(name -> name.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
    this.move = mode == Mode.MOVE;
  }

  /**
   * Adds one header per named field the entry has: a string where the value is UTF-8, its bytes where not,
   * so nothing is altered. A field the entry lacks adds no header.
   */
  void addTo(ConnectHeaders headers, StreamEntry entry, Function<byte[], String> tryUtf8) {
    if (rawNames.length == 0) {
      return;
    }
    for (StreamField field : entry.fields()) {
      for (int i = 0; i < rawNames.length; i++) {
        if (Arrays.equals(field.name(), rawNames[i])) {
          String text = tryUtf8.apply(field.value());
          if (text != null) {
            headers.addString(names.get(i), text);
          } else {
            headers.add(names.get(i), field.value(), Schema.BYTES_SCHEMA);
          }
        }
      }
    }
  }

  /** Whether the field stays out of struct and map values because it travels as a header only. */
  public boolean leavesValue(String name) {
    return move && names.contains(name);
  }

  /** Accepts field names, each non-empty and at most once; an empty list means none. */
  public static final class Validator implements ConfigDef.Validator {
    @Override
    public void ensureValid(String name, Object value) {
      @SuppressWarnings("unchecked")
      List<String> fields = (List<String>) value;
      if (fields == null) {
        throw new ConfigException(name, value, "expected a list of entry field names");
      }
      if (fields.stream().anyMatch(String::isBlank)) {
        throw new ConfigException(name, value, "field names must not be empty");
      }
      if (fields.stream().map(String::trim).distinct().count() != fields.size()) {
        throw new ConfigException(name, value, "a field is listed twice");
      }
    }

    @Override
    public String toString() {
      return "entry field names (empty: none)";
    }
  }
}
