package io.redisbridge.sink;

import io.redisbridge.common.redis.Pipelines;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.XAddParams;

/**
 * Writes one batch at least once with pipelined XADDs: one round trip per batch (per node in cluster
 * mode), not per record. Each XADD leaves as soon as its record is mapped, so Redis appends the first
 * entries while the task still maps the rest; the batch is done when every reply is in. A connection
 * failure throws for the whole batch; an error reply fails only its record.
 */
final class StreamWriter {

  private final UnifiedJedis redis;
  private final ReplicaAcks replicaAcks;
  /** redis.stream.ttl.ms: each stream a batch wrote lives this long after it; 0: for ever. */
  private final long ttlMs;

  StreamWriter(UnifiedJedis redis, ReplicaAcks replicaAcks, long ttlMs) {
    this.redis = redis;
    this.replicaAcks = replicaAcks;
    this.ttlMs = ttlMs;
  }

  /** Starts a batch whose XADDs take {@code params}; close it, after {@link Batch#finish()} or on failure. */
  Batch open(Function<StreamWrite, XAddParams> params) {
    return new Batch(Pipelines.open(redis), params);
  }

  /** The XADDs of one batch, sent as they are added. */
  final class Batch implements AutoCloseable {

    private final AbstractPipeline pipeline;
    private final Function<StreamWrite, XAddParams> params;
    private final List<StreamWrite> writes = new ArrayList<>();
    private final List<Response<byte[]>> responses = new ArrayList<>();

    private Batch(AbstractPipeline pipeline, Function<StreamWrite, XAddParams> params) {
      this.pipeline = pipeline;
      this.params = params;
    }

    void add(StreamWrite write) {
      writes.add(write);
      responses.add(pipeline.xadd(XAddReplies.utf8(write.stream()), params.apply(write), write.fields()));
    }

    int size() {
      return writes.size();
    }

    /**
     * Waits for every reply (and, with redis.wait.replicas, for the replicas); returns the writes Redis
     * refused. Throws when the batch's fate is unknown or too few replicas have it.
     */
    XAddReplies.Outcome finish() {
      if (writes.isEmpty()) {
        return XAddReplies.Outcome.NOTHING;
      }
      Set<String> streams = new LinkedHashSet<>();
      writes.forEach(write -> streams.add(write.stream()));
      if (ttlMs > 0) {
        // After the XADDs, in the same round trip: a stream the batch created gets its TTL at once.
        streams.forEach(stream -> pipeline.pexpire(stream, ttlMs));
      }
      List<Response<Long>> waits = replicaAcks.queue(pipeline, streams);
      pipeline.sync();
      XAddReplies.Outcome outcome = XAddReplies.sort(redis, writes, XAddReplies.collect(responses));
      replicaAcks.check(waits);
      return outcome;
    }

    @Override
    public void close() {
      pipeline.close();
    }
  }
}
