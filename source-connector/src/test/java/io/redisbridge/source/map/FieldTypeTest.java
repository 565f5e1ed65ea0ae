package io.redisbridge.source.map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.redisbridge.common.mapping.ConnectValueText;
import io.redisbridge.common.mapping.TemporalFormat;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each declarable type: the texts it accepts are those the sink writes back, byte for byte; every other
 * text is refused with a reason.
 */
class FieldTypeTest {

  private static final ConnectValueText SINK_TEXT = new ConnectValueText(TemporalFormat.ISO);

  private static Object parse(String type, String text) {
    return FieldType.parse(type).parse(text, text.getBytes(StandardCharsets.UTF_8));
  }

  @ParameterizedTest(name = "{0} accepts ''{1}''")
  @CsvSource(delimiter = '|', value = {
      "int32          | 42",
      "int32          | -2147483648",
      "int64          | 0",
      "int64          | -7",
      "int64          | 9223372036854775807",
      "float64        | 9.99",
      "float64        | 100.0",
      "float64        | -0.5",
      "float64        | 1.0E10",
      "float32        | 9.99",
      "boolean        | true",
      "boolean        | false",
      "decimal(10,2)  | 9.99",
      "decimal(10,2)  | -0.50",
      "decimal(10,2)  | 12345678.00",
      "decimal(5,0)   | 12345",
      "decimal(4,4)   | 0.1234",
      "timestamp      | 1709300700250",
      "timestamp      | -100000000000",
      "timestamp(seconds) | 1709300700",
      "timestamp(seconds) | -1",
      "timestamp(iso) | 2024-03-01T13:45:00.250Z",
      "timestamp(iso) | 2024-03-01T13:45:00Z",
      "date           | 2024-03-01",
      "string         | ''",
      "string         | 9.99 € ✓"})
  void acceptsWhatTheSinkWritesBackTheSame(String type, String text) {
    FieldType fieldType = FieldType.parse(type);
    Object value = fieldType.parse(text, text.getBytes(StandardCharsets.UTF_8));

    Schema schema = fieldType.schema(false);
    assertThat(SINK_TEXT.text(schema, value)).isEqualTo(text);
    if (fieldType.kind() == FieldType.Kind.DECIMAL) {
      assertThat(schema.name()).isEqualTo(Decimal.LOGICAL_NAME);
      assertThat(((BigDecimal) value).scale()).isEqualTo(fieldType.scale());
    }
  }

  @ParameterizedTest(name = "{0} refuses ''{1}''")
  @CsvSource(delimiter = '|', value = {
      "int64          | +7              | without + or leading zeros",
      "int64          | 007             | without + or leading zeros",
      "int64          | 1e3             | without + or leading zeros",
      "int64          | -0              | come back as '0'",
      "int64          | ''              | digits",
      "int64          | ' 42'           | digits",
      "int64          | 9223372036854775808 | out of range",
      "int32          | 2147483648      | out of range",
      "float64        | 100             | come back as '100.0'",
      "float64        | 1e10            | come back as '1.0E10'",
      "float64        | 0x1p3           | not a number",
      "float64        | 9.99d           | not a number",
      "float64        | ''              | not a number",
      "float64        | NaN             | do not survive JSON converters",
      "float32        | -Infinity       | do not survive JSON converters",
      "float64        | -0.0            | negative zero",
      "float32        | 0.1000000001    | come back as '0.1'",
      "boolean        | TRUE            | true or false",
      "boolean        | 1               | true or false",
      "decimal(10,2)  | 9.9             | come back as '9.90'",
      "decimal(10,2)  | 9.999           | more than 2 digits after the point",
      "decimal(10,2)  | 123456789.00    | more than 8 digits before the point",
      "decimal(10,2)  | 1E+3            | come back as '1000.00'",
      "decimal(10,2)  | -0.00           | come back as '0.00'",
      "decimal(10,2)  | ten             | not a decimal number",
      "decimal(10,2)  | ''              | not a decimal number",
      "timestamp      | 1709300700.250  | digits",
      "timestamp      | 1709300700      | looks like epoch seconds (as milliseconds it is 1970-01-20T18:48:20.700Z)",
      "timestamp      | -1              | looks like epoch seconds",
      "timestamp(seconds) | 1709300700250000000 | out of range",
      "timestamp      | 2024-03-01T13:45:00Z | digits",
      "timestamp(iso) | 2024-03-01T13:45:00.000Z | come back as '2024-03-01T13:45:00Z'",
      "timestamp(iso) | 2024-03-01T14:45:00+01:00 | come back as '2024-03-01T13:45:00Z'",
      "timestamp(iso) | 2024-03-01T13:45:00.250001Z | finer than milliseconds",
      "timestamp(iso) | 1709300700250   | not an ISO-8601 instant",
      "date           | 2024-3-1        | not an ISO-8601 date",
      "date           | 2024-02-30      | not an ISO-8601 date"})
  void refusesOtherTextsSayingWhy(String type, String text, String reason) {
    assertThatThrownBy(() -> parse(type, text)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(reason);
  }

  @ParameterizedTest(name = "declaration ''{0}''")
  @CsvSource(delimiter = '|', value = {
      "int128          | 'int128' is not a type",
      "decimal(10)     | is not decimal(precision,scale)",
      "decimal(40,2)   | precision <= 38",
      "decimal(2,3)    | scale <= precision",
      "jsonb           | 'jsonb' is not a type",
      "timestamp(unix) | 'timestamp(unix)' is not a type"})
  void malformedTypesAreNamed(String type, String message) {
    assertThatThrownBy(() -> FieldType.parse(type)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  @ParameterizedTest(name = "bytes keep {0}")
  @CsvSource({"C328FF", "00", "''"})
  void bytesAreTakenAsTheyAre(String hex) {
    byte[] raw = java.util.HexFormat.of().parseHex(hex);
    assertThat((byte[]) FieldType.parse("bytes").parse(null, raw)).isEqualTo(raw);
    assertThat(SINK_TEXT.bytes(FieldType.parse("bytes").schema(true), raw)).isEqualTo(raw);
  }

  @ParameterizedTest(name = "{0} takes ''{1}'' as {2}")
  @CsvSource(delimiter = '|', value = {
      "int64~         | +30             | 30",
      "int64~         | 030             | 30",
      "int64~         | 3e1             | 30",
      "int64~         | 30.000          | 30",
      "int64~         | -0              | 0",
      "int32~         | 2147483647      | 2147483647",
      "float64~       | 30              | 30.0",
      "float64~       | 29.9            | 29.9",
      "float64~       | 1e+21           | 1.0E21",
      "float64~       | -0.0            | 0.0",
      "float32~       | 0.1000000001    | 0.1",
      "decimal(10,2)~ | 29.9            | 29.90",
      "decimal(10,2)~ | 30              | 30.00",
      "decimal(10,2)~ | 1E+3            | 1000.00",
      "decimal(10,2)~ | -0.5            | -0.50"})
  void aTildeTakesAnyNumberFormAndWritesItBackInTheTypesOwn(String type, String text, String written) {
    FieldType fieldType = FieldType.parse(type);
    Object value = fieldType.parse(text, text.getBytes(StandardCharsets.UTF_8));

    assertThat(fieldType.lenient()).isTrue();
    assertThat(fieldType).hasToString(type);
    assertThat(SINK_TEXT.text(fieldType.schema(false), value)).isEqualTo(written);
  }

  @ParameterizedTest(name = "{0} refuses ''{1}''")
  @CsvSource(delimiter = '|', value = {
      "int64~         | 2.5             | not a whole number",
      "int64~         | 1e-999999999    | not a whole number",
      "int64~         | 1e999999999     | out of range",
      "int64~         | 9223372036854775808 | out of range",
      "int32~         | 2147483648      | out of range",
      "float64~       | 1e999           | out of a double's range",
      "float64~       | NaN             | do not survive JSON converters",
      "float64~       | 0x1p3           | not a number",
      "float64~       | 1.2.3           | not a number",
      "decimal(10,2)~ | 9.999           | more than 2 digits after the point",
      "decimal(10,2)~ | 123456789       | more than 8 digits before the point",
      "decimal(10,2)~ | ''              | not a number"})
  void aTildeStillRefusesWhatTheTypeCannotHoldWithoutRounding(String type, String text, String reason) {
    assertThatThrownBy(() -> parse(type, text)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(reason);
  }

  @Test
  void aTildeFollowsNumberTypesOnly() {
    assertThatThrownBy(() -> FieldType.parse("boolean~")).hasMessageContaining("follows a number type only");
    assertThatThrownBy(() -> FieldType.parse("timestamp~")).hasMessageContaining("follows a number type only");
  }
}
