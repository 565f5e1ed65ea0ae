package io.redisbridge.source.map;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import redis.clients.jedis.StreamEntryID;

/**
 * The source partition and offset Connect stores for each record. At-least-once, the partition is
 * {@code {stream, group}} and the offsets only show progress: the consumer group decides where reading
 * resumes. Exactly-once, the partition is {@code {stream, group, consumer}} and its committed offset is
 * the last entry that consumer got into Kafka, in the transaction that wrote the record: since a
 * consumer produces its entries in ID order, its pending entries at or below that ID are already in
 * Kafka and are acknowledged without being produced again.
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

  public static Map<String, String> partition(String stream, String group) {
    Map<String, String> partition = new LinkedHashMap<>();
    partition.put(STREAM, stream);
    partition.put(GROUP, group);
    return Collections.unmodifiableMap(partition);
  }

  static Map<String, String> partition(String stream, String group, String consumer) {
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

  /** The entry ID of a stored offset; null when there is none. */
  public static StreamEntryID entryId(Map<String, ?> offset) {
    if (offset == null || !(offset.get(ENTRY_ID) instanceof String id)) {
      return null;
    }
    return new StreamEntryID(id);
  }

  /** Checks an offset a user wants to write through the offsets API; null removes it. */
  public static void validate(Map<String, ?> partition, Map<String, ?> offset) {
    if (partition == null || !(partition.get(STREAM) instanceof String) || !(partition.get(GROUP) instanceof String)
        || (partition.containsKey(CONSUMER) && !(partition.get(CONSUMER) instanceof String))) {
      throw new IllegalArgumentException("a source partition needs string keys '" + STREAM + "' and '" + GROUP
          + "' (and, exactly-once, '" + CONSUMER + "'), got " + partition);
    }
    if (offset == null) {
      return;
    }
    Object id = offset.get(ENTRY_ID);
    if (!(id instanceof String text) || !text.matches("\\d{1,19}-\\d{1,19}")) {
      throw new IllegalArgumentException("a source offset needs '" + ENTRY_ID + "' as an entry ID like "
          + "1709234567890-0, got " + offset);
    }
  }
}
