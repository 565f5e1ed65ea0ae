package io.redisbridge.source.map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonReaderTest {

  @Test
  @SuppressWarnings("unchecked")
  void readsObjectsInTheirOrderArraysAndScalars() {
    Object value = JsonReader.parse(
        " {\"sku\":\"A1\", \"qty\" : 2,\"price\":9.99,\"tags\":[true,false,null],\"n\":{}}\n");

    assertThat(value).isInstanceOf(Map.class);
    Map<String, Object> object = (Map<String, Object>) value;
    assertThat(object.keySet()).containsExactly("sku", "qty", "price", "tags", "n");
    assertThat(object.get("qty")).isEqualTo(new JsonReader.JsonNumber("2"));
    assertThat(object.get("price")).isEqualTo(new JsonReader.JsonNumber("9.99"));
    assertThat((List<Object>) object.get("tags")).containsExactly(true, false, null);
    assertThat((Map<?, ?>) object.get("n")).isEmpty();
  }

  @Test
  void decodesEscapesAndUnicodeIncludingSurrogatePairs() {
    assertThat(JsonReader.parse("\"caf\\u00e9 \\ud83d\\ude00 \\\"q\\\" \\\\ \\/ \\n\\t\""))
        .isEqualTo("café 😀 \"q\" \\ / \n\t");
    assertThat(JsonReader.parse("\"Grüße, 東京\"")).isEqualTo("Grüße, 東京");
  }

  @Test
  void keepsNumbersAsWrittenAndTellsIntegersApart() {
    assertThat(((JsonReader.JsonNumber) JsonReader.parse("-0")).integral()).isTrue();
    assertThat(((JsonReader.JsonNumber) JsonReader.parse("12345678901234567890")).text())
        .isEqualTo("12345678901234567890");
    assertThat(((JsonReader.JsonNumber) JsonReader.parse("1e3")).integral()).isFalse();
    assertThat(((JsonReader.JsonNumber) JsonReader.parse("-2.5E-3")).text()).isEqualTo("-2.5E-3");
  }

  @Test
  void readsNumbersInPlaceAsTheJdkParsesThem() {
    long seed = Long.getLong("json.seed", System.nanoTime());
    Random random = new Random(seed);
    for (int i = 0; i < 50_000; i++) {
      StringBuilder number = new StringBuilder(random.nextBoolean() ? "-" : "");
      int digits = 1 + random.nextInt(19);
      number.append(digits == 1 ? random.nextInt(10) : 1 + random.nextInt(9));
      for (int d = 1; d < digits; d++) {
        number.append(random.nextInt(10));
      }
      if (random.nextInt(3) > 0) {
        number.append('.');
        for (int d = random.nextInt(18); d >= 0; d--) {
          number.append(random.nextInt(10));
        }
      }
      if (random.nextInt(8) == 0) {
        number.append(random.nextBoolean() ? 'e' : 'E').append(random.nextInt(40) - 20);
      }
      String text = number.toString();
      JsonReader reader = new JsonReader(text);
      boolean integral = reader.skipNumber();
      assertThat(reader.numberText()).isEqualTo(text);
      assertThat(reader.numberAsDouble()).as("%s (seed %d)", text, seed).isEqualTo(Double.parseDouble(text));
      if (integral) {
        BigInteger exact = new BigInteger(text);
        if (exact.bitLength() < 64) {
          assertThat(reader.numberAsLong()).as(text).isEqualTo(exact.longValueExact());
        } else {
          assertThatThrownBy(reader::numberAsLong).as(text).isInstanceOf(NumberFormatException.class);
        }
      }
    }
  }

  @ParameterizedTest
  @CsvSource({"9223372036854775807,true", "-9223372036854775808,true", "9223372036854775808,false",
      "-9223372036854775809,false", "-0,true", "0,true", "99999999999999999999,false"})
  void readsLongsToTheirLimitsAndNoFurther(String text, boolean fits) {
    JsonReader reader = new JsonReader(text);
    assertThat(reader.skipNumber()).isTrue();
    if (fits) {
      assertThat(reader.numberAsLong()).isEqualTo(Long.parseLong(text));
    } else {
      assertThatThrownBy(reader::numberAsLong).isInstanceOf(NumberFormatException.class);
    }
  }

  @Test
  void keepsTheSignOfNegativeZero() {
    JsonReader reader = new JsonReader("-0.0");
    reader.skipNumber();
    assertThat(Double.doubleToRawLongBits(reader.numberAsDouble())).isEqualTo(Double.doubleToRawLongBits(-0.0));
  }

  @Test
  void readsNestingUpToTheLimitAndRefusesDeeper() {
    String deepest = "[".repeat(JsonReader.MAX_DEPTH) + "]".repeat(JsonReader.MAX_DEPTH);
    assertThat(JsonReader.parse(deepest)).isInstanceOf(List.class);
    String deeper = "[".repeat(JsonReader.MAX_DEPTH + 1) + "]".repeat(JsonReader.MAX_DEPTH + 1);
    assertThatThrownBy(() -> JsonReader.parse(deeper)).hasMessageContaining("nested deeper than 64");
    String attack = "[".repeat(100_000);
    assertThatThrownBy(() -> JsonReader.parse(attack)).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "''|the text ends where a value should be",
      "'[1,2,]'|unexpected ']'",
      "{'a':1}|object key must be a string",
      "'{\"a\":1,\"a\":2}'|key 'a' appears twice",
      "'[1] x'|content after the JSON value",
      "'01'|content after the JSON value",
      "'1.'|digits after the point",
      "'.5'|unexpected '.'",
      "'1e'|digits in its exponent",
      "'\"open'|string is not closed",
      "'\"bad \\x\"'|is not a JSON escape",
      "'\"\\u12\"'|four hex digits",
      "'tru'|unexpected 't'",
      "'NaN'|unexpected 'N'",
      "'{\"a\" 1}'|expected ':'",
      "'[1 2]'|expected ']'",
      "'{\"a\":1'|found the end of the text",
  })
  void refusesWhatIsNotJsonSayingWhereAndWhy(String text, String reason) {
    assertThatThrownBy(() -> JsonReader.parse(text)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("not JSON: ").hasMessageContaining(reason).hasMessageContaining("at character");
  }

  @Test
  void refusesRawControlCharactersInStrings() {
    assertThatThrownBy(() -> JsonReader.parse("\"a\nb\"")).hasMessageContaining("control character");
  }
}
