package io.redisbridge.source.map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.StreamEntryID;

class SourceOffsetsTest {

  @Test
  void partitionsKeepOneKeyOrderSoConnectFindsTheirOffsetsAfterARestart() {
    // Connect looks offsets up by the converted bytes of the partition map, which follow its key order.
    Map<String, String> exactlyOnce = SourceOffsets.partition("orders", "g", "c-0");
    assertThat(List.copyOf(exactlyOnce.keySet())).containsExactly("stream", "consumer", "group")
        .containsExactlyElementsOf(new HashMap<>(exactlyOnce).keySet());
    assertThat(List.copyOf(SourceOffsets.partitionOfEarlierBuilds("orders", "g", "c-0").keySet()))
        .containsExactly("stream", "group", "consumer");
    Map<String, String> progress = SourceOffsets.progressPartition("g", "c-0");
    assertThat(List.copyOf(progress.keySet())).containsExactly("consumer", "group")
        .as("the order a HashMap of the same keys iterates, as the offsets API reads them back")
        .containsExactlyElementsOf(new HashMap<>(progress).keySet());
    assertThat(List.copyOf(SourceOffsets.progressOffset("orders", "1-0").keySet())).containsExactly("stream",
        "entry.id");
  }

  @Test
  void atLeastOnceOneProgressPartitionPerConsumerWhoseOffsetNamesTheStream() {
    SourcePartitions atLeastOnce = new SourcePartitions("g", false);
    assertThat(atLeastOnce.of("orders", "c-0")).isEqualTo(Map.of("group", "g", "consumer", "c-0"))
        .isSameAs(atLeastOnce.of("payments", "c-0"));
    assertThat(atLeastOnce.of("orders", "c-1")).isEqualTo(Map.of("group", "g", "consumer", "c-1"));
    SourcePartitions exactlyOnce = new SourcePartitions("g", true);
    assertThat(exactlyOnce.of("orders", "c-0")).isEqualTo(Map.of("stream", "orders", "group", "g", "consumer", "c-0"));

    assertThat(SourceOffsets.streamOf(atLeastOnce.of("orders", "c-0"), SourceOffsets.progressOffset("orders", "1-0")))
        .isEqualTo("orders");
    assertThat(SourceOffsets.streamOf(exactlyOnce.of("orders", "c-0"), SourceOffsets.offset("1-0")))
        .isEqualTo("orders");
    assertThat(SourceOffsets.streamOf(atLeastOnce.of("orders", "c-0"), null)).isNull();
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
    SourceOffsets.validate(Map.of("group", "g", "consumer", "c"), Map.of("stream", "s", "entry.id", "1-0"));
    SourceOffsets.validate(Map.of("group", "g", "consumer", "c"), null);
    assertThatThrownBy(() -> SourceOffsets.validate(Map.of("group", "g", "consumer", "c"), Map.of("entry.id", "1-0")))
        .hasMessageContaining("needs the 'stream'");
    assertThatThrownBy(() -> SourceOffsets.validate(Map.of("group", "g"), Map.of("stream", "s", "entry.id", "1-0")))
        .hasMessageContaining("'consumer'");
  }
}
