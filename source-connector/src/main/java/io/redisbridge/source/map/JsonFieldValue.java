package io.redisbridge.source.map;

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
 * (no intermediate tree, no string per key or number, no object per step: the mapping runs for every
 * entry). Without a schema (a map value) objects become maps, arrays lists, integers longs and other numbers
 * doubles, as a JSON converter gives them back. With one (from {@code value.json.schemas}) every part must
 * match it: a key the schema does not declare, a missing field that is not optional, a string for an int or
 * 2.5 for an int is refused with its path ({@code items[1].qty}), never dropped or rounded. The JSON itself
 * is read as strictly as {@link JsonReader} reads it.
 */
final class JsonFieldValue {

  /**
   * A part that does not match its schema. Its path is built on the way out (each level adds its key or
   * index), so a value that matches costs no path at all.
   */
  private static final class Mismatch extends RuntimeException {
    private String path = "";

    Mismatch(String why) {
      super(why, null, false, false);
    }

    Mismatch under(String step) {
      path = step + path;
      return this;
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
    try {
      Object value = schema == null ? reader.schemaless(0) : reader.typed(schema, 0);
      reader.json.end();
      return value;
    } catch (Mismatch e) {
      throw new IllegalArgumentException(name + e.path + " " + e.getMessage());
    }
  }

  private Object schemaless(int depth) {
    char c = json.current();
    if (c == '{') {
      return map(null, depth);
    }
    if (c == '[') {
      return list(null, depth);
    }
    if (c == '-' || c >= '0' && c <= '9') {
      return json.skipNumber() ? (Object) longValue() : (Object) doubleValue();
    }
    return json.scalar();
  }

  /** The value the reader is at: under {@code schema}, or schemaless when it is null. */
  private Object value(Schema schema, int depth) {
    return schema == null ? schemaless(depth) : typed(schema, depth);
  }

  /** The object the reader is at, as a map of values under {@code valueSchema} (null: schemaless). */
  private Map<String, Object> map(Schema valueSchema, int depth) {
    json.checkDepth(depth + 1);
    Map<String, Object> map = new LinkedHashMap<>();
    for (boolean more = json.openObject(); more; more = json.nextMember()) {
      String key = json.key();
      if (map.containsKey(key)) {
        throw json.duplicateKey(key);
      }
      try {
        map.put(key, value(valueSchema, depth + 1));
      } catch (Mismatch e) {
        throw e.under("." + key);
      }
    }
    return map;
  }

  /** The array the reader is at, as a list of values under {@code valueSchema} (null: schemaless). */
  private List<Object> list(Schema valueSchema, int depth) {
    json.checkDepth(depth + 1);
    List<Object> list = new ArrayList<>();
    for (boolean more = json.openArray(); more; more = json.nextElement()) {
      try {
        list.add(value(valueSchema, depth + 1));
      } catch (Mismatch e) {
        throw e.under("[" + list.size() + "]");
      }
    }
    return list;
  }

  private Object typed(Schema schema, int depth) {
    char c = json.current();
    if (c == 'n') {
      json.literal("null", null);
      if (!schema.isOptional()) {
        throw new Mismatch("is null, which its schema does not allow (a union with null would)");
      }
      return null;
    }
    if (Decimal.LOGICAL_NAME.equals(schema.name())) {
      number("a decimal");
      return decimal(schema);
    }
    if (Timestamp.LOGICAL_NAME.equals(schema.name())) {
      return new Date(integer("epoch milliseconds"));
    }
    return switch (schema.type()) {
      case STRUCT -> struct(schema, depth + 1);
      case ARRAY -> {
        if (c != '[') {
          throw new Mismatch("is not an array");
        }
        yield list(schema.valueSchema(), depth);
      }
      case MAP -> {
        if (c != '{') {
          throw new Mismatch("is not an object");
        }
        yield map(schema.valueSchema(), depth);
      }
      case INT32 -> {
        long value = integer("an int");
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
          throw new Mismatch("is out of an int's range");
        }
        yield (int) value;
      }
      case INT64 -> integer("a long");
      case FLOAT32 -> {
        number("a float");
        double value = doubleValue();
        if (Math.abs(value) > Float.MAX_VALUE) {
          throw new Mismatch("is out of a float's range");
        }
        yield (float) value;
      }
      case FLOAT64 -> {
        number("a double");
        yield doubleValue();
      }
      case BOOLEAN -> {
        if (!(json.scalar() instanceof Boolean bool)) {
          throw new Mismatch("is not true or false");
        }
        yield bool;
      }
      case STRING -> {
        if (c != '"') {
          throw new Mismatch("is not a string");
        }
        yield json.string();
      }
      default -> throw new Mismatch("has a schema of type " + schema.type() + ", which JSON cannot fill");
    };
  }

  private Struct struct(Schema schema, int depth) {
    if (json.current() != '{') {
      throw new Mismatch("is not an object, which record " + schema.name() + " needs");
    }
    json.checkDepth(depth);
    List<Field> fields = schema.fields();
    Struct struct = new Struct(schema);
    boolean[] seen = new boolean[fields.size()];
    for (boolean more = json.openObject(); more; more = json.nextMember()) {
      int index = json.keyAmong(fields);
      if (index < 0) {
        throw new Mismatch("has key '" + json.lastKey() + "', which record " + schema.name() + " does not declare");
      }
      if (seen[index]) {
        throw json.duplicateKey(json.lastKey());
      }
      seen[index] = true;
      Field field = fields.get(index);
      try {
        struct.put(field, typed(field.schema(), depth));
      } catch (Mismatch e) {
        throw e.under("." + field.name());
      }
    }
    for (Field field : fields) {
      if (!seen[field.index()] && !field.schema().isOptional()) {
        throw new Mismatch("is missing, and record " + schema.name() + " requires it").under("." + field.name());
      }
    }
    return struct;
  }

  /** Steps over the number the reader is at, refusing anything else; true when it is integral. */
  private boolean number(String what) {
    char c = json.current();
    if (c != '-' && (c < '0' || c > '9')) {
      if (c == '{' || c == '[') {
        throw new Mismatch("is not a number, which " + what + " is");
      }
      json.scalar();
      throw new Mismatch("is not a number, which " + what + " is");
    }
    return json.skipNumber();
  }

  private long integer(String what) {
    if (!number(what)) {
      throw new Mismatch("is " + json.numberText() + ", not an integer");
    }
    return longValue();
  }

  private long longValue() {
    try {
      return json.numberAsLong();
    } catch (NumberFormatException e) {
      throw new Mismatch("is " + json.numberText() + ", beyond 64 bits");
    }
  }

  private double doubleValue() {
    double value = json.numberAsDouble();
    if (Double.isInfinite(value)) {
      throw new Mismatch("is " + json.numberText() + ", beyond a double's range");
    }
    return value;
  }

  private BigDecimal decimal(Schema schema) {
    String text = json.numberText();
    BigDecimal value = new BigDecimal(text);
    int scale = Integer.parseInt(schema.parameters().get(Decimal.SCALE_FIELD));
    String precisionText = schema.parameters().get("connect.decimal.precision");
    // Exponents are checked before any digit is made: 1e999999999 must not become a billion digits.
    BigDecimal exact = value.signum() == 0 ? BigDecimal.ZERO : value.stripTrailingZeros();
    if (exact.scale() > scale) {
      throw new Mismatch("is " + text + ", more than " + scale + " digits after the point");
    }
    int limit = precisionText == null ? 38 : Integer.parseInt(precisionText);
    if (exact.precision() - exact.scale() > limit - scale) {
      throw new Mismatch("is " + text + ", more than " + limit + " digits");
    }
    return exact.setScale(scale);
  }
}
