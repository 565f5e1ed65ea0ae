package io.redisbridge.source.map;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FieldNamesTest {

  private static byte[] b(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void theSameNameAtTheSamePositionIsTheSameString() {
    FieldNames names = new FieldNames();
    String first = names.of(0, b("order_id"));

    assertThat(names.of(0, b("order_id"))).isSameAs(first);
    assertThat(names.of(1, b("order_id"))).isEqualTo("order_id").isNotSameAs(first);
    assertThat(names.of(0, b("customer_id"))).isEqualTo("customer_id");
    assertThat(names.of(0, b("order_id"))).isEqualTo("order_id");
    assertThat(names.of(0, b("prénom"))).isEqualTo("prénom");
    assertThat(names.of(500, b("far"))).isEqualTo("far");
  }
}
