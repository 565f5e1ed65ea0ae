package io.redisbridge.common.mapping;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;

/**
 * Turns Connect values into the bytes of one stream field, deterministically: text for scalars,
 * the plain decimal string for Decimal, ISO-8601 or epoch millis for temporal types, raw bytes for
 * bytes, and compact JSON for Struct, Map and Array values.
 */
public final class ConnectValueText {

  private static final DateTimeFormatter ISO_TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");
  /**
   * A schema parameter that names the text form of a temporal value ({@code iso}, {@code epoch_millis} or
   * {@code epoch_seconds}): the source sets it on fields declared {@code timestamp}, {@code timestamp(seconds)},
   * {@code timestamp(iso)} or {@code date}, so the value is written back in the form it was read in, whatever
   * temporal.format says.
   */
  public static final String TEXT_FORMAT_PARAMETER = "io.redisbridge.text.format";

  private final TemporalFormat temporalFormat;

  public ConnectValueText(TemporalFormat temporalFormat) {
    this.temporalFormat = temporalFormat;
  }

  /** The field content for {@code value} with its schema (null when schemaless). */
  public byte[] bytes(Schema schema, Object value) {
    if (value instanceof byte[] raw) {
      return raw;
    }
    if (value instanceof ByteBuffer buffer) {
      ByteBuffer copy = buffer.duplicate();
      byte[] raw = new byte[copy.remaining()];
      copy.get(raw);
      return raw;
    }
    return text(schema, value).getBytes(StandardCharsets.UTF_8);
  }

  /** The text form used for scalars and inside JSON; null only for a null value. */
  public String text(Schema schema, Object value) {
    if (value == null) {
      return null;
    }
    String logical = schema == null ? null : schema.name();
    if (value instanceof BigDecimal decimal) {
      return decimal.toPlainString();
    }
    if (value instanceof Date date) {
      return temporal(logical, date, formatOf(schema));
    }
    if (value instanceof Struct || value instanceof Map || value instanceof Collection) {
      StringBuilder json = new StringBuilder();
      writeJson(json, schema, value);
      return json.toString();
    }
    if (value instanceof byte[] || value instanceof ByteBuffer) {
      return Base64.getEncoder().encodeToString(bytes(schema, value));
    }
    return value.toString();
  }

  /** The schema's own text form, if the source gave it one; else this sink's temporal.format. */
  private TemporalFormat formatOf(Schema schema) {
    String declared = schema == null || schema.parameters() == null ? null
        : schema.parameters().get(TEXT_FORMAT_PARAMETER);
    if ("iso".equals(declared)) {
      return TemporalFormat.ISO;
    }
    if ("epoch_millis".equals(declared)) {
      return TemporalFormat.EPOCH_MILLIS;
    }
    if ("epoch_seconds".equals(declared)) {
      return TemporalFormat.EPOCH_SECONDS;
    }
    return this.temporalFormat;
  }

  private static String temporal(String logical, Date date, TemporalFormat temporalFormat) {
    long millis = date.getTime();
    if (temporalFormat == TemporalFormat.EPOCH_SECONDS) {
      return Long.toString(Math.floorDiv(millis, 1000));
    }
    if (Time.LOGICAL_NAME.equals(logical)) {
      return temporalFormat == TemporalFormat.EPOCH_MILLIS ? Long.toString(millis)
          : LocalTime.ofNanoOfDay(Math.floorMod(millis, 86_400_000L) * 1_000_000L).format(ISO_TIME);
    }
    if (org.apache.kafka.connect.data.Date.LOGICAL_NAME.equals(logical)) {
      return temporalFormat == TemporalFormat.EPOCH_MILLIS ? Long.toString(millis)
          : Instant.ofEpochMilli(millis).atZone(ZoneOffset.UTC).toLocalDate().toString();
    }
    // Timestamp, or a java.util.Date in schemaless data.
    return temporalFormat == TemporalFormat.EPOCH_MILLIS ? Long.toString(millis)
        : DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(millis));
  }

  private void writeJson(StringBuilder out, Schema schema, Object value) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof Struct struct) {
      out.append('{');
      boolean first = true;
      for (Field field : struct.schema().fields()) {
        first = comma(out, first);
        quote(out, field.name());
        out.append(':');
        writeJson(out, field.schema(), struct.get(field));
      }
      out.append('}');
    } else if (value instanceof Map<?, ?> map) {
      Schema valueSchema = schema == null ? null : schema.valueSchema();
      Schema keySchema = schema == null ? null : schema.keySchema();
      out.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> entry : sortedByKey(map)) {
        first = comma(out, first);
        quote(out, String.valueOf(text(keySchema, entry.getKey())));
        out.append(':');
        writeJson(out, valueSchema, entry.getValue());
      }
      out.append('}');
    } else if (value instanceof Collection<?> items) {
      Schema itemSchema = schema == null ? null : schema.valueSchema();
      out.append('[');
      boolean first = true;
      for (Iterator<?> it = items.iterator(); it.hasNext(); ) {
        first = comma(out, first);
        writeJson(out, itemSchema, it.next());
      }
      out.append(']');
    } else if (value instanceof Boolean) {
      out.append(value);
    } else if (value instanceof Number number && !(value instanceof BigDecimal)) {
      if (number instanceof Double d && (d.isNaN() || d.isInfinite())
          || number instanceof Float f && (f.isNaN() || f.isInfinite())) {
        quote(out, number.toString()); // JSON has no NaN or Infinity
      } else {
        out.append(number);
      }
    } else if (value instanceof BigDecimal decimal && (schema == null || Decimal.LOGICAL_NAME.equals(schema.name()))) {
      out.append(decimal.toPlainString());
    } else if (value instanceof Date date && formatOf(schema) == TemporalFormat.EPOCH_MILLIS) {
      out.append(date.getTime());
    } else if (value instanceof Date date && formatOf(schema) == TemporalFormat.EPOCH_SECONDS) {
      out.append(Math.floorDiv(date.getTime(), 1000));
    } else {
      quote(out, text(schema, value));
    }
  }

  /**
   * Map entries ordered by key text, so the same map gives the same bytes whatever Map implementation
   * a converter chose (JsonConverter's schemaless maps have no stable order).
   */
  public List<Map.Entry<?, ?>> sortedByKey(Map<?, ?> map) {
    List<Map.Entry<?, ?>> entries = new java.util.ArrayList<>(map.entrySet());
    entries.sort(java.util.Comparator.comparing(entry -> String.valueOf(entry.getKey())));
    return entries;
  }

  private static boolean comma(StringBuilder out, boolean first) {
    if (!first) {
      out.append(',');
    }
    return false;
  }

  static void quote(StringBuilder out, String text) {
    out.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
