package io.redisbridge.source;

import static io.redisbridge.source.SourceProps.props;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** header.fields with header.fields.mode=move must not take away a field the struct value declares. */
class HeaderFieldsConfigTest {

  @Test
  void movingADeclaredStructFieldIsRefusedNamingIt() {
    Map<String, String> problems = RedisStreamsSourceConfig.crossFieldProblems(props(
        "value.struct.fields", "order_id,tenant", "header.fields", "traceparent,tenant", "header.fields.mode", "move"));

    assertThat(problems).containsOnlyKeys("header.fields");
    assertThat(problems.get("header.fields")).contains("tenant").doesNotContain("traceparent")
        .contains("value.struct.fields");
  }

  @Test
  void copyingADeclaredStructFieldOrMovingOthersIsFine() {
    assertThat(RedisStreamsSourceConfig.crossFieldProblems(props(
        "value.struct.fields", "order_id,tenant", "header.fields", "tenant"))).isEmpty();
    assertThat(RedisStreamsSourceConfig.crossFieldProblems(props(
        "value.struct.fields", "order_id", "header.fields", "traceparent", "header.fields.mode", "move"))).isEmpty();
    assertThat(RedisStreamsSourceConfig.crossFieldProblems(props(
        "value.format", "map", "header.fields", "tenant", "header.fields.mode", "move"))).isEmpty();
  }
}
