package io.redisbridge.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** value.format=auto resolves by the declarations; a schemaless map cannot carry decimals or temporal values. */
class ValueFormatConfigTest {

  private static Map<String, String> config(String... keysAndValues) {
    Map<String, String> props = new HashMap<>();
    props.put("redis.uri", "redis://127.0.0.1:6379");
    props.put("redis.streams", "orders");
    for (int i = 0; i < keysAndValues.length; i += 2) {
      props.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return props;
  }

  @Test
  void autoIsAMapWithoutDeclarationsAndAStructWithThem() {
    assertThat(new RedisStreamsSourceConfig(config()).valueFormat())
        .isEqualTo(RedisStreamsSourceConfig.ValueFormat.MAP);
    assertThat(new RedisStreamsSourceConfig(config("value.struct.fields", "amount:decimal(10,2)")).valueFormat())
        .isEqualTo(RedisStreamsSourceConfig.ValueFormat.STRUCT);
  }

  @Test
  void aMapRefusesDeclaredDecimalsAndTemporalFieldsNamingThem() {
    Map<String, String> problems = RedisStreamsSourceConfig.crossFieldProblems(config("value.format", "map",
        "value.struct.fields", "customer_id:int64,amount:decimal(10,2),created:timestamp(iso),paid:boolean"));

    assertThat(problems).containsOnlyKeys("value.struct.fields");
    assertThat(problems.get("value.struct.fields")).contains("amount:decimal(10,2)", "created:timestamp(iso)")
        .doesNotContain("customer_id").contains("value.format=struct");
    assertThat(RedisStreamsSourceConfig.crossFieldProblems(config("value.format", "map",
        "value.struct.fields", "customer_id:int64,paid:boolean"))).isEmpty();
  }

  private static final String ITEMS_SCHEMA = "{\"items\":{\"type\":\"array\",\"items\":\"string\"}}";

  @Test
  void aStructNeedsASchemaForEachJsonFieldAndAMapNone() {
    assertThat(RedisStreamsSourceConfig.crossFieldProblems(config("value.struct.fields", "order_id,items:json")))
        .containsOnlyKeys("value.json.schemas").extractingByKey("value.json.schemas").asString()
        .contains("no schema for json field items");
    assertThat(RedisStreamsSourceConfig.crossFieldProblems(config("value.struct.fields", "order_id,items:json",
        "value.json.schemas", ITEMS_SCHEMA))).isEmpty();
    assertThat(RedisStreamsSourceConfig.crossFieldProblems(config("value.format", "map",
        "value.struct.fields", "items:json"))).isEmpty();
    assertThat(RedisStreamsSourceConfig.crossFieldProblems(config("value.format", "map",
        "value.struct.fields", "items:json", "value.json.schemas", ITEMS_SCHEMA)))
        .extractingByKey("value.json.schemas").asString().contains("schemas apply to struct values");
  }

  @Test
  void aSchemaForAFieldNotDeclaredJsonIsNamed() {
    assertThat(RedisStreamsSourceConfig.crossFieldProblems(config("value.struct.fields", "items",
        "value.json.schemas", ITEMS_SCHEMA))).extractingByKey("value.json.schemas").asString()
        .contains("schemas for items, which value.struct.fields does not declare as json");
  }

  @Test
  void aMalformedSchemaIsRefusedOnItsKeyNamingThePart() {
    var results = new RedisStreamsSourceConnector().validate(config("value.struct.fields", "items:json",
        "value.json.schemas", "{\"items\":{\"type\":\"array\",\"items\":\"bytes\"}}")).configValues();
    var schemas = results.stream().filter(value -> value.name().equals("value.json.schemas")).findFirst().orElseThrow();
    assertThat(schemas.errorMessages()).anySatisfy(message ->
        assertThat(message).contains("the schema of items[]: JSON text has no bytes"));
  }
}
