package io.redisbridge.source.map;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Locale;
import java.util.regex.Pattern;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;

/**
 * The type an entry field is declared with in {@code value.struct.fields} ({@code amount:decimal(10,2)}),
 * its Connect schema, and how its text becomes a value. A text is accepted only in the form the sink writes
 * the value back ({@code 42}, not {@code +42}, {@code 042} or {@code 4.2e1}), so an entry that goes Redis →
 * Kafka → Redis comes back byte for byte; any other text is refused with the form it would come back in.
 */
public record FieldType(Kind kind, int precision, int scale) {

  /** The declarable types; string is what an undeclared field is. */
  public enum Kind { STRING, INT32, INT64, FLOAT32, FLOAT64, BOOLEAN, DECIMAL, BYTES }

  public static final FieldType STRING = new FieldType(Kind.STRING, 0, 0);
  private static final Pattern INTEGER = Pattern.compile("-?(0|[1-9][0-9]*)");
  private static final Pattern DECIMAL_TYPE = Pattern.compile("decimal\\(\\s*(\\d+)\\s*,\\s*(\\d+)\\s*\\)");

  /**
   * The type a declaration names ({@code int64}, {@code decimal(10,2)}, ...).
   *
   * @throws IllegalArgumentException naming what is wrong with it
   */
  public static FieldType parse(String text) {
    String type = text.trim().toLowerCase(Locale.ROOT);
    var decimal = DECIMAL_TYPE.matcher(type);
    if (decimal.matches()) {
      int precision = Integer.parseInt(decimal.group(1));
      int scale = Integer.parseInt(decimal.group(2));
      if (precision < 1 || precision > 38 || scale > precision) {
        throw new IllegalArgumentException("'" + text.trim() + "' needs 1 <= precision <= 38 and scale <= precision");
      }
      return new FieldType(Kind.DECIMAL, precision, scale);
    }
    if (type.startsWith("decimal")) {
      throw new IllegalArgumentException("'" + text.trim() + "' is not decimal(precision,scale), e.g. decimal(10,2)");
    }
    for (Kind kind : Kind.values()) {
      if (kind != Kind.DECIMAL && kind.name().toLowerCase(Locale.ROOT).equals(type)) {
        return new FieldType(kind, 0, 0);
      }
    }
    throw new IllegalArgumentException("'" + text.trim() + "' is not a type; one of string, int32, int64, "
        + "float32, float64, boolean, decimal(precision,scale), bytes");
  }

  /** The Connect schema of a field of this type; optional unless required. */
  public Schema schema(boolean required) {
    SchemaBuilder builder = switch (kind) {
      case STRING -> SchemaBuilder.string();
      case INT32 -> SchemaBuilder.int32();
      case INT64 -> SchemaBuilder.int64();
      case FLOAT32 -> SchemaBuilder.float32();
      case FLOAT64 -> SchemaBuilder.float64();
      case BOOLEAN -> SchemaBuilder.bool();
      case DECIMAL -> Decimal.builder(scale).parameter("connect.decimal.precision", Integer.toString(precision));
      case BYTES -> SchemaBuilder.bytes();
    };
    return required ? builder.build() : builder.optional().build();
  }

  /**
   * The value of {@code text} (the field's UTF-8 text; {@code raw} its bytes, for bytes fields).
   *
   * @throws IllegalArgumentException saying why the text is not a value of this type in the form it comes back
   */
  public Object parse(String text, byte[] raw) {
    return switch (kind) {
      case STRING -> text;
      case BYTES -> raw;
      case INT32, INT64 -> integer(text);
      case FLOAT32 -> {
        float value = Float.parseFloat(number(text));
        yield canonical(text, notNegativeZero(value), Float.toString(value));
      }
      case FLOAT64 -> {
        double value = Double.parseDouble(number(text));
        yield canonical(text, notNegativeZero(value), Double.toString(value));
      }
      case BOOLEAN -> {
        if (!text.equals("true") && !text.equals("false")) {
          throw new IllegalArgumentException("a boolean is true or false");
        }
        yield Boolean.valueOf(text);
      }
      case DECIMAL -> decimal(text);
    };
  }

  private Object integer(String text) {
    if (!INTEGER.matcher(text).matches()) {
      throw new IllegalArgumentException("an integer is written as digits with an optional leading -, "
          + "without + or leading zeros");
    }
    BigInteger value = new BigInteger(text);
    BigInteger min = BigInteger.valueOf(kind == Kind.INT32 ? Integer.MIN_VALUE : Long.MIN_VALUE);
    BigInteger max = BigInteger.valueOf(kind == Kind.INT32 ? Integer.MAX_VALUE : Long.MAX_VALUE);
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      throw new IllegalArgumentException("out of range");
    }
    Object number = kind == Kind.INT32 ? (Object) value.intValue() : (Object) value.longValue();
    return canonical(text, number, number.toString());
  }

  /**
   * Java's number parsing also takes hex floats, a trailing d or f, and surrounding blanks: none of them
   * here. NaN and Infinity are refused too: JSON has neither, so a JSON converter would not give them back.
   */
  private static String number(String text) {
    if (text.contains("NaN") || text.contains("Infinity")) {
      throw new IllegalArgumentException("NaN and Infinity do not survive JSON converters");
    }
    if (text.isEmpty() || !text.chars().allMatch(c -> c >= '0' && c <= '9' || c == '-' || c == '.' || c == 'E'
        || c == 'e')) {
      throw new IllegalArgumentException("not a number");
    }
    return text;
  }

  /** -0.0 becomes 0.0 on its way through a JSON converter. */
  private static <N extends Number> N notNegativeZero(N value) {
    if (value.doubleValue() == 0 && 1 / value.doubleValue() < 0) {
      throw new IllegalArgumentException("negative zero does not survive JSON converters");
    }
    return value;
  }

  private static Object canonical(String text, Object value, String comesBack) {
    if (!comesBack.equals(text)) {
      throw new IllegalArgumentException("it would come back as '" + comesBack + "'");
    }
    return value;
  }

  private BigDecimal decimal(String text) {
    BigDecimal value;
    try {
      value = new BigDecimal(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a decimal number");
    }
    if (value.precision() - value.scale() > precision - scale) {
      throw new IllegalArgumentException("more than " + (precision - scale) + " digits before the point");
    }
    BigDecimal scaled;
    try {
      scaled = value.setScale(scale);
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("more than " + scale + " digits after the point");
    }
    canonical(text, scaled, scaled.toPlainString());
    return scaled;
  }

  @Override
  public String toString() {
    return kind == Kind.DECIMAL ? "decimal(" + precision + "," + scale + ")" : kind.name().toLowerCase(Locale.ROOT);
  }
}
