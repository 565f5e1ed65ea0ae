package io.redisbridge.source.map;

import io.redisbridge.source.map.JsonReader.JsonNumber;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;

/**
 * The Connect value of a {@code json} field's text: structure, not text. Without a schema (a map value)
 * objects become maps, arrays lists, integers longs and other numbers doubles, as a JSON converter gives
 * them back. With one (from {@code value.json.schemas}) every part must match it: a key the schema does
 * not declare, a missing field that is not optional, a string for an int or 2.5 for an int is refused with
 * its path ({@code items[1].qty}), never dropped or rounded.
 */
final class JsonFieldValue {

  private JsonFieldValue() {
  }

  /** Where a value sits ({@code items[0].qty}); made into text only when a value is refused. */
  private record Path(Path parent, String key, int index) {
    static Path root(String name) {
      return new Path(null, name, -1);
    }

    Path key(String child) {
      return new Path(this, child, -1);
    }

    Path index(int child) {
      return new Path(this, null, child);
    }

    @Override
    public String toString() {
      String own = key != null ? (parent == null ? key : "." + key) : "[" + index + "]";
      return parent == null ? own : parent + own;
    }
  }

  /**
   * The value of field {@code name}'s {@code text} under {@code schema} (null: schemaless).
   *
   * @throws IllegalArgumentException saying what does not parse or match, and where
   */
  static Object of(String name, String text, Schema schema) {
    Object json = JsonReader.parse(text);
    if (!(json instanceof Map) && !(json instanceof List)) {
      // A top-level string would come back unquoted and a null not at all: scalars have types of their own.
      throw new IllegalArgumentException(name + " is not an object or an array; a json field holds structure, "
          + "a single value is declared with its own type (string, int64, boolean, ...)");
    }
    return schema == null ? schemaless(json, Path.root(name)) : typed(json, schema, Path.root(name));
  }

  private static Object schemaless(Object json, Path path) {
    if (json instanceof Map<?, ?> object) {
      Map<String, Object> map = new LinkedHashMap<>();
      object.forEach((key, value) -> map.put((String) key, schemaless(value, path.key((String) key))));
      return map;
    }
    if (json instanceof List<?> array) {
      List<Object> list = new ArrayList<>(array.size());
      for (int i = 0; i < array.size(); i++) {
        list.add(schemaless(array.get(i), path.index(i)));
      }
      return list;
    }
    if (json instanceof JsonNumber number) {
      return number.integral() ? (Object) longOf(number, path) : (Object) doubleOf(number, path);
    }
    return json;
  }

  private static Object typed(Object json, Schema schema, Path path) {
    if (json == null) {
      if (!schema.isOptional()) {
        throw mismatch(path, "is null, which its schema does not allow (a union with null would)");
      }
      return null;
    }
    if (Decimal.LOGICAL_NAME.equals(schema.name())) {
      return decimal(number(json, path, "a decimal"), schema, path);
    }
    if (Timestamp.LOGICAL_NAME.equals(schema.name())) {
      JsonNumber number = number(json, path, "epoch milliseconds");
      return new Date(longOf(number, path));
    }
    return switch (schema.type()) {
      case STRUCT -> struct(json, schema, path);
      case ARRAY -> {
        if (!(json instanceof List<?> array)) {
          throw mismatch(path, "is not an array");
        }
        List<Object> list = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
          list.add(typed(array.get(i), schema.valueSchema(), path.index(i)));
        }
        yield list;
      }
      case MAP -> {
        if (!(json instanceof Map<?, ?> object)) {
          throw mismatch(path, "is not an object");
        }
        Map<String, Object> map = new LinkedHashMap<>();
        object.forEach((key, value) -> map.put((String) key,
            typed(value, schema.valueSchema(), path.key((String) key))));
        yield map;
      }
      case INT32 -> {
        long value = longOf(number(json, path, "an int"), path);
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
          throw mismatch(path, "is out of an int's range");
        }
        yield (int) value;
      }
      case INT64 -> longOf(number(json, path, "a long"), path);
      case FLOAT32 -> {
        double value = doubleOf(number(json, path, "a float"), path);
        if (Math.abs(value) > Float.MAX_VALUE) {
          throw mismatch(path, "is out of a float's range");
        }
        yield (float) value;
      }
      case FLOAT64 -> doubleOf(number(json, path, "a double"), path);
      case BOOLEAN -> {
        if (!(json instanceof Boolean bool)) {
          throw mismatch(path, "is not true or false");
        }
        yield bool;
      }
      case STRING -> {
        if (!(json instanceof String string)) {
          throw mismatch(path, "is not a string");
        }
        yield string;
      }
      default -> throw mismatch(path, "has a schema of type " + schema.type() + ", which JSON cannot fill");
    };
  }

  private static Struct struct(Object json, Schema schema, Path path) {
    if (!(json instanceof Map<?, ?> object)) {
      throw mismatch(path, "is not an object, which record " + schema.name() + " needs");
    }
    for (Object key : object.keySet()) {
      if (schema.field((String) key) == null) {
        throw mismatch(path, "has key '" + key + "', which record " + schema.name() + " does not declare");
      }
    }
    Struct struct = new Struct(schema);
    for (Field field : schema.fields()) {
      Path at = path.key(field.name());
      Object value = object.get(field.name());
      if (value == null && !object.containsKey(field.name()) && !field.schema().isOptional()) {
        throw mismatch(at, "is missing, and record " + schema.name() + " requires it");
      }
      struct.put(field, typed(value, field.schema(), at));
    }
    return struct;
  }

  private static JsonNumber number(Object json, Path path, String what) {
    if (!(json instanceof JsonNumber number)) {
      throw mismatch(path, "is not a number, which " + what + " is");
    }
    return number;
  }

  private static long longOf(JsonNumber number, Path path) {
    if (!number.integral()) {
      throw mismatch(path, "is " + number.text() + ", not an integer");
    }
    try {
      return Long.parseLong(number.text());
    } catch (NumberFormatException e) {
      throw mismatch(path, "is " + number.text() + ", beyond 64 bits");
    }
  }

  private static double doubleOf(JsonNumber number, Path path) {
    double value = Double.parseDouble(number.text());
    if (Double.isInfinite(value)) {
      throw mismatch(path, "is " + number.text() + ", beyond a double's range");
    }
    return value;
  }

  private static BigDecimal decimal(JsonNumber number, Schema schema, Path path) {
    BigDecimal value = new BigDecimal(number.text());
    int scale = Integer.parseInt(schema.parameters().get(Decimal.SCALE_FIELD));
    String precisionText = schema.parameters().get("connect.decimal.precision");
    BigDecimal scaled;
    try {
      scaled = value.setScale(scale);
    } catch (ArithmeticException e) {
      throw mismatch(path, "is " + number.text() + ", more than " + scale + " digits after the point");
    }
    if (precisionText != null && scaled.precision() > Integer.parseInt(precisionText)) {
      throw mismatch(path, "is " + number.text() + ", more than " + precisionText + " digits");
    }
    return scaled;
  }

  private static IllegalArgumentException mismatch(Path path, String why) {
    return new IllegalArgumentException(path + " " + why);
  }
}
