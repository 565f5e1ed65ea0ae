package io.redisbridge.source.map;

import io.redisbridge.common.mapping.ConnectValueText;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Date;
import java.util.Locale;
import java.util.regex.Pattern;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Timestamp;

/**
 * The type an entry field is declared with in {@code value.struct.fields} ({@code amount:decimal(10,2)}),
 * its Connect schema, and how its text becomes a value. A text is accepted only in the form the sink writes
 * the value back ({@code 42}, not {@code +42}, {@code 042} or {@code 4.2e1}), so an entry that goes Redis →
 * Kafka → Redis comes back byte for byte; any other text is refused with the form it would come back in.
 */
public record FieldType(Kind kind, int precision, int scale, Schema jsonSchema, boolean lenient) {

  /** The declarable types; string is what an undeclared field is. */
  public enum Kind {
    STRING, INT32, INT64, FLOAT32, FLOAT64, BOOLEAN, DECIMAL, BYTES, TIMESTAMP, TIMESTAMP_SECONDS, TIMESTAMP_ISO,
    DATE, JSON
  }

  public static final FieldType STRING = new FieldType(Kind.STRING, 0, 0);

  public FieldType(Kind kind, int precision, int scale) {
    this(kind, precision, scale, null, false);
  }

  /** This json type with the schema its structure must have (from value.json.schemas). */
  public FieldType withJsonSchema(Schema schema) {
    return new FieldType(kind, precision, scale, schema, lenient);
  }

  /** Whether {@code ~} may follow the type: any number form, written back in the type's own. */
  private boolean numeric() {
    return kind == Kind.INT32 || kind == Kind.INT64 || kind == Kind.FLOAT32 || kind == Kind.FLOAT64
        || kind == Kind.DECIMAL;
  }
  /** Below this many milliseconds from the epoch, a timestamp is taken for epoch seconds (see notSeconds). */
  static final long SECONDS_OR_MILLIS = 100_000_000_000L;
  private static final Pattern DECIMAL_TYPE = Pattern.compile("decimal\\(\\s*(\\d+)\\s*,\\s*(\\d+)\\s*\\)");

  /**
   * The type a declaration names ({@code int64}, {@code decimal(10,2)}, ...).
   *
   * @throws IllegalArgumentException naming what is wrong with it
   */
  public static FieldType parse(String text) {
    String trimmed = text.trim();
    if (!trimmed.endsWith("~")) {
      return parseStrict(trimmed);
    }
    FieldType type = parseStrict(trimmed.substring(0, trimmed.length() - 1));
    if (!type.numeric()) {
      throw new IllegalArgumentException("'" + trimmed + "': ~ (any number form) follows a number type only: "
          + "int32, int64, float32, float64 or decimal(p,s)");
    }
    return new FieldType(type.kind, type.precision, type.scale, null, true);
  }

  private static FieldType parseStrict(String text) {
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
    if (type.replace(" ", "").equals("timestamp(iso)")) {
      return new FieldType(Kind.TIMESTAMP_ISO, 0, 0);
    }
    if (type.replace(" ", "").equals("timestamp(seconds)")) {
      return new FieldType(Kind.TIMESTAMP_SECONDS, 0, 0);
    }
    for (Kind kind : Kind.values()) {
      if (kind != Kind.DECIMAL && kind != Kind.TIMESTAMP_ISO && kind != Kind.TIMESTAMP_SECONDS
          && kind.name().toLowerCase(Locale.ROOT).equals(type)) {
        return new FieldType(kind, 0, 0);
      }
    }
    throw new IllegalArgumentException("'" + text.trim() + "' is not a type; one of string, int32, int64, "
        + "float32, float64, boolean, decimal(precision,scale), bytes, timestamp, timestamp(seconds), "
        + "timestamp(iso), date, json");
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
      case TIMESTAMP -> Timestamp.builder().parameter(ConnectValueText.TEXT_FORMAT_PARAMETER, "epoch_millis");
      case TIMESTAMP_SECONDS -> Timestamp.builder()
          .parameter(ConnectValueText.TEXT_FORMAT_PARAMETER, "epoch_seconds");
      case TIMESTAMP_ISO -> Timestamp.builder().parameter(ConnectValueText.TEXT_FORMAT_PARAMETER, "iso");
      case DATE -> org.apache.kafka.connect.data.Date.builder()
          .parameter(ConnectValueText.TEXT_FORMAT_PARAMETER, "iso");
      case JSON -> {
        if (jsonSchema == null) {
          throw new IllegalStateException("a json field of a struct value needs its schema in value.json.schemas");
        }
        yield copyOf(jsonSchema);
      }
    };
    return required ? builder.build() : builder.optional().build();
  }

  /**
   * The value of {@code text} (the field's UTF-8 text; {@code raw} its bytes, for bytes fields).
   *
   * @throws IllegalArgumentException saying why the text is not a value of this type in the form it comes back
   */
  public Object parse(String text, byte[] raw) {
    if (lenient) {
      return anyNumberForm(text);
    }
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
      case TIMESTAMP -> new Date(notSeconds((Long) integerOf(text, Long.MIN_VALUE, Long.MAX_VALUE)));
      case TIMESTAMP_SECONDS -> new Date((Long) integerOf(text, Long.MIN_VALUE / 1000, Long.MAX_VALUE / 1000) * 1000);
      case TIMESTAMP_ISO -> isoInstant(text);
      case DATE -> isoDate(text);
      case JSON -> JsonFieldValue.of("the value", text, jsonSchema);
    };
  }

  /** A builder that makes {@code schema} again, so the field's own optionality can be set on it. */
  private static SchemaBuilder copyOf(Schema schema) {
    SchemaBuilder builder = switch (schema.type()) {
      case STRUCT -> {
        SchemaBuilder struct = SchemaBuilder.struct();
        schema.fields().forEach(field -> struct.field(field.name(), field.schema()));
        yield struct;
      }
      case ARRAY -> SchemaBuilder.array(schema.valueSchema());
      case MAP -> SchemaBuilder.map(schema.keySchema(), schema.valueSchema());
      default -> SchemaBuilder.type(schema.type());
    };
    builder.name(schema.name());
    if (schema.parameters() != null) {
      builder.parameters(schema.parameters());
    }
    return builder;
  }

  /**
   * A number in any form a producer may write ({@code 30}, {@code +30}, {@code 3e1}, {@code 030}, {@code 29.90}),
   * as long as the type holds it: an integer type takes no fraction and a decimal no more digits than its
   * scale (nothing is rounded); a float type takes the nearest float or double, as JavaScript does.
   */
  /** Digits, signs, points and exponent letters only: a loop, for this runs per field of every entry. */
  private static boolean numberCharacters(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if ((c < '0' || c > '9') && c != '-' && c != '+' && c != '.' && c != 'E' && c != 'e') {
        return false;
      }
    }
    return true;
  }

  private Object anyNumberForm(String text) {
    if (text.isEmpty() || !numberCharacters(text)) {
      if (text.contains("NaN") || text.contains("Infinity")) {
        throw new IllegalArgumentException("NaN and Infinity do not survive JSON converters");
      }
      throw new IllegalArgumentException("not a number");
    }
    if (kind == Kind.FLOAT32 || kind == Kind.FLOAT64) {
      // The characters are checked above, so Java's parser sees no hex, suffix, blank or word.
      double nearest;
      try {
        nearest = kind == Kind.FLOAT32 ? Float.parseFloat(text) : Double.parseDouble(text);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("not a number");
      }
      if (Double.isInfinite(nearest)) {
        throw new IllegalArgumentException("out of a " + (kind == Kind.FLOAT32 ? "float" : "double") + "'s range");
      }
      return kind == Kind.FLOAT32 ? (Object) (nearest == 0 ? 0.0f : (float) nearest)
          : (Object) (nearest == 0 ? 0.0 : nearest);
    }
    BigDecimal value;
    try {
      value = new BigDecimal(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a number");
    }
    // Exponents are checked before any digit is made: 1e999999999 must not become a billion digits.
    BigDecimal exact = value.signum() == 0 ? BigDecimal.ZERO : value.stripTrailingZeros();
    int wholeDigits = exact.precision() - exact.scale();
    int wholeLimit = kind == Kind.DECIMAL ? precision - scale : 19;
    if (wholeDigits > wholeLimit) {
      throw new IllegalArgumentException(kind == Kind.DECIMAL ? "more than " + wholeLimit + " digits before the point"
          : "out of range");
    }
    int fractionLimit = kind == Kind.DECIMAL ? scale : 0;
    if (exact.scale() > fractionLimit) {
      throw new IllegalArgumentException(kind == Kind.DECIMAL ? "more than " + scale + " digits after the point"
          : "not a whole number");
    }
    if (kind == Kind.DECIMAL) {
      return exact.setScale(scale);
    }
    long whole;
    try {
      whole = exact.longValueExact();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("out of range");
    }
    if (kind == Kind.INT32) {
      if (whole < Integer.MIN_VALUE || whole > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("out of range");
      }
      return (int) whole;
    }
    return whole;
  }

  private Object integer(String text) {
    return kind == Kind.INT32 ? integerOf(text, Integer.MIN_VALUE, Integer.MAX_VALUE)
        : integerOf(text, Long.MIN_VALUE, Long.MAX_VALUE);
  }

  /** An Integer when the bounds are int's, else a Long. */
  private static Object integerOf(String text, long min, long max) {
    if (!isPlainInteger(text)) {
      throw new IllegalArgumentException("an integer is written as digits with an optional leading -, "
          + "without + or leading zeros");
    }
    if (text.length() <= 18) {
      // Cannot overflow a long: the common case, without BigInteger.
      long value = Long.parseLong(text);
      if (value < min || value > max) {
        throw new IllegalArgumentException("out of range");
      }
      if (value == 0 && text.length() > 1) {
        throw new IllegalArgumentException("it would come back as '0'");
      }
      return max == Integer.MAX_VALUE ? (Object) (int) value : (Object) value;
    }
    BigInteger value = new BigInteger(text);
    if (value.compareTo(BigInteger.valueOf(min)) < 0 || value.compareTo(BigInteger.valueOf(max)) > 0) {
      throw new IllegalArgumentException("out of range");
    }
    Object number = max == Integer.MAX_VALUE ? (Object) value.intValue() : (Object) value.longValue();
    return canonical(text, number, number.toString());
  }

  /** -?(0|[1-9][0-9]*), without a regular expression: this runs for every typed field of every entry. */
  private static boolean isPlainInteger(String text) {
    int start = text.startsWith("-") ? 1 : 0;
    if (text.length() == start || text.charAt(start) == '0' && text.length() > start + 1) {
      return false;
    }
    for (int i = start; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  /**
   * Epoch seconds read as milliseconds land in January 1970 without a word: a {@code timestamp} within
   * 10^11 ms of the epoch (1966-10 to 1973-03) is refused as the seconds it most likely is.
   */
  private static long notSeconds(long millis) {
    if (Math.abs(millis) < SECONDS_OR_MILLIS) {
      throw new IllegalArgumentException("it looks like epoch seconds (as milliseconds it is "
          + Instant.ofEpochMilli(millis) + "); declare timestamp(seconds) for seconds");
    }
    return millis;
  }

  /** An instant as the sink writes it: UTC, Z, milliseconds only when not zero (2024-03-01T13:45:00.250Z). */
  private static Date isoInstant(String text) {
    Instant instant;
    try {
      instant = Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("not an ISO-8601 instant like 2024-03-01T13:45:00.250Z");
    }
    if (instant.getNano() % 1_000_000 != 0) {
      throw new IllegalArgumentException("finer than milliseconds, which a Connect Timestamp holds");
    }
    Date date = Date.from(instant);
    canonical(text, date, DateTimeFormatter.ISO_INSTANT.format(instant));
    return date;
  }

  /** A day as the sink writes it (2024-03-01), at midnight UTC as Connect's Date wants it. */
  private static Date isoDate(String text) {
    LocalDate day;
    try {
      day = LocalDate.parse(text);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("not an ISO-8601 date like 2024-03-01");
    }
    canonical(text, day, day.toString());
    return Date.from(day.atStartOfDay(ZoneOffset.UTC).toInstant());
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

  /** Whether the type needs a schema to travel: Connect's temporal types do, JSON has none of its own. */
  public boolean temporal() {
    return kind == Kind.TIMESTAMP || kind == Kind.TIMESTAMP_SECONDS || kind == Kind.TIMESTAMP_ISO
        || kind == Kind.DATE;
  }

  @Override
  public String toString() {
    return strictName() + (lenient ? "~" : "");
  }

  private String strictName() {
    return switch (kind) {
      case DECIMAL -> "decimal(" + precision + "," + scale + ")";
      case TIMESTAMP_ISO -> "timestamp(iso)";
      case TIMESTAMP_SECONDS -> "timestamp(seconds)";
      default -> kind.name().toLowerCase(Locale.ROOT);
    };
  }
}
