package io.redisbridge.source.map;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TopicNamesTest {

  @Test
  void keepsLegalNames() {
    assertThat(TopicNames.legal("orders.eu_v1-2")).isEqualTo("orders.eu_v1-2");
  }

  @Test
  void replacesEachIllegalCharacter() {
    assertThat(TopicNames.legal("orders:eu")).isEqualTo("orders_eu");
    assertThat(TopicNames.legal("orders:{tenant-42}")).isEqualTo("orders__tenant-42_");
    assertThat(TopicNames.legal("zamówienia eu")).isEqualTo("zam_wienia_eu");
  }

  @Test
  void neverGivesTheNamesKafkaReserves() {
    assertThat(TopicNames.legal(".")).isEqualTo("__");
    assertThat(TopicNames.legal("..")).isEqualTo("___");
    assertThat(TopicNames.legal("")).isEqualTo("_");
  }

  @Test
  void shortensLongNamesAndKeepsThemDistinct() {
    String a = "s:" + "x".repeat(300) + "a";
    String b = "s:" + "x".repeat(300) + "b";
    assertThat(TopicNames.legal(a)).hasSize(TopicNames.MAX_LENGTH).matches("[a-zA-Z0-9._-]+")
        .isNotEqualTo(TopicNames.legal(b));
    assertThat(TopicNames.legal("y".repeat(249))).isEqualTo("y".repeat(249));
  }
}
