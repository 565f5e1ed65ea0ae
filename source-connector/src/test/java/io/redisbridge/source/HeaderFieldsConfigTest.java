package io.redisbridge.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** header.fields with header.fields.mode=move must not take away a field the struct value declares. */
class HeaderFieldsConfigTest {

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
  void movingADeclaredStructFieldIsRefusedNamingIt() {
    Map<String, String> problems = RedisStreamsSourceConfig.crossFieldProblems(config(
        "value.struct.fields", "order_id,tenant", "header.fields", "traceparent,tenant", "header.fields.mode", "move"));

    assertThat(problems).containsOnlyKeys("header.fields");
    assertThat(problems.get("header.fields")).contains("tenant").doesNotContain("traceparent")
        .contains("value.struct.fields");
  }

  @Test
  void copyingADeclaredStructFieldOrMovingOthersIsFine() {
    assertThat(RedisStreamsSourceConfig.crossFieldProblems(config(
        "value.struct.fields", "order_id,tenant", "header.fields", "tenant"))).isEmpty();
    assertThat(RedisStreamsSourceConfig.crossFieldProblems(config(
        "value.struct.fields", "order_id", "header.fields", "traceparent", "header.fields.mode", "move"))).isEmpty();
    assertThat(RedisStreamsSourceConfig.crossFieldProblems(config(
        "value.format", "map", "header.fields", "tenant", "header.fields.mode", "move"))).isEmpty();
  }
}
