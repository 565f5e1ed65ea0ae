package io.redisbridge.source.map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonFieldValueTest {

  private static final Schema ITEMS = JsonFieldSchemas.parse(JsonFieldSchemasTest.ITEMS).get("items");

  @Test
  void withoutASchemaObjectsAreMapsIntegersLongsAndOtherNumbersDoubles() {
    Object value = JsonFieldValue.of("items", "[{\"sku\":\"A1\",\"qty\":2,\"price\":9.99,\"gift\":null}]", null);

    assertThat(value).isEqualTo(List.of(new java.util.LinkedHashMap<>(Map.of("sku", "A1", "qty", 2L,
        "price", 9.99))).stream().peek(item -> item.put("gift", null)).toList());
    assertThat(JsonFieldValue.of("n", "[1e3]", null)).isEqualTo(List.of(1000.0));
  }

  @Test
  void aSingleValueIsRefusedForItWouldNotComeBackTheSame() {
    assertThatThrownBy(() -> JsonFieldValue.of("note", "\"gift\"", null))
        .hasMessageContaining("note is not an object or an array").hasMessageContaining("its own type");
    assertThatThrownBy(() -> JsonFieldValue.of("note", "null", null)).hasMessageContaining("not an object");
  }

  @Test
  void withoutASchemaIntegersBeyondALongAreRefusedNotRounded() {
    assertThatThrownBy(() -> JsonFieldValue.of("ids", "[1, 12345678901234567890]", null))
        .hasMessage("ids[1] is 12345678901234567890, beyond 64 bits");
  }

  @Test
  void anArrayOfRecordsBecomesStructsOfTheDeclaredSchema() {
    Object value = JsonFieldValue.of("items",
        "[{\"sku\":\"A1\",\"qty\":2,\"price\":9.9,\"note\":null},{\"sku\":\"B2\",\"qty\":1,\"price\":120}]", ITEMS);

    List<?> items = (List<?>) value;
    Struct first = (Struct) items.get(0);
    assertThat(first.schema()).isEqualTo(ITEMS.valueSchema());
    assertThat(first.getString("sku")).isEqualTo("A1");
    assertThat(first.getInt32("qty")).isEqualTo(2);
    assertThat(first.get("price")).isEqualTo(new BigDecimal("9.90"));
    Struct second = (Struct) items.get(1);
    assertThat(second.get("price")).isEqualTo(new BigDecimal("120.00"));
    assertThat(second.get("note")).as("an optional field the object lacks").isNull();
    first.validate();
    second.validate();
  }

  @Test
  void anEscapedKeyNamesItsFieldAsThePlainOneDoes() {
    Struct item = (Struct) ((List<?>) JsonFieldValue.of("items",
        "[{\"s\\u006bu\":\"A1\", \"qty\" : 2 ,\"price\":-0.5}]", ITEMS)).get(0);

    assertThat(item.getString("sku")).isEqualTo("A1");
    assertThat(item.getInt32("qty")).isEqualTo(2);
    assertThat(item.get("price")).isEqualTo(new BigDecimal("-0.50"));
  }

  @Test
  void readsMapsAndTimestampsOfTheirSchemas() {
    Map<String, Schema> schemas = JsonFieldSchemas.parse("{\"seen\":{\"type\":\"array\",\"items\":{\"type\":"
        + "\"long\",\"logicalType\":\"timestamp-millis\"}},\"stock\":{\"type\":\"map\",\"values\":\"long\"}}");

    assertThat(JsonFieldValue.of("seen", "[1709300700250]", schemas.get("seen")))
        .isEqualTo(List.of(new Date(1709300700250L)));
    assertThat(JsonFieldValue.of("stock", "{\"A1\":3,\"B2\":0}", schemas.get("stock")))
        .isEqualTo(Map.of("A1", 3L, "B2", 0L));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "[{\"sku\":\"A1\",\"qty\":\"2\",\"price\":1}]|items[0].qty is not a number, which an int is",
      "[{\"sku\":\"A1\",\"qty\":2.5,\"price\":1}]|items[0].qty is 2.5, not an integer",
      "[{\"sku\":\"A1\",\"qty\":3000000000,\"price\":1}]|items[0].qty is out of an int's range",
      "[{\"sku\":\"A1\",\"qty\":2,\"price\":1,\"colour\":\"red\"}]|items[0] has key 'colour', which record "
          + "shop.Item does not declare",
      "[{\"sku\":\"A1\",\"price\":1}]|items[0].qty is missing, and record shop.Item requires it",
      "[{\"sku\":null,\"qty\":2,\"price\":1}]|items[0].sku is null, which its schema does not allow",
      "[{\"sku\":\"A1\",\"qty\":2,\"price\":9.999}]|items[0].price is 9.999, more than 2 digits after the point",
      "[{\"sku\":\"A1\",\"qty\":2,\"price\":123456789.5}]|items[0].price is 123456789.5, more than 10 digits",
      "{\"sku\":\"A1\"}|items is not an array",
      "[\"A1\"]|items[0] is not an object, which record shop.Item needs",
      "[{\"sku\":true,\"qty\":2,\"price\":1}]|items[0].sku is not a string",
      "[{\"sku\":\"A1\",\"qty\":2,\"price\":1}|not JSON: expected ']'",
      "[{\"sku\":\"A1\",\"qty\":2,\"qty\":3,\"price\":1}]|key 'qty' appears twice",
      "[{\"sku\":\"A1\",\"qty\":2,\"pr\\u00efce\":1}]|items[0] has key 'prïce', which record",
      "[{\"sku\":\"A1\",\"qty\":2,\"price\":1},{\"sku\":\"A1\",\"qty\":2,\"price\":1e400}]"
          + "|items[1].price is 1e400, more than 10 digits",
  })
  void aValueThatDoesNotMatchItsSchemaIsRefusedWithItsPath(String text, String reason) {
    assertThatThrownBy(() -> JsonFieldValue.of("items", text, ITEMS)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(reason);
  }
}
