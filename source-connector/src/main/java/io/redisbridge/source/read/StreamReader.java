package io.redisbridge.source.read;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.XReadGroupParams;

/**
 * Reads the task's streams through the consumer group. Each stream starts by replaying this
 * consumer's own pending entries (history from ID 0: what a crashed run delivered but never acked),
 * and once that history is empty switches to new entries ({@code >}). History reads do not block;
 * new-entry reads block briefly so {@code poll()} stays responsive to {@code stop()}.
 *
 * <p>Only the task's poll thread uses it.
 */
public final class StreamReader {

  /**
   * How long after its start a task reads its own pending entries once more. Connect can start a task
   * while the previous instance of it is still stopping (up to task.shutdown.graceful.timeout.ms, 5 s by
   * default, or longer for an orphan): what that one read after this task replayed its history is pending
   * under this consumer's name, and would otherwise wait for a claim (redis.claim.min.idle.ms).
   */
  public static final long PREDECESSOR_GRACE_MS = 10_000;

  private static final byte[] NEW_ENTRIES = ">".getBytes(StandardCharsets.UTF_8);

  /** When to replay own pending history once more; 0 once done or never asked. */
  private long replayOnceMoreAt;
  private final UnifiedJedis redis;
  private final ConsumerIdentity identity;
  private final DeliveryCounts deliveryCounts;
  /** Per stream: the last history ID read, or null once the stream reads new entries. */
  private final Map<String, StreamEntryID> historyCursor = new LinkedHashMap<>();
  /** Streams grouped so one command touches one cluster slot; a single group outside cluster mode. */
  private final List<List<String>> commandGroups;
  /** The group new reads start with, turning each read, so the first groups cannot starve the last. */
  private int firstGroup;
  /**
   * True once the task stops: a read over many slot groups (hundreds of streams on a Redis Cluster) sends
   * one command per group, and a stopping task must not wait for all of them.
   */
  private BooleanSupplier stopping = () -> false;

  public StreamReader(UnifiedJedis redis, ConsumerIdentity identity, List<String> streams,
      ToIntFunction<String> slotOf, DeliveryCounts deliveryCounts) {
    this.redis = redis;
    this.identity = identity;
    this.deliveryCounts = deliveryCounts;
    Map<Integer, List<String>> bySlot = new LinkedHashMap<>();
    for (String stream : streams) {
      historyCursor.put(stream, new StreamEntryID(0, 0));
      bySlot.computeIfAbsent(slotOf.applyAsInt(stream), slot -> new ArrayList<>()).add(stream);
    }
    this.commandGroups = new ArrayList<>(bySlot.values());
  }

  /** Ends reads early once {@code stopping} says so; what they read until then is returned. */
  public StreamReader stopsWhen(BooleanSupplier stopping) {
    this.stopping = stopping;
    return this;
  }

  /** Stops reading {@code gone} (deleted streams): a read naming a missing stream fails as a whole. */
  public void forget(Collection<String> gone) {
    historyCursor.keySet().removeAll(gone);
    commandGroups.forEach(group -> group.removeAll(gone));
    commandGroups.removeIf(List::isEmpty);
    firstGroup = 0;
  }

  /** Whether any stream is left to read. */
  public boolean hasStreams() {
    return !commandGroups.isEmpty();
  }

  /** True while some stream still has own pending history to replay. */
  public boolean replayingHistory() {
    return historyCursor.values().stream().anyMatch(cursor -> cursor != null);
  }

  /** Goes back to replaying own pending history on every stream, e.g. after an outage. */
  public void replayHistory() {
    historyCursor.replaceAll((stream, cursor) -> new StreamEntryID(0, 0));
  }

  /** Replays own pending history once more at {@code atMillis}; see {@link #PREDECESSOR_GRACE_MS}. */
  public StreamReader replaysOnceMoreAt(long atMillis) {
    this.replayOnceMoreAt = atMillis;
    return this;
  }

  /** Starts the replay {@link #replaysOnceMoreAt} asked for, once its time has come. */
  public void replayOnceMoreWhenDue(long nowMillis) {
    if (replayOnceMoreAt != 0 && nowMillis >= replayOnceMoreAt) {
      replayOnceMoreAt = 0;
      replayHistory();
    }
  }

  /**
   * Reads about {@code count} entries at most: XREADGROUP's COUNT applies to each stream it names, so a
   * command over n streams asks each for a share (at least one, so up to n - 1 more when {@code count}
   * is smaller than n). Replays history first; blocks up to {@code blockMs} only when every stream is on
   * new entries and none has any.
   */
  public List<StreamEntry> read(int count, int blockMs) {
    if (replayingHistory()) {
      return readHistory(count);
    }
    if (commandGroups.size() == 1) {
      return readNew(count, blockMs); // a blocking read answers at once when there are entries
    }
    // Several slot groups cannot share one blocking call, and blocking on an idle one would hold back the
    // entries of the others: ask every group without blocking first, and block only when all were empty.
    List<StreamEntry> entries = readNew(count, 0);
    return entries.isEmpty() ? readNew(count, Math.max(1, blockMs / commandGroups.size())) : entries;
  }

  /** New entries from each group in turn; each blocks up to {@code blockMs} (0: not at all) while none came. */
  private List<StreamEntry> readNew(int count, int blockMs) {
    List<StreamEntry> entries = new ArrayList<>();
    int start = firstGroup;
    firstGroup = (firstGroup + 1) % commandGroups.size();
    for (int turn = 0; turn < commandGroups.size(); turn++) {
      List<String> group = commandGroups.get((start + turn) % commandGroups.size());
      int remaining = count - entries.size();
      if (remaining <= 0 || stopping.getAsBoolean()) {
        break;
      }
      XReadGroupParams params = XReadGroupParams.xReadGroupParams().count(perStream(remaining, group.size()));
      if (blockMs > 0 && entries.isEmpty()) {
        params.block(blockMs);
      }
      entries.addAll(StreamReplies.readGroup(
          redis.xreadGroup(identity.groupBytes(), identity.consumerBytes(), params,
              streamArgs(group, stream -> NEW_ENTRIES)), 1));
    }
    return entries;
  }

  private List<StreamEntry> readHistory(int count) {
    List<StreamEntry> entries = new ArrayList<>();
    for (List<String> group : commandGroups) {
      List<String> replaying = group.stream().filter(stream -> historyCursor.get(stream) != null).toList();
      if (stopping.getAsBoolean()) {
        break;
      }
      if (replaying.isEmpty() || entries.size() >= count) {
        continue;
      }
      List<StreamEntry> batch = StreamReplies.readGroup(redis.xreadGroup(identity.groupBytes(),
          identity.consumerBytes(),
          XReadGroupParams.xReadGroupParams().count(perStream(count - entries.size(), replaying.size())),
          streamArgs(replaying, stream -> utf8(historyCursor.get(stream).toString()))), 0);
      for (String stream : replaying) {
        StreamEntryID last = null;
        for (StreamEntry entry : batch) {
          if (entry.stream().equals(stream)) {
            last = entry.id();
          }
        }
        // An empty answer means this consumer has no more pending history on the stream.
        historyCursor.put(stream, last);
      }
      entries.addAll(deliveryCounts.fill(batch));
    }
    return entries;
  }

  /** Each stream's COUNT when one command reads {@code streams} streams for {@code total} entries. */
  static int perStream(int total, int streams) {
    return Math.max(1, total / streams);
  }

  /** The STREAMS arguments of XREADGROUP: each stream key with the ID to read from. */
  @SuppressWarnings("unchecked")
  private static Map.Entry<byte[], byte[]>[] streamArgs(List<String> streams, Function<String, byte[]> idOf) {
    Map.Entry<byte[], byte[]>[] args = new Map.Entry[streams.size()];
    for (int i = 0; i < streams.size(); i++) {
      args[i] = Map.entry(utf8(streams.get(i)), idOf.apply(streams.get(i)));
    }
    return args;
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
