package io.redisbridge.sink;

import io.redisbridge.common.redis.Pipelines;
import io.redisbridge.common.retry.RedisErrors;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.resps.StreamEntry;

/**
 * Sorts what Redis answered to the XADDs of a batch into written, already written and refused. An XADD
 * with an explicit ID that Redis refuses because the stream is past it is a re-write of an entry the
 * stream has (or had, before trimming): already written, never a failure. Only an ID that falls inside
 * the stream without being in it (entries arriving out of ID order) is refused.
 */
final class XAddReplies {

  private static final String ID_TOO_SMALL = "equal or smaller than the target stream top item";

  private XAddReplies() {}

  /** A write that Redis refused, with the reason. */
  record Refused(StreamWrite write, String reason) {}

  /** What became of a batch: the refused writes and how many were already in their streams. */
  record Outcome(List<Refused> refused, int alreadyWritten) {
    static final Outcome NOTHING = new Outcome(List.of(), 0);
  }

  /**
   * {@code replies.get(i)} is what Redis answered to {@code writes.get(i)}: the new ID, null (NOMKSTREAM
   * and no stream), or the error reply as an exception. Throws for replies that fail the whole batch.
   */
  static Outcome sort(UnifiedJedis redis, List<StreamWrite> writes, List<Object> replies) {
    return sort(redis, writes, replies, false);
  }

  /** As {@link #sort}, for replies of a committed transaction: no error can retry the batch any more. */
  static Outcome sortCommitted(UnifiedJedis redis, List<StreamWrite> writes, List<Object> replies) {
    return sort(redis, writes, replies, true);
  }

  private static Outcome sort(UnifiedJedis redis, List<StreamWrite> writes, List<Object> replies,
      boolean committed) {
    List<Refused> refused = new ArrayList<>();
    List<StreamWrite> belowTop = new ArrayList<>();
    for (int i = 0; i < writes.size(); i++) {
      StreamWrite write = writes.get(i);
      Object reply = replies.get(i);
      if (reply == null) {
        refused.add(new Refused(write, "stream " + write.stream()
            + " does not exist and redis.stream.nomkstream is set"));
      } else if (reply instanceof JedisDataException error) {
        if (!committed && RedisErrors.isTransient(error)) {
          throw error; // LOADING, BUSY, OOM and the like: the whole batch is retried
        }
        if (write.id() != null && error.getMessage() != null && error.getMessage().contains(ID_TOO_SMALL)) {
          belowTop.add(write);
        } else {
          refused.add(new Refused(write, "Redis refused XADD to " + write.stream() + ": " + error.getMessage()));
        }
      }
    }
    if (belowTop.isEmpty()) {
      return new Outcome(refused, 0);
    }
    List<StreamWrite> outOfOrder = outOfOrder(redis, belowTop);
    for (StreamWrite write : outOfOrder) {
      refused.add(new Refused(write, "entry ID " + write.id() + " is below the last ID of stream " + write.stream()
          + " but not in it: entries reach this stream out of ID order (several source streams, tasks or "
          + "partitions feeding one stream?), so it cannot keep the original IDs"));
    }
    return new Outcome(refused, belowTop.size() - outOfOrder.size());
  }

  /** Of writes whose explicit IDs Redis refused, those whose entry neither is in the stream nor was trimmed. */
  private static List<StreamWrite> outOfOrder(UnifiedJedis redis, List<StreamWrite> refusedIds) {
    List<Response<List<StreamEntry>>> same = new ArrayList<>();
    List<Response<List<StreamEntry>>> first = new ArrayList<>();
    try (AbstractPipeline pipeline = Pipelines.open(redis)) {
      for (StreamWrite write : refusedIds) {
        same.add(pipeline.xrange(write.stream(), write.id(), write.id(), 1));
        first.add(pipeline.xrange(write.stream(), "-", "+", 1));
      }
      pipeline.sync();
    }
    List<StreamWrite> outOfOrder = new ArrayList<>();
    for (int i = 0; i < refusedIds.size(); i++) {
      StreamWrite write = refusedIds.get(i);
      List<StreamEntry> oldest = first.get(i).get();
      boolean present = !same.get(i).get().isEmpty();
      boolean trimmedAway = oldest.isEmpty() || write.id().compareTo(oldest.get(0).getID()) < 0;
      if (!present && !trimmedAway) {
        outOfOrder.add(write);
      }
    }
    return outOfOrder;
  }

  /** What Redis answered to each XADD of a pipeline or transaction: the ID, null, or the error reply. */
  static List<Object> collect(List<Response<byte[]>> responses) {
    List<Object> replies = new ArrayList<>(responses.size());
    for (Response<byte[]> response : responses) {
      try {
        replies.add(response.get());
      } catch (JedisDataException e) {
        replies.add(e);
      }
    }
    return replies;
  }

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
