package io.redisbridge.source.recover;

import static org.assertj.core.api.Assertions.assertThat;

import io.redisbridge.source.map.SourcePartitions;
import io.redisbridge.source.read.StreamEntry;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.storage.OffsetStorageReader;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.StreamEntryID;

class ProducedEntriesTest {

  /**
   * Offsets stored under partition keys as Connect stores them: by the order of the map's keys (the
   * converted bytes), so two equal maps in different orders are different keys.
   */
  private record OffsetsByKeyOrder(Map<List<Map.Entry<String, String>>, String> entryIds)
      implements OffsetStorageReader {
    @Override
    public <T> Map<String, Object> offset(Map<String, T> partition) {
      throw new UnsupportedOperationException();
    }

    @Override
    public <T> Map<Map<String, T>, Map<String, Object>> offsets(Collection<Map<String, T>> partitions) {
      Map<Map<String, T>, Map<String, Object>> found = new HashMap<>();
      for (Map<String, T> partition : partitions) {
        String id = entryIds.get(inOrder(partition));
        found.put(partition, id == null ? null : Map.of("entry.id", id));
      }
      return found;
    }
  }

  @SuppressWarnings("unchecked")
  private static List<Map.Entry<String, String>> inOrder(Map<String, ?> partition) {
    return partition.entrySet().stream().map(e -> Map.entry(e.getKey(), (String) e.getValue())).toList();
  }

  private static StreamEntry entry(String stream, String id) {
    return new StreamEntry(stream, new StreamEntryID(id), List.of(), false, 2);
  }

  @Test
  void anOffsetCommittedByAnEarlierBuildStillCountsAndTheLaterOfTwoWins() {
    SourcePartitions partitions = new SourcePartitions("g", true);
    Map<List<Map.Entry<String, String>>, String> stored = new HashMap<>();
    stored.put(inOrder(partitions.ofEarlierBuilds("upgraded", "c-0")), "5-0");
    stored.put(inOrder(partitions.ofEarlierBuilds("both", "c-0")), "5-0");
    stored.put(inOrder(partitions.of("both", "c-0")), "9-0");
    stored.put(inOrder(partitions.of("new", "c-0")), "3-0");
    ProducedEntries produced = new ProducedEntries(new OffsetsByKeyOrder(stored), partitions);

    produced.load("c-0", List.of("upgraded", "both", "new", "none"));

    assertThat(produced.alreadyInKafka(entry("upgraded", "5-0"), "c-0")).isTrue();
    assertThat(produced.alreadyInKafka(entry("upgraded", "6-0"), "c-0")).isFalse();
    assertThat(produced.alreadyInKafka(entry("both", "9-0"), "c-0")).isTrue();
    assertThat(produced.alreadyInKafka(entry("both", "10-0"), "c-0")).isFalse();
    assertThat(produced.alreadyInKafka(entry("new", "3-0"), "c-0")).isTrue();
    assertThat(produced.alreadyInKafka(entry("none", "1-0"), "c-0")).isFalse();
  }
}
