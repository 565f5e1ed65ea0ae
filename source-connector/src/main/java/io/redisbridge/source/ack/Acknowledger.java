package io.redisbridge.source.ack;

import io.redisbridge.common.redis.Pipelines;
import io.redisbridge.source.read.ConsumerIdentity;
import io.redisbridge.source.read.EntryRef;
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
public final class Acknowledger {

  static final int IDS_PER_XACK = 1000;

  private final UnifiedJedis redis;
  private final ConsumerIdentity identity;
  private final AckQueue queue;
  private final InFlightEntries inFlight;
  private final List<EntryRef> unsent = new ArrayList<>();
  private volatile long acked;

  public Acknowledger(UnifiedJedis redis, ConsumerIdentity identity, AckQueue queue, InFlightEntries inFlight) {
    this.redis = redis;
    this.identity = identity;
    this.queue = queue;
    this.inFlight = inFlight;
  }

  /** Adds entries to acknowledge that never went to Kafka (deleted or dead-lettered ones). */
  public void ackDirectly(List<EntryRef> refs) {
    unsent.addAll(refs);
  }

  /**
   * Acknowledges everything confirmed so far. On a Redis failure the entries are kept for the next
   * call and the exception propagates, so the caller can back off.
   */
  public int flush() {
    List<EntryRef> batch = takeConfirmed();
    if (batch.isEmpty()) {
      return 0;
    }
    try {
      send(batch);
    } catch (RuntimeException e) {
      requeue(batch);
      throw e;
    }
    sent(batch);
    return batch.size();
  }

  /** Everything confirmed so far, taken out of the queue to be sent. Poll thread. */
  public List<EntryRef> takeConfirmed() {
    queue.drainTo(unsent);
    if (unsent.isEmpty()) {
      return List.of();
    }
    List<EntryRef> batch = new ArrayList<>(unsent);
    unsent.clear();
    return batch;
  }

  /**
   * XACKs {@code refs}: one multi-ID XACK per stream and chunk, in one pipeline. Only Redis I/O, so it
   * may run on the read-ahead thread; throws when Redis did not answer or refused.
   */
  public void send(List<EntryRef> refs) {
    if (refs.isEmpty()) {
      return;
    }
    Map<String, List<EntryRef>> byStream = new LinkedHashMap<>();
    for (EntryRef ref : refs) {
      byStream.computeIfAbsent(ref.stream(), s -> new ArrayList<>()).add(ref);
    }
    List<Response<Long>> replies = new ArrayList<>();
    try (AbstractPipeline pipeline = Pipelines.open(redis)) {
      for (Map.Entry<String, List<EntryRef>> stream : byStream.entrySet()) {
        byte[] key = stream.getKey().getBytes(StandardCharsets.UTF_8);
        List<EntryRef> sameStream = stream.getValue();
        for (int from = 0; from < sameStream.size(); from += IDS_PER_XACK) {
          List<EntryRef> chunk = sameStream.subList(from, Math.min(sameStream.size(), from + IDS_PER_XACK));
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
  }

  /** Records that {@code refs} were acknowledged: no longer in flight. Poll thread. */
  public void sent(List<EntryRef> refs) {
    for (EntryRef ref : refs) {
      inFlight.remove(ref);
    }
    acked += refs.size();
  }

  /** Puts back entries whose XACK may not have happened, to be sent again (XACK is idempotent). Poll thread. */
  public void requeue(List<EntryRef> refs) {
    unsent.addAll(0, refs);
  }

  /** Entries confirmed but not yet acknowledged in Redis. */
  public int backlog() {
    return unsent.size() + queue.size();
  }

  public long ackedTotal() {
    return acked;
  }
}
