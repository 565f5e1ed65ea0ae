package io.redisbridge.source.map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.StreamEntryID;

class SourceOffsetsTest {

  @Test
  void partitionsKeepOneKeyOrderSoConnectFindsTheirOffsetsAfterARestart() {
    // Connect looks offsets up by the converted bytes of the partition map, which follow its key order.
    assertThat(List.copyOf(SourceOffsets.partition("orders", "g", "c-0").keySet()))
        .containsExactly("stream", "group", "consumer");
    assertThat(List.copyOf(SourceOffsets.partition("orders", "g").keySet())).containsExactly("stream", "group");
  }

  @Test
  void readsTheEntryIdOfAStoredOffset() {
    assertThat(SourceOffsets.entryId(SourceOffsets.offset(new StreamEntryID(5, 1)))).isEqualTo(new StreamEntryID(5, 1));
    assertThat(SourceOffsets.entryId(null)).isNull();
  }

  @Test
  void refusesMalformedOffsetsFromTheOffsetsApi() {
    SourceOffsets.validate(Map.of("stream", "s", "group", "g", "consumer", "c"), Map.of("entry.id", "1-0"));
    assertThatThrownBy(() -> SourceOffsets.validate(Map.of("stream", "s"), Map.of("entry.id", "1-0")))
        .hasMessageContaining("'group'");
    assertThatThrownBy(() -> SourceOffsets.validate(Map.of("stream", "s", "group", "g"), Map.of("entry.id", "x")))
        .hasMessageContaining("entry ID");
  }
}
