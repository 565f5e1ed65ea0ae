package io.redisbridge.source.read;

import io.redisbridge.common.redis.StreamField;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.StreamEntryID;

/**
 * Parses the raw (binary) replies of XREADGROUP, XAUTOCLAIM and XPENDING. Raw replies keep field
 * values as bytes and show the nil body of a deleted pending entry, which typed replies hide.
 */
public final class StreamReplies {

  private StreamReplies() {}

  /** XREADGROUP: {@code [[stream, [[id, [f, v, ...] | nil], ...]], ...]} or nil when nothing came. */
  static List<StreamEntry> readGroup(Object reply, long deliveryCount) {
    List<StreamEntry> entries = new ArrayList<>();
    if (reply == null) {
      return entries;
    }
    for (Object streamReply : (List<?>) reply) {
      List<?> pair = (List<?>) streamReply;
      String stream = text(pair.get(0));
      for (Object entryReply : (List<?>) pair.get(1)) {
        entries.add(entry(stream, (List<?>) entryReply, deliveryCount));
      }
    }
    return entries;
  }

  /** The result of one XAUTOCLAIM call. */
  public record ClaimReply(StreamEntryID cursor, List<StreamEntry> entries, List<StreamEntryID> deletedIds) {}

  /** XAUTOCLAIM: {@code [cursor, [[id, [f, v, ...]], ...], [deleted-id, ...]]} (the third part since Redis 7). */
  public static ClaimReply autoClaim(String stream, Object reply) {
    List<?> parts = (List<?>) reply;
    StreamEntryID cursor = new StreamEntryID(text(parts.get(0)));
    List<StreamEntry> entries = new ArrayList<>();
    for (Object entryReply : (List<?>) parts.get(1)) {
      if (entryReply != null) {
        entries.add(entry(stream, (List<?>) entryReply, 0));
      }
    }
    List<StreamEntryID> deleted = new ArrayList<>();
    if (parts.size() > 2 && parts.get(2) != null) {
      for (Object id : (List<?>) parts.get(2)) {
        deleted.add(new StreamEntryID(text(id)));
      }
    }
    return new ClaimReply(cursor, entries, deleted);
  }

  /** XPENDING extended form: {@code [[id, consumer, idle-ms, delivery-count], ...]}. */
  static Map<StreamEntryID, Long> deliveryCounts(Object reply) {
    Map<StreamEntryID, Long> counts = new HashMap<>();
    if (reply == null) {
      return counts;
    }
    for (Object row : (List<?>) reply) {
      List<?> columns = (List<?>) row;
      counts.put(new StreamEntryID(text(columns.get(0))), (Long) columns.get(3));
    }
    return counts;
  }

  private static StreamEntry entry(String stream, List<?> entryReply, long deliveryCount) {
    StreamEntryID id = entryId((byte[]) entryReply.get(0));
    Object body = entryReply.size() > 1 ? entryReply.get(1) : null;
    if (body == null) {
      return StreamEntry.deleted(stream, id);
    }
    List<?> flat = (List<?>) body;
    List<StreamField> fields = new ArrayList<>(flat.size() / 2);
    for (int i = 0; i + 1 < flat.size(); i += 2) {
      fields.add(new StreamField((byte[]) flat.get(i), (byte[]) flat.get(i + 1)));
    }
    return new StreamEntry(stream, id, fields, false, deliveryCount);
  }

  /** An entry ID as Redis sends it ({@code <ms>-<seq>}), read from its bytes without a string in between. */
  static StreamEntryID entryId(byte[] id) {
    long time = 0;
    int i = 0;
    while (i < id.length && id[i] != '-') {
      time = Math.addExact(Math.multiplyExact(time, 10), digit(id, i++));
    }
    if (i == 0 || i >= id.length - 1) {
      throw new IllegalArgumentException("not a stream entry ID: " + text(id));
    }
    long sequence = 0;
    for (i++; i < id.length; i++) {
      sequence = Math.addExact(Math.multiplyExact(sequence, 10), digit(id, i));
    }
    return new StreamEntryID(time, sequence);
  }

  private static int digit(byte[] id, int index) {
    int digit = id[index] - '0';
    if (digit < 0 || digit > 9) {
      throw new IllegalArgumentException("not a stream entry ID: " + text(id));
    }
    return digit;
  }

  private static String text(Object bytes) {
    return new String((byte[]) bytes, StandardCharsets.UTF_8);
  }
}
