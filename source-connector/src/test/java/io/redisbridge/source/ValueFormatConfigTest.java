package io.redisbridge.source;

import static io.redisbridge.source.SourceProps.props;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** value.format=auto resolves by the declarations; a schemaless map cannot carry decimals or temporal values. */
class ValueFormatConfigTest {

  @Test
  void autoIsAMapWithoutDeclarationsAndAStructWithThem() {
    assertThat(new RedisStreamsSourceConfig(props()).valueFormat())
        .isEqualTo(RedisStreamsSourceConfig.ValueFormat.MAP);
    assertThat(new RedisStreamsSourceConfig(props("value.struct.fields", "amount:decimal(10,2)")).valueFormat())
        .isEqualTo(RedisStreamsSourceConfig.ValueFormat.STRUCT);
  }

  @Test
  void aMapRefusesDeclaredDecimalsAndTemporalFieldsNamingThem() {
    Map<String, String> problems = RedisStreamsSourceConfig.crossFieldProblems(props("value.format", "map",
        "value.struct.fields", "customer_id:int64,amount:decimal(10,2),created:timestamp(iso),paid:boolean"));

    assertThat(problems).containsOnlyKeys("value.struct.fields");
    assertThat(problems.get("value.struct.fields")).contains("amount:decimal(10,2)", "created:timestamp(iso)")
        .doesNotContain("customer_id").contains("value.format=struct");
    assertThat(RedisStreamsSourceConfig.crossFieldProblems(props("value.format", "map",
        "value.struct.fields", "customer_id:int64,paid:boolean"))).isEmpty();
  }

  private static final String ITEMS_SCHEMA = "{\"items\":{\"type\":\"array\",\"items\":\"string\"}}";

  @Test
  void aStructNeedsASchemaForEachJsonFieldAndAMapNone() {
    assertThat(RedisStreamsSourceConfig.crossFieldProblems(props("value.struct.fields", "order_id,items:json")))
        .containsOnlyKeys("value.json.schemas").extractingByKey("value.json.schemas").asString()
        .contains("no schema for json field items");
    assertThat(RedisStreamsSourceConfig.crossFieldProblems(props("value.struct.fields", "order_id,items:json",
        "value.json.schemas", ITEMS_SCHEMA))).isEmpty();
    assertThat(RedisStreamsSourceConfig.crossFieldProblems(props("value.format", "map",
        "value.struct.fields", "items:json"))).isEmpty();
    assertThat(RedisStreamsSourceConfig.crossFieldProblems(props("value.format", "map",
        "value.struct.fields", "items:json", "value.json.schemas", ITEMS_SCHEMA)))
        .extractingByKey("value.json.schemas").asString().contains("schemas apply to struct values");
  }

  @Test
  void aSchemaForAFieldNotDeclaredJsonIsNamed() {
    assertThat(RedisStreamsSourceConfig.crossFieldProblems(props("value.struct.fields", "items",
        "value.json.schemas", ITEMS_SCHEMA))).extractingByKey("value.json.schemas").asString()
        .contains("schemas for items, which value.struct.fields does not declare as json");
  }

  @Test
  void aMalformedSchemaIsRefusedOnItsKeyNamingThePart() {
    var results = new RedisStreamsSourceConnector().validate(props("value.struct.fields", "items:json",
        "value.json.schemas", "{\"items\":{\"type\":\"array\",\"items\":\"bytes\"}}")).configValues();
    var schemas = results.stream().filter(value -> value.name().equals("value.json.schemas")).findFirst().orElseThrow();
    assertThat(schemas.errorMessages()).anySatisfy(message ->
        assertThat(message).contains("the schema of items[]: JSON text has no bytes"));
  }
}
