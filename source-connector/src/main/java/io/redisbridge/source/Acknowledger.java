package io.redisbridge.source;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;

/**
 * Sends XACK for entries Kafka confirmed: one multi-ID XACK per stream and chunk, all in one pipeline,
 * so a batch costs one round trip. Entries whose ack fails stay queued and are sent again on the next
 * flush; until then they stay pending in Redis, which is the safe side.
 *
 * <p>Only the task's poll thread uses it.
 */
final class Acknowledger {

  static final int IDS_PER_XACK = 1000;

  private final UnifiedJedis redis;
  private final ConsumerIdentity identity;
  private final AckQueue queue;
  private final InFlightEntries inFlight;
  private final List<EntryRef> unsent = new ArrayList<>();
  private long acked;

  Acknowledger(UnifiedJedis redis, ConsumerIdentity identity, AckQueue queue, InFlightEntries inFlight) {
    this.redis = redis;
    this.identity = identity;
    this.queue = queue;
    this.inFlight = inFlight;
  }

  /** Adds entries to acknowledge that never went to Kafka (deleted or dead-lettered ones). */
  void ackDirectly(List<EntryRef> refs) {
    unsent.addAll(refs);
  }

  /**
   * Acknowledges everything confirmed so far. On a Redis failure the entries are kept for the next
   * call and the exception propagates, so the caller can back off.
   */
  int flush() {
    queue.drainTo(unsent);
    if (unsent.isEmpty()) {
      return 0;
    }
    Map<String, List<EntryRef>> byStream = new LinkedHashMap<>();
    for (EntryRef ref : unsent) {
      byStream.computeIfAbsent(ref.stream(), s -> new ArrayList<>()).add(ref);
    }
    List<Response<Long>> replies = new ArrayList<>();
    try (AbstractPipeline pipeline = redis.pipelined()) {
      for (Map.Entry<String, List<EntryRef>> stream : byStream.entrySet()) {
        byte[] key = stream.getKey().getBytes(StandardCharsets.UTF_8);
        List<EntryRef> refs = stream.getValue();
        for (int from = 0; from < refs.size(); from += IDS_PER_XACK) {
          List<EntryRef> chunk = refs.subList(from, Math.min(refs.size(), from + IDS_PER_XACK));
          byte[][] ids = new byte[chunk.size()][];
          for (int i = 0; i < ids.length; i++) {
            ids[i] = chunk.get(i).id().toString().getBytes(StandardCharsets.UTF_8);
          }
          replies.add(pipeline.xack(key, identity.groupBytes(), ids));
        }
      }
      pipeline.sync();
    }
    // Surfaces error replies (e.g. NOGROUP when someone destroyed the group) instead of losing them.
    replies.forEach(Response::get);
    int count = unsent.size();
    for (EntryRef ref : unsent) {
      inFlight.remove(ref);
    }
    unsent.clear();
    acked += count;
    return count;
  }

  /** Entries confirmed but not yet acknowledged in Redis. */
  int backlog() {
    return unsent.size() + queue.size();
  }

  long ackedTotal() {
    return acked;
  }
}
