package io.redisbridge.source.recover;

import io.redisbridge.source.map.SourceOffsets;
import io.redisbridge.source.map.SourcePartitions;
import io.redisbridge.source.read.StreamEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.connect.storage.OffsetStorageReader;
import redis.clients.jedis.StreamEntryID;

/**
 * Exactly-once: which pending entries are already in Kafka. Connect commits a record's source offset in
 * the same transaction as the record, and a consumer produces its entries in ID order, so the offset
 * committed for {@code {stream, group, consumer}} is the last entry of that consumer in Kafka: pending
 * entries of that consumer at or below it were produced by a run that crashed before acknowledging
 * them. Read once per consumer when the task starts reading as it; entries produced later are in flight
 * until acknowledged, which the poller checks on its own.
 *
 * <p>Only the task's poll thread uses it.
 */
public final class ProducedEntries {

  private final OffsetStorageReader reader;
  private final SourcePartitions partitions;
  private final Map<Map<String, String>, StreamEntryID> lastInKafka = new HashMap<>();
  private final Set<String> loadedConsumers = new HashSet<>();

  ProducedEntries(OffsetStorageReader reader, SourcePartitions partitions) {
    this.reader = reader;
    this.partitions = partitions;
  }

  /** Reads the committed offsets of {@code consumer} on {@code streams}, once per consumer. */
  void load(String consumer, List<String> streams) {
    if (loadedConsumers.contains(consumer)) {
      return;
    }
    List<Map<String, String>> keys = new ArrayList<>(streams.size());
    List<Map<String, String>> earlierKeys = new ArrayList<>(streams.size());
    for (String stream : streams) {
      keys.add(partitions.of(stream, consumer));
      earlierKeys.add(partitions.ofEarlierBuilds(stream, consumer));
    }
    // Two look-ups: the two key orders are equal maps, so one answer could not tell them apart. The later
    // entry of the two is the consumer's last in Kafka (an upgraded task commits under the new key).
    Map<Map<String, String>, Map<String, Object>> committed = reader.offsets(keys);
    Map<Map<String, String>, Map<String, Object>> committedEarlier = reader.offsets(earlierKeys);
    for (int i = 0; i < keys.size(); i++) {
      StreamEntryID id = committed == null ? null : SourceOffsets.entryId(committed.get(keys.get(i)));
      StreamEntryID earlier = committedEarlier == null ? null
          : SourceOffsets.entryId(committedEarlier.get(earlierKeys.get(i)));
      StreamEntryID last = later(id, earlier);
      if (last != null) {
        lastInKafka.put(keys.get(i), last);
      }
    }
    loadedConsumers.add(consumer);
  }

  /** True when {@code entry}, pending for {@code consumer}, is already in Kafka. */
  boolean alreadyInKafka(StreamEntry entry, String consumer) {
    StreamEntryID last = lastInKafka.get(partitions.of(entry.stream(), consumer));
    return last != null && entry.id().compareTo(last) <= 0;
  }

  /** The committed entry IDs, per partition; for the start-up log line. */
  Map<Map<String, String>, StreamEntryID> known() {
    return Map.copyOf(lastInKafka);
  }

  /** The later of two entry IDs, either of which may be null (nothing committed under that key). */
  private static StreamEntryID later(StreamEntryID a, StreamEntryID b) {
    if (a == null || b == null) {
      return a == null ? b : a;
    }
    return a.compareTo(b) >= 0 ? a : b;
  }
}
