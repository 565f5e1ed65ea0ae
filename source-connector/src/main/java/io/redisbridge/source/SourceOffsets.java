package io.redisbridge.source;

import java.util.Map;
import redis.clients.jedis.StreamEntryID;

/**
 * The source partition and offset Connect stores for each record. The consumer group, not these
 * offsets, decides where reading resumes; they make progress visible through Connect's offsets API.
 */
final class SourceOffsets {

  static final String STREAM = "stream";
  static final String GROUP = "group";
  static final String ENTRY_ID = "entry.id";

  private SourceOffsets() {}

  static Map<String, String> partition(String stream, String group) {
    return Map.of(STREAM, stream, GROUP, group);
  }

  static Map<String, String> offset(StreamEntryID id) {
    return Map.of(ENTRY_ID, id.toString());
  }

  /** Checks an offset a user wants to write through the offsets API; null removes it. */
  static void validate(Map<String, ?> partition, Map<String, ?> offset) {
    if (partition == null || !(partition.get(STREAM) instanceof String) || !(partition.get(GROUP) instanceof String)) {
      throw new IllegalArgumentException("a source partition needs string keys '" + STREAM + "' and '" + GROUP
          + "', got " + partition);
    }
    if (offset == null) {
      return;
    }
    Object id = offset.get(ENTRY_ID);
    if (!(id instanceof String text) || !text.matches("\\d+-\\d+")) {
      throw new IllegalArgumentException("a source offset needs '" + ENTRY_ID + "' as an entry ID like "
          + "1709234567890-0, got " + offset);
    }
  }
}
