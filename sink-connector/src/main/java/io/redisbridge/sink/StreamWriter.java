package io.redisbridge.sink;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.XAddParams;

/**
 * Writes one batch with pipelined XADDs: one round trip per batch (per node in cluster mode), not per
 * record. A connection failure throws for the whole batch; an error reply fails only its record.
 */
final class StreamWriter {

  private final UnifiedJedis redis;

  StreamWriter(UnifiedJedis redis) {
    this.redis = redis;
  }

  /** A write that Redis refused, with its reply. */
  record Refused(StreamWrite write, String reason) {}

  /** Sends every write; returns those Redis refused. Throws when the batch's fate is unknown. */
  List<Refused> write(List<StreamWrite> writes, XAddParams params) {
    if (writes.isEmpty()) {
      return List.of();
    }
    List<Response<byte[]>> replies = new ArrayList<>(writes.size());
    try (AbstractPipeline pipeline = redis.pipelined()) {
      for (StreamWrite write : writes) {
        replies.add(pipeline.xadd(write.stream().getBytes(StandardCharsets.UTF_8), params, write.fields()));
      }
      pipeline.sync();
    }
    List<Refused> refused = new ArrayList<>();
    for (int i = 0; i < writes.size(); i++) {
      try {
        if (replies.get(i).get() == null) {
          refused.add(new Refused(writes.get(i), "stream " + writes.get(i).stream()
              + " does not exist and redis.stream.nomkstream is set"));
        }
      } catch (JedisDataException e) {
        if (io.redisbridge.common.retry.RedisErrors.isTransient(e)) {
          throw e; // LOADING, BUSY, OOM and the like: the whole batch is retried
        }
        refused.add(new Refused(writes.get(i), "Redis refused XADD to " + writes.get(i).stream() + ": "
            + e.getMessage()));
      }
    }
    return refused;
  }
}
