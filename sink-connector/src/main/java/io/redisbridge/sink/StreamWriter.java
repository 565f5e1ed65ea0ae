package io.redisbridge.sink;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.XAddParams;

/**
 * Writes one batch at least once with pipelined XADDs: one round trip per batch (per node in cluster
 * mode), not per record. A connection failure throws for the whole batch; an error reply fails only
 * its record.
 */
final class StreamWriter {

  private final UnifiedJedis redis;

  StreamWriter(UnifiedJedis redis) {
    this.redis = redis;
  }

  /** Sends every write; returns those Redis refused. Throws when the batch's fate is unknown. */
  XAddReplies.Outcome write(List<StreamWrite> writes, Function<StreamWrite, XAddParams> params) {
    if (writes.isEmpty()) {
      return XAddReplies.Outcome.NOTHING;
    }
    List<Response<byte[]>> responses = new ArrayList<>(writes.size());
    try (AbstractPipeline pipeline = redis.pipelined()) {
      for (StreamWrite write : writes) {
        responses.add(pipeline.xadd(XAddReplies.utf8(write.stream()), params.apply(write), write.fields()));
      }
      pipeline.sync();
    }
    return XAddReplies.sort(redis, writes, XAddReplies.collect(responses));
  }
}
