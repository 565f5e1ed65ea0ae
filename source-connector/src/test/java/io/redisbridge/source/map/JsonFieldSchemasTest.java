package io.redisbridge.source.map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Timestamp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonFieldSchemasTest {

  static final String ITEMS = "{\"items\":{\"type\":\"array\",\"items\":{\"type\":\"record\",\"name\":\"Item\","
      + "\"namespace\":\"shop\",\"fields\":[{\"name\":\"sku\",\"type\":\"string\"},{\"name\":\"qty\",\"type\":\"int\"},"
      + "{\"name\":\"price\",\"type\":{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":10,\"scale\":2}},"
      + "{\"name\":\"note\",\"type\":[\"null\",\"string\"]}]}}}";

  @Test
  void turnsAnAvroArrayOfRecordsIntoConnectSchemasInTheirOrder() {
    Schema items = JsonFieldSchemas.parse(ITEMS).get("items");

    assertThat(items.type()).isEqualTo(Schema.Type.ARRAY);
    Schema item = items.valueSchema();
    assertThat(item.name()).isEqualTo("shop.Item");
    assertThat(item.fields()).extracting(field -> field.name()).containsExactly("sku", "qty", "price", "note");
    assertThat(item.field("qty").schema()).isEqualTo(Schema.INT32_SCHEMA);
    assertThat(item.field("price").schema().name()).isEqualTo(Decimal.LOGICAL_NAME);
    assertThat(item.field("price").schema().parameters()).containsEntry("connect.decimal.precision", "10")
        .containsEntry(Decimal.SCALE_FIELD, "2");
    assertThat(item.field("note").schema().isOptional()).isTrue();
    assertThat(item.field("sku").schema().isOptional()).isFalse();
  }

  @Test
  void readsMapsTimestampsAndPrimitivesWrittenAsObjects() {
    Map<String, Schema> schemas = JsonFieldSchemas.parse("{\"seen\":{\"type\":\"array\",\"items\":{\"type\":"
        + "\"long\",\"logicalType\":\"timestamp-millis\"}},\"stock\":{\"type\":\"map\",\"values\":\"long\"},"
        + "\"flags\":{\"type\":\"array\",\"items\":{\"type\":\"boolean\"}}}");

    assertThat(schemas.get("seen").valueSchema().name()).isEqualTo(Timestamp.LOGICAL_NAME);
    assertThat(schemas.get("stock").valueSchema()).isEqualTo(Schema.INT64_SCHEMA);
    assertThat(schemas.get("flags").valueSchema()).isEqualTo(Schema.BOOLEAN_SCHEMA);
  }

  @Test
  void readsTheObjectFromAFileTheValueNames(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("schemas.json"), ITEMS);

    assertThat(JsonFieldSchemas.parse(file.toString())).containsOnlyKeys("items");
    assertThatThrownBy(() -> JsonFieldSchemas.parse(dir.resolve("missing.json").toString()))
        .hasMessageContaining("neither a JSON object nor a readable file");
  }

  @Test
  void blankIsNoSchemas() {
    assertThat(JsonFieldSchemas.parse(" ")).isEmpty();
    assertThat(JsonFieldSchemas.parse(null)).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"f\":{\"type\":\"array\",\"items\":\"bytes\"}}|the schema of f[]: JSON text has no bytes",
      "{\"f\":\"string\"}|the schema of f: a json field holds a record, an array or a map",
      "{\"f\":{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"A\"]}}|enum is not supported",
      "{\"f\":[\"null\",\"int\",\"string\"]}|a union must be null and one type",
      "{\"f\":{\"type\":\"record\",\"fields\":[]}}|needs a \"name\"",
      "{\"f\":{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\",\"type\":\"int\",\"default\":1}]}}|"
          + "the schema of f.a: defaults are not supported",
      "{\"f\":{\"type\":\"array\",\"items\":\"Item\"}}|the schema of f[]: 'Item' is not an Avro type",
      "{\"f\":{\"type\":\"int\",\"logicalType\":\"date\"}}|logicalType date on int is not supported",
      "{\"f\":{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":2,\"scale\":3}}|scale <= precision",
      "[1]|expected a JSON object",
      "{\"f\":{\"type\":\"array\"}}|needs \"items\"",
  })
  void refusesWhatHasNoFaithfulConnectSchemaNamingThePath(String property, String reason) {
    assertThatThrownBy(() -> JsonFieldSchemas.parse(property)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(reason);
  }
}
