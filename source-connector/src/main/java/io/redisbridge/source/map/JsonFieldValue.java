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
 * The Connect value of a {@code json} field's text: structure, not text, made in one pass over the text
 * (no intermediate tree: the mapping runs for every entry). Without a schema (a map value) objects become
 * maps, arrays lists, integers longs and other numbers doubles, as a JSON converter gives them back. With
 * one (from {@code value.json.schemas}) every part must match it: a key the schema does not declare, a
 * missing field that is not optional, a string for an int or 2.5 for an int is refused with its path
 * ({@code items[1].qty}), never dropped or rounded. The JSON itself is read as strictly as {@link JsonReader}
 * reads it.
 */
final class JsonFieldValue {

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

  private final JsonReader json;

  private JsonFieldValue(String text) {
    this.json = new JsonReader(text);
  }

  /**
   * The value of field {@code name}'s {@code text} under {@code schema} (null: schemaless).
   *
   * @throws IllegalArgumentException saying what does not parse or match, and where
   */
  static Object of(String name, String text, Schema schema) {
    JsonFieldValue reader = new JsonFieldValue(text);
    reader.json.blanks();
    char first = reader.json.current();
    if (first != '{' && first != '[') {
      // A top-level string would come back unquoted and a null not at all: scalars have types of their own.
      throw new IllegalArgumentException(name + " is not an object or an array; a json field holds structure, "
          + "a single value is declared with its own type (string, int64, boolean, ...)");
    }
    Path root = Path.root(name);
    Object value = schema == null ? reader.schemaless(root, 0) : reader.typed(schema, root, 0);
    reader.json.end();
    return value;
  }

  private Object schemaless(Path path, int depth) {
    switch (json.current()) {
      case '{' -> {
        json.checkDepth(depth + 1);
        Map<String, Object> map = new LinkedHashMap<>();
        json.members(key -> {
          if (map.containsKey(key)) {
            throw json.duplicateKey(key);
          }
          map.put(key, schemaless(path.key(key), depth + 1));
        });
        return map;
      }
      case '[' -> {
        json.checkDepth(depth + 1);
        List<Object> list = new ArrayList<>();
        json.elements(index -> list.add(schemaless(path.index(index), depth + 1)));
        return list;
      }
      default -> {
        Object scalar = json.scalar();
        if (scalar instanceof JsonNumber number) {
          return number.integral() ? (Object) longOf(number, path) : (Object) doubleOf(number, path);
        }
        return scalar;
      }
    }
  }

  private Object typed(Schema schema, Path path, int depth) {
    char c = json.current();
    if (c == 'n') {
      json.literal("null", null);
      if (!schema.isOptional()) {
        throw mismatch(path, "is null, which its schema does not allow (a union with null would)");
      }
      return null;
    }
    if (Decimal.LOGICAL_NAME.equals(schema.name())) {
      return decimal(number(path, "a decimal"), schema, path);
    }
    if (Timestamp.LOGICAL_NAME.equals(schema.name())) {
      return new Date(longOf(number(path, "epoch milliseconds"), path));
    }
    return switch (schema.type()) {
      case STRUCT -> struct(schema, path, depth + 1);
      case ARRAY -> {
        if (c != '[') {
          throw mismatch(path, "is not an array");
        }
        json.checkDepth(depth + 1);
        List<Object> list = new ArrayList<>();
        json.elements(index -> list.add(typed(schema.valueSchema(), path.index(index), depth + 1)));
        yield list;
      }
      case MAP -> {
        if (c != '{') {
          throw mismatch(path, "is not an object");
        }
        json.checkDepth(depth + 1);
        Map<String, Object> map = new LinkedHashMap<>();
        json.members(key -> {
          if (map.containsKey(key)) {
            throw json.duplicateKey(key);
          }
          map.put(key, typed(schema.valueSchema(), path.key(key), depth + 1));
        });
        yield map;
      }
      case INT32 -> {
        long value = longOf(number(path, "an int"), path);
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
          throw mismatch(path, "is out of an int's range");
        }
        yield (int) value;
      }
      case INT64 -> longOf(number(path, "a long"), path);
      case FLOAT32 -> {
        double value = doubleOf(number(path, "a float"), path);
        if (Math.abs(value) > Float.MAX_VALUE) {
          throw mismatch(path, "is out of a float's range");
        }
        yield (float) value;
      }
      case FLOAT64 -> doubleOf(number(path, "a double"), path);
      case BOOLEAN -> {
        if (!(json.scalar() instanceof Boolean bool)) {
          throw mismatch(path, "is not true or false");
        }
        yield bool;
      }
      case STRING -> {
        if (c != '"') {
          throw mismatch(path, "is not a string");
        }
        yield json.string();
      }
      default -> throw mismatch(path, "has a schema of type " + schema.type() + ", which JSON cannot fill");
    };
  }

  private Struct struct(Schema schema, Path path, int depth) {
    if (json.current() != '{') {
      throw mismatch(path, "is not an object, which record " + schema.name() + " needs");
    }
    json.checkDepth(depth);
    Struct struct = new Struct(schema);
    boolean[] seen = new boolean[schema.fields().size()];
    json.members(key -> {
      Field field = schema.field(key);
      if (field == null) {
        throw mismatch(path, "has key '" + key + "', which record " + schema.name() + " does not declare");
      }
      if (seen[field.index()]) {
        throw json.duplicateKey(key);
      }
      seen[field.index()] = true;
      struct.put(field, typed(field.schema(), path.key(key), depth));
    });
    for (Field field : schema.fields()) {
      if (!seen[field.index()] && !field.schema().isOptional()) {
        throw mismatch(path.key(field.name()), "is missing, and record " + schema.name() + " requires it");
      }
    }
    return struct;
  }

  private JsonNumber number(Path path, String what) {
    char c = json.current();
    if (c == '{' || c == '[') {
      throw mismatch(path, "is not a number, which " + what + " is");
    }
    if (!(json.scalar() instanceof JsonNumber number)) {
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
    // Exponents are checked before any digit is made: 1e999999999 must not become a billion digits.
    BigDecimal exact = value.signum() == 0 ? BigDecimal.ZERO : value.stripTrailingZeros();
    if (exact.scale() > scale) {
      throw mismatch(path, "is " + number.text() + ", more than " + scale + " digits after the point");
    }
    int limit = precisionText == null ? 38 : Integer.parseInt(precisionText);
    if (exact.precision() - exact.scale() > limit - scale) {
      throw mismatch(path, "is " + number.text() + ", more than " + limit + " digits");
    }
    return exact.setScale(scale);
  }

  private static IllegalArgumentException mismatch(Path path, String why) {
    return new IllegalArgumentException(path + " " + why);
  }
}
