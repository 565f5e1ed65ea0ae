package io.redisbridge.source.map;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import redis.clients.jedis.StreamEntryID;

/**
 * The source partition and offset Connect stores for each record. At-least-once the offsets only show
 * progress (the consumer group decides where reading resumes), so the partition is the task's consumer,
 * {@code {group, consumer}}, and the offset names the stream and entry last delivered, {@code {stream,
 * entry.id}}: Connect keeps its per-record bookkeeping per source partition, and one per stream cost a
 * task of 1,000 streams a sixth of its throughput. Exactly-once, the partition is {@code {stream, group,
 * consumer}} and its committed offset is the last entry that consumer got into Kafka, in the transaction
 * that wrote the record: since a consumer produces its entries in ID order, its pending entries at or
 * below that ID are already in Kafka and are acknowledged without being produced again. Earlier builds
 * stored {@code {stream, group}} partitions at-least-once; the offsets API still takes them.
 */
public final class SourceOffsets {

  public static final String STREAM = "stream";
  public static final String GROUP = "group";
  static final String CONSUMER = "consumer";
  static final String ENTRY_ID = "entry.id";

  private SourceOffsets() {}

  /*
   * Connect finds a stored offset by the bytes its converter makes of the partition map, and those
   * follow the map's iteration order. Map.of iterates in an order that changes from one JVM to the next,
   * so a restarted worker would miss (or find an older copy of) the offsets it wrote: the maps keep one
   * fixed order.
   */

  /**
   * The partition of a consumer's progress at-least-once. Its keys go in the order a HashMap of them
   * iterates: the offsets API reads partitions back from the topic as HashMaps and looks their offsets up
   * by the bytes it makes of those, so in another order it would show every offset as null.
   */
  static Map<String, String> progressPartition(String group, String consumer) {
    Map<String, String> partition = new LinkedHashMap<>();
    partition.put(CONSUMER, consumer);
    partition.put(GROUP, group);
    return Collections.unmodifiableMap(partition);
  }

  /** The partition of a consumer's stream exactly-once, in the key order a HashMap iterates (see above). */
  static Map<String, String> partition(String stream, String group, String consumer) {
    Map<String, String> partition = new LinkedHashMap<>();
    partition.put(STREAM, stream);
    partition.put(CONSUMER, consumer);
    partition.put(GROUP, group);
    return Collections.unmodifiableMap(partition);
  }

  /**
   * The same partition in the key order earlier builds wrote: equal as a map, but another key in the
   * offsets topic, where their committed offsets stay (and where the offsets API could not find them).
   */
  static Map<String, String> partitionOfEarlierBuilds(String stream, String group, String consumer) {
    Map<String, String> partition = new LinkedHashMap<>();
    partition.put(STREAM, stream);
    partition.put(GROUP, group);
    partition.put(CONSUMER, consumer);
    return Collections.unmodifiableMap(partition);
  }

  public static Map<String, String> offset(StreamEntryID id) {
    return offset(id.toString());
  }

  static Map<String, String> offset(String entryId) {
    return Map.of(ENTRY_ID, entryId);
  }

  /** The offset of a progress partition: the stream and the entry. */
  static Map<String, String> progressOffset(String stream, String entryId) {
    Map<String, String> offset = new LinkedHashMap<>(4);
    offset.put(STREAM, stream);
    offset.put(ENTRY_ID, entryId);
    return offset;
  }

  /** The stream a partition, or else its offset (a progress partition), names; null when neither does. */
  public static String streamOf(Map<String, ?> partition, Map<String, ?> offset) {
    if (partition.get(STREAM) instanceof String stream) {
      return stream;
    }
    return offset != null && offset.get(STREAM) instanceof String stream ? stream : null;
  }

  /** The entry ID of a stored offset; null when there is none. */
  public static StreamEntryID entryId(Map<String, ?> offset) {
    if (offset == null || !(offset.get(ENTRY_ID) instanceof String id)) {
      return null;
    }
    return new StreamEntryID(id);
  }

  /** Checks an offset a user wants to write through the offsets API; null removes it. */
  public static void validate(Map<String, ?> partition, Map<String, ?> offset) {
    boolean progress = partition != null && !partition.containsKey(STREAM);
    if (partition == null || !(partition.get(GROUP) instanceof String)
        || (!progress && !(partition.get(STREAM) instanceof String))
        || ((progress || partition.containsKey(CONSUMER)) && !(partition.get(CONSUMER) instanceof String))) {
      throw new IllegalArgumentException("a source partition needs string keys '" + STREAM + "' and '" + GROUP
          + "' (and, exactly-once, '" + CONSUMER + "'), or '" + GROUP + "' and '" + CONSUMER + "' (a task's "
          + "progress), got " + partition);
    }
    if (offset == null) {
      return;
    }
    if (progress && !(offset.get(STREAM) instanceof String)) {
      throw new IllegalArgumentException("the offset of a task's progress needs the '" + STREAM + "' it moves, got "
          + offset);
    }
    Object id = offset.get(ENTRY_ID);
    if (!(id instanceof String text) || !text.matches("\\d{1,19}-\\d{1,19}")) {
      throw new IllegalArgumentException("a source offset needs '" + ENTRY_ID + "' as an entry ID like "
          + "1709234567890-0, got " + offset);
    }
  }
}
