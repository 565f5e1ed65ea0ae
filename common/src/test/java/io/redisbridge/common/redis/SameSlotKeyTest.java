package io.redisbridge.common.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.util.JedisClusterCRC16;

class SameSlotKeyTest {

  @Test
  void theCompanionKeyHashesToTheSlotOfItsBase() {
    List<String> names = List.of("orders", "orders-archive", "{orders}", "{orders}-archive", "a{b}c",
        "orders:eu", "{{orders}}", "tenant-42/orders", "ünïcode-stream", "a{", "{a");
    for (String name : names) {
      String key = SameSlotKey.of(name, ":kafka-offsets").orElseThrow();
      assertThat(JedisClusterCRC16.getSlot(key)).as(name + " -> " + key).isEqualTo(JedisClusterCRC16.getSlot(name));
      assertThat(key).endsWith(":kafka-offsets");
    }
  }

  @Test
  void aNameWithoutATagOfItsOwnKeepsItsTextInTheTag() {
    assertThat(SameSlotKey.of("orders", ".o")).contains("{orders}.o");
    assertThat(SameSlotKey.of("{orders}-archive", ".o")).contains("{orders}-archive.o");
  }

  @Test
  void aNameWhoseClosingBraceWouldCutAWrappingTagHasNoCompanion() {
    assertThat(SameSlotKey.of("a}b", ".o")).isEmpty();
    assertThat(SameSlotKey.of("x{}y", ".o")).isEmpty();
    assertThat(SameSlotKey.of("{}", ".o")).isEmpty();
  }
}
