package io.redisbridge.common.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NameTemplateTest {

  @Test
  void rendersPlaceholdersAndLiterals() {
    NameTemplate template = NameTemplate.parse("redis.${group}.${stream}-out", Set.of("stream", "group"));

    assertThat(template.render(Map.of("stream", "orders", "group", "g"))).isEqualTo("redis.g.orders-out");
    assertThat(template.uses("group")).isTrue();
    assertThat(template.uses("key")).isFalse();
    assertThat(NameTemplate.parse("fixed", Set.of()).render(Map.of())).isEqualTo("fixed");
  }

  @Test
  void rejectsUnknownAndMalformedPlaceholders() {
    assertThatThrownBy(() -> NameTemplate.parse("${topic}", Set.of("stream")))
        .hasMessageContaining("${topic}").hasMessageContaining("${stream}");
    assertThatThrownBy(() -> NameTemplate.parse("${stream", Set.of("stream")))
        .hasMessageContaining("malformed");
  }
}
