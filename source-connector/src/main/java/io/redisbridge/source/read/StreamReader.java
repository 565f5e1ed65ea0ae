package io.redisbridge.source.read;

import io.redisbridge.common.redis.Pipelines;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
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
  /**
   * A new-entry read asks each stream it names for at least this many entries. Naming many streams for one
   * entry each makes Redis look up a key, and the reply and the XACK carry a stream, per entry: with 1,000
   * busy streams that doubled the cost of an entry. So one command names at most read count / this many
   * streams, and reads take the commands in turn. 20 rather than 10 took 4 tasks over 1,000 streams from
   * 87% to 91-99% of one stream in the benchmark; a stream still has its turn every 50 reads at most.
   */
  public static final int ENTRIES_PER_STREAM_READ = 20;

  /** Streams grouped so one command touches one cluster slot; a single group outside cluster mode. */
  private final List<List<String>> slotGroups;
  /** The slot groups cut so one new-entry read names at most {@link #namingAtMost} streams. */
  private final List<List<String>> commandGroups = new ArrayList<>();
  private int streamsPerCommand = Integer.MAX_VALUE;
  /** The groups new reads start with, turning each read, so the first groups cannot starve the last. */
  private int firstCommand;
  /** The slot group an empty read of several waits on next, turning each time. */
  private int firstWait;
  /** The slot group a busy pipelined read starts with, turning each read. */
  private int firstWindow;
  /** Whether the last read came back at least half full: then reads take the shorter commands in turn. */
  private boolean busy;
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
    this.slotGroups = new ArrayList<>(bySlot.values());
    cutCommandGroups();
  }

  /**
   * Lets one new-entry read name at most {@code streams} streams (see {@link #ENTRIES_PER_STREAM_READ});
   * a read over more takes the commands in turn until it has its count.
   */
  public StreamReader namingAtMost(int streams) {
    this.streamsPerCommand = Math.max(1, streams);
    cutCommandGroups();
    return this;
  }

  private void cutCommandGroups() {
    commandGroups.clear();
    for (List<String> group : slotGroups) {
      for (int from = 0; from < group.size(); from += streamsPerCommand) {
        commandGroups.add(new ArrayList<>(group.subList(from, Math.min(group.size(), from + streamsPerCommand))));
      }
    }
    firstCommand = 0;
    firstWait = 0;
    firstWindow = 0;
  }

  /** Ends reads early once {@code stopping} says so; what they read until then is returned. */
  public StreamReader stopsWhen(BooleanSupplier stopping) {
    this.stopping = stopping;
    return this;
  }

  /** Stops reading {@code gone} (deleted streams): a read naming a missing stream fails as a whole. */
  public void forget(Collection<String> gone) {
    historyCursor.keySet().removeAll(gone);
    slotGroups.forEach(group -> group.removeAll(gone));
    slotGroups.removeIf(List::isEmpty);
    cutCommandGroups();
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
    List<StreamEntry> entries = List.of();
    if (busy && commandGroups.size() > slotGroups.size()) {
      int start = firstCommand;
      firstCommand = (firstCommand + 1) % commandGroups.size();
      entries = readNew(commandGroups, start, count, 0);
    }
    if (entries.isEmpty()) {
      entries = readSlotGroups(count, blockMs);
    }
    // Many short commands pay while most streams have entries; when few have, one command over all of a
    // slot group's streams (which can block) asks Redis less.
    busy = entries.size() >= count / 2;
    return entries;
  }

  private List<StreamEntry> readSlotGroups(int count, int blockMs) {
    if (slotGroups.size() == 1) {
      return readNew(slotGroups, 0, count, blockMs); // a blocking read answers at once when there are entries
    }
    // Several slot groups cannot share one command, and blocking on an idle one would hold back the entries
    // of the others: ask the groups at once without blocking. While reads come back full, a pipeline asks
    // only some groups, in turn, so each stream gives ENTRIES_PER_STREAM_READ entries, as commands do above.
    List<StreamEntry> entries = busy ? readNewPipelined(nextSlotWindow(), count) : List.of();
    if (entries.isEmpty()) {
      entries = readNewPipelined(slotGroups, count);
    }
    if (!entries.isEmpty()) {
      return entries;
    }
    // All were empty: wait on one group in turn (an entry elsewhere waits up to blockMs), never on each for a
    // share of blockMs: Redis ends a short BLOCK only at its next event-loop tick (up to 100 ms at hz 10),
    // so a read of 250 empty slot groups took seconds while acknowledgements waited behind it.
    int waitOn = firstWait;
    firstWait = (firstWait + 1) % slotGroups.size();
    return readNew(List.of(slotGroups.get(waitOn)), 0, count, blockMs);
  }

  /** The next slot groups in turn that together hold at most {@link #namingAtMost} streams (at least one group). */
  private List<List<String>> nextSlotWindow() {
    List<List<String>> window = new ArrayList<>();
    int streams = 0;
    while (window.size() < slotGroups.size()) {
      List<String> group = slotGroups.get(firstWindow);
      if (!window.isEmpty() && streams + group.size() > streamsPerCommand) {
        break;
      }
      window.add(group);
      streams += group.size();
      firstWindow = (firstWindow + 1) % slotGroups.size();
    }
    return window;
  }

  /**
   * New entries from each of {@code groups} in one pipeline: a round trip per node (a cluster pipeline sends
   * each command to the node of its slot), not one per group; each stream is asked for its share of
   * {@code count}.
   */
  private List<StreamEntry> readNewPipelined(List<List<String>> groups, int count) {
    int streams = groups.stream().mapToInt(List::size).sum();
    XReadGroupParams params = XReadGroupParams.xReadGroupParams().count(perStream(count, streams));
    List<Response<List<Object>>> replies = new ArrayList<>(groups.size());
    try (AbstractPipeline pipeline = Pipelines.open(redis)) {
      for (List<String> group : groups) {
        replies.add(pipeline.xreadGroup(identity.groupBytes(), identity.consumerBytes(), params,
            streamArgs(group, stream -> NEW_ENTRIES)));
      }
      pipeline.sync();
    }
    List<StreamEntry> entries = new ArrayList<>();
    for (Response<List<Object>> reply : replies) {
      entries.addAll(StreamReplies.readGroup(reply.get(), 1));
    }
    return entries;
  }

  /**
   * New entries from each of {@code groups} in turn from {@code start}; each blocks up to {@code blockMs}
   * (0: not at all) while none came.
   */
  private List<StreamEntry> readNew(List<List<String>> groups, int start, int count, int blockMs) {
    List<StreamEntry> entries = new ArrayList<>();
    for (int turn = 0; turn < groups.size(); turn++) {
      List<String> group = groups.get((start + turn) % groups.size());
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
