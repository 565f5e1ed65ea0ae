package io.redisbridge.sink;

import io.redisbridge.common.redis.Pipelines;
import io.redisbridge.common.redis.SlotTransactions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.AbstractTransaction;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.XAddParams;

/**
 * Writes one batch exactly once: per target stream, one MULTI/EXEC holds the batch's XADDs to it and
 * the HSET of the offsets they cover into the stream's offset hash, so entries and offsets commit or
 * vanish together. Records at or below the stored offsets are already in the stream and are skipped.
 * A connection lost mid-transaction leaves its fate unknown: the caller forgets the cached offsets and
 * retries, and the re-read offsets tell which records the transaction wrote. With redis.wait.replicas,
 * a batch is done only once enough replicas have its transactions (see {@link #awaitReplicas}).
 *
 * <p>Only the task thread uses it.
 */
final class TransactionalStreamWriter {

  private final UnifiedJedis redis;
  private final StreamOffsetStore offsets;
  private final ReplicaAcks replicaAcks;
  /** redis.stream.ttl.ms; 0: streams live for ever. */
  private final long ttlMs;
  /** Streams known to be streams (or absent): EXEC does not roll back, so a wrongly typed key is caught first. */
  private final Set<String> checkedTypes = new HashSet<>();

  TransactionalStreamWriter(UnifiedJedis redis, StreamOffsetStore offsets, ReplicaAcks replicaAcks, long ttlMs) {
    this.ttlMs = ttlMs;
    this.redis = redis;
    this.offsets = offsets;
    this.replicaAcks = replicaAcks;
  }

  XAddReplies.Outcome write(List<StreamWrite> writes, Function<StreamWrite, XAddParams> params) {
    if (writes.isEmpty()) {
      return XAddReplies.Outcome.NOTHING;
    }
    Map<String, List<StreamWrite>> byStream = new LinkedHashMap<>();
    List<XAddReplies.Refused> refused = new ArrayList<>();
    for (StreamWrite write : writes) {
      if (!StreamOffsetStore.canKeep(write.stream())) {
        refused.add(new XAddReplies.Refused(write, "stream " + write.stream() + " has no hash tag yet contains "
            + "'}', so exactly.once.enabled cannot keep its offsets in the same cluster slot; rename the stream"));
      } else {
        byStream.computeIfAbsent(write.stream(), s -> new ArrayList<>()).add(write);
      }
    }
    offsets.load(byStream.keySet());
    Map<String, Set<TopicPartition>> partitionsByStream = new LinkedHashMap<>();
    byStream.forEach((stream, streamWrites) -> streamWrites.forEach(write ->
        partitionsByStream.computeIfAbsent(stream, s -> new HashSet<>()).add(partitionOf(write.record()))));
    int already = 0;
    for (Map.Entry<String, List<StreamWrite>> stream : byStream.entrySet()) {
      List<StreamWrite> fresh = new ArrayList<>(stream.getValue().size());
      for (StreamWrite write : stream.getValue()) {
        Long next = offsets.next(stream.getKey(), partitionOf(write.record()));
        if (next != null && write.record().kafkaOffset() < next) {
          already++;
        } else {
          fresh.add(write);
        }
      }
      stream.setValue(fresh);
    }
    Map<String, String> wrongTypes = wrongTypes(byStream);
    for (Map.Entry<String, List<StreamWrite>> stream : byStream.entrySet()) {
      List<StreamWrite> streamWrites = stream.getValue();
      if (streamWrites.isEmpty()) {
        continue;
      }
      String type = wrongTypes.get(stream.getKey());
      if (type != null) {
        for (StreamWrite write : streamWrites) {
          refused.add(new XAddReplies.Refused(write, "key " + stream.getKey() + " is a " + type + ", not a stream"));
        }
        partitionsByStream.remove(stream.getKey());
        continue;
      }
      XAddReplies.Outcome outcome = commit(stream.getKey(), streamWrites, params);
      refused.addAll(outcome.refused());
      already += outcome.alreadyWritten();
    }
    if (replicaAcks.enabled()) {
      awaitReplicas(partitionsByStream);
    }
    return new XAddReplies.Outcome(refused, already);
  }

  /**
   * redis.wait.replicas: every stream the batch touched waits, also one whose records were all skipped as
   * already written, because the transaction that wrote them may be exactly what the replicas lack (a
   * retry after a shortfall finds its offsets stored on the primary). WAIT covers only the writes of its
   * own connection, so the task's stored offsets of each stream are written again, unchanged, on the
   * WAIT's connection first: replication is in order, so once a replica has that write it has every
   * earlier one.
   */
  private void awaitReplicas(Map<String, Set<TopicPartition>> partitionsByStream) {
    if (partitionsByStream.isEmpty()) {
      return;
    }
    List<Response<Long>> waits;
    try (AbstractPipeline pipeline = Pipelines.open(redis)) {
      partitionsByStream.forEach((stream, partitions) -> {
        Map<byte[], byte[]> fields = new LinkedHashMap<>();
        for (TopicPartition partition : partitions) {
          Long next = offsets.next(stream, partition);
          if (next != null) {
            fields.put(XAddReplies.utf8(StreamOffsetStore.field(partition)), XAddReplies.utf8(Long.toString(next)));
          }
        }
        if (!fields.isEmpty()) {
          pipeline.hset(XAddReplies.utf8(offsets.key(stream)), fields);
        }
      });
      waits = replicaAcks.queue(pipeline, partitionsByStream.keySet());
      pipeline.sync();
    }
    replicaAcks.check(waits);
  }

  /** One MULTI/EXEC: the stream's XADDs and the next offset of each partition they come from. */
  private XAddReplies.Outcome commit(String stream, List<StreamWrite> writes,
      Function<StreamWrite, XAddParams> params) {
    Map<TopicPartition, Long> next = new HashMap<>();
    for (StreamWrite write : writes) {
      next.merge(partitionOf(write.record()), write.record().kafkaOffset() + 1, Math::max);
    }
    Map<byte[], byte[]> fields = new LinkedHashMap<>();
    next.forEach((partition, offset) ->
        fields.put(XAddReplies.utf8(StreamOffsetStore.field(partition)), XAddReplies.utf8(Long.toString(offset))));
    byte[] key = XAddReplies.utf8(stream);
    List<Response<byte[]>> responses = new ArrayList<>(writes.size());
    try (AbstractTransaction transaction = SlotTransactions.begin(redis, stream)) {
      for (StreamWrite write : writes) {
        responses.add(transaction.xadd(key, params.apply(write), write.fields()));
      }
      transaction.hset(XAddReplies.utf8(offsets.key(stream)), fields);
      if (ttlMs > 0) {
        // The stream and what the task stored about it go together: stored offsets of an expired stream
        // would make the task skip records it must write again.
        transaction.pexpire(key, ttlMs);
        transaction.pexpire(XAddReplies.utf8(offsets.key(stream)), ttlMs);
      }
      transaction.exec();
    }
    offsets.advanced(stream, next);
    // The transaction has committed: every error reply is final for its record, none retries the batch.
    return XAddReplies.sortCommitted(redis, writes, XAddReplies.collect(responses));
  }

  /** Streams among {@code byStream} whose key holds another type, with that type; one round trip. */
  private Map<String, String> wrongTypes(Map<String, List<StreamWrite>> byStream) {
    List<String> unchecked = byStream.entrySet().stream()
        .filter(e -> !e.getValue().isEmpty() && !checkedTypes.contains(e.getKey())).map(Map.Entry::getKey).toList();
    if (unchecked.isEmpty()) {
      return Map.of();
    }
    List<Response<String>> types = new ArrayList<>(unchecked.size());
    try (AbstractPipeline pipeline = Pipelines.open(redis)) {
      for (String stream : unchecked) {
        types.add(pipeline.type(stream));
      }
      pipeline.sync();
    }
    Map<String, String> wrong = new HashMap<>();
    for (int i = 0; i < unchecked.size(); i++) {
      String type = types.get(i).get();
      if ("stream".equals(type) || "none".equals(type)) {
        checkedTypes.add(unchecked.get(i));
      } else {
        wrong.put(unchecked.get(i), type);
      }
    }
    return wrong;
  }

  /** Forgets what it learned about keys; after a Redis failure. */
  void forget() {
    checkedTypes.clear();
  }

  static TopicPartition partitionOf(SinkRecord record) {
    return new TopicPartition(record.topic(), record.kafkaPartition());
  }
}
