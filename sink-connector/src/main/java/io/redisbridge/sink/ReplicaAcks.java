package io.redisbridge.sink;

import io.redisbridge.common.retry.ReplicaShortfallException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import redis.clients.jedis.PipeliningBase;
import redis.clients.jedis.Response;

/**
 * {@code redis.wait.replicas}: after a batch's writes, {@code WAIT} on the same connection(s) until that
 * many replicas have them, so a batch is only done (and its Kafka offsets committable) once a failover
 * cannot lose it. WAIT covers what its own connection wrote before, so it is queued in the pipeline that
 * carried the writes, one per stream (on Redis Cluster, each stream's node). When fewer replicas answer
 * in time, {@link #check} throws, and the sink retries the batch like any other transient failure.
 */
final class ReplicaAcks {

  private final int replicas;
  private final long timeoutMs;
  private volatile long shortfalls;

  ReplicaAcks(int replicas, long timeoutMs) {
    this.replicas = replicas;
    this.timeoutMs = timeoutMs;
  }

  boolean enabled() {
    return replicas > 0;
  }

  /** Queues one WAIT per stream behind the writes already in {@code pipeline}; empty when disabled. */
  List<Response<Long>> queue(PipeliningBase pipeline, Collection<String> streams) {
    List<Response<Long>> waits = new ArrayList<>();
    if (enabled()) {
      for (String stream : streams) {
        waits.add(pipeline.waitReplicas(stream, replicas, timeoutMs));
      }
    }
    return waits;
  }

  /** Throws when any WAIT saw fewer replicas than required. Call after the pipeline's sync. */
  void check(List<Response<Long>> waits) {
    long fewest = Long.MAX_VALUE;
    for (Response<Long> wait : waits) {
      fewest = Math.min(fewest, wait.get());
    }
    if (fewest < replicas) {
      shortfalls++;
      throw new ReplicaShortfallException("only " + fewest + " of the " + replicas + " replicas required "
          + "(redis.wait.replicas) acknowledged the batch within " + timeoutMs + " ms (redis.wait.timeout.ms)");
    }
  }

  /** Batches that came short so far. */
  long shortfalls() {
    return shortfalls;
  }
}
