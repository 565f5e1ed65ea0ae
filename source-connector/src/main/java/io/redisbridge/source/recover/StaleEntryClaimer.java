package io.redisbridge.source.recover;

import io.redisbridge.source.read.ConsumerIdentity;
import io.redisbridge.source.read.DeliveryCounts;
import io.redisbridge.source.read.EntryRef;
import io.redisbridge.source.read.StreamEntry;
import io.redisbridge.source.read.StreamReplies;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.XAutoClaimParams;

/**
 * Takes over entries that other consumers of the group left pending for longer than the minimum idle
 * time (their task crashed, or was removed when tasks.max went down), so they are delivered instead of
 * waiting forever. Follows each stream's XAUTOCLAIM cursor across runs until it wraps to 0-0.
 *
 * <p>Only the task's poll thread uses it.
 */
public final class StaleEntryClaimer {

  private static final Logger log = LoggerFactory.getLogger(StaleEntryClaimer.class);
  private static final StreamEntryID START = new StreamEntryID(0, 0);

  private final UnifiedJedis redis;
  private final ConsumerIdentity identity;
  /** The task's streams still there: the poller's own list, from which it removes deleted ones. */
  private final List<String> streams;
  private final long intervalMs;
  private final long minIdleMs;
  private final int count;
  private final Clock clock;
  private final DeliveryCounts deliveryCounts;
  private final FinishedConsumers finishedConsumers;
  /** The consumers of this connector's tasks that read the same streams: never removed. */
  private final Set<String> live;
  private final Map<String, StreamEntryID> cursors = new HashMap<>();
  private long nextRunAt;
  private volatile long deletedSeen;

  StaleEntryClaimer(UnifiedJedis redis, ConsumerIdentity identity, List<String> streams, long intervalMs,
      long minIdleMs, int count, Clock clock, DeliveryCounts deliveryCounts, FinishedConsumers finishedConsumers,
      List<String> live) {
    this.redis = redis;
    this.identity = identity;
    this.streams = streams;
    this.intervalMs = intervalMs;
    this.minIdleMs = minIdleMs;
    this.count = count;
    this.clock = clock;
    this.deliveryCounts = deliveryCounts;
    this.finishedConsumers = finishedConsumers;
    this.live = Set.copyOf(live);
    // The first run waits one interval: at start the task replays its own history first.
    this.nextRunAt = clock.millis() + intervalMs;
  }

  boolean due() {
    return intervalMs > 0 && clock.millis() >= nextRunAt;
  }

  /** Entries Redis reported deleted while pending (and dropped from the group's pending list). */
  long deletedSeen() {
    return deletedSeen;
  }

  /**
   * Claims up to {@code capacity} stale entries across the streams. Entries this task already has in
   * flight ({@code inFlight}) are claimed too (XAUTOCLAIM cannot skip them) but not returned, so they
   * are not delivered twice.
   */
  List<StreamEntry> claim(int capacity, Predicate<EntryRef> inFlight) {
    List<StreamEntry> claimed = new ArrayList<>();
    boolean finished = true;
    for (String stream : streams) {
      StreamEntryID cursor = cursors.getOrDefault(stream, START);
      int deletedHere = 0;
      do {
        int room = capacity - claimed.size();
        if (room <= 0) {
          finished = false;
          break;
        }
        StreamReplies.ClaimReply reply = StreamReplies.autoClaim(stream, redis.xautoclaim(
            bytes(stream), identity.groupBytes(), identity.consumerBytes(), minIdleMs,
            bytes(cursor.toString()), XAutoClaimParams.xAutoClaimParams().count(Math.min(count, room))));
        for (StreamEntry entry : reply.entries()) {
          if (!inFlight.test(entry.ref())) {
            claimed.add(entry);
          }
        }
        deletedHere += reply.deletedIds().size();
        cursor = reply.cursor();
      } while (!START.equals(cursor));
      cursors.put(stream, cursor);
      if (START.equals(cursor)) {
        // A whole pass: whatever other consumers had pending and idle is this task's now.
        finishedConsumers.removeFrom(stream, live);
      }
      if (deletedHere > 0) {
        deletedSeen += deletedHere;
        log.warn("Stream {} {}: {} pending entries no longer exist (trimmed or deleted before they were "
            + "acknowledged); Redis dropped them from the pending list", stream, identity, deletedHere);
      }
    }
    if (finished) {
      nextRunAt = clock.millis() + intervalMs;
    }
    if (!claimed.isEmpty()) {
      log.info("Claimed {} entries idle for over {} ms from other consumers ({})", claimed.size(), minIdleMs,
          identity);
    }
    return deliveryCounts.fill(claimed);
  }

  private static byte[] bytes(String value) {
    return value.getBytes(StandardCharsets.UTF_8);
  }
}
