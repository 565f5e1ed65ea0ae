package io.redisbridge.sink;

import io.redisbridge.common.redis.Pipelines;
import io.redisbridge.common.redis.SameSlotKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;

/**
 * The Kafka offsets an exactly-once sink has written into each stream, kept in Redis beside the stream:
 * a hash {@code {<stream>}:kafka-offsets:<connector>} (same cluster slot as the stream) with one field
 * {@code <topic>:<partition>} per partition, holding the offset of the next record to write. The hash
 * changes only in the MULTI/EXEC that adds the entries, so it is the truth about what the stream holds,
 * also after a Redis restart or failover that lost writes. A per-task cache saves the reads.
 *
 * <p>Only the task thread uses an instance; {@link #keyOf} and the field codec serve the offsets API too.
 */
final class StreamOffsetStore {

  static final String KEY_INFIX = ":kafka-offsets:";

  private final UnifiedJedis redis;
  private final String connector;
  private final Map<String, Map<TopicPartition, Long>> nextByStream = new HashMap<>();

  StreamOffsetStore(UnifiedJedis redis, String connector) {
    this.redis = redis;
    this.connector = connector;
  }

  /** The hash of {@code stream}'s offsets for {@code connector}; empty when no key can share the slot. */
  static Optional<String> keyOf(String stream, String connector) {
    return SameSlotKey.of(stream, KEY_INFIX + connector);
  }

  static String field(TopicPartition partition) {
    return partition.topic() + ":" + partition.partition();
  }

  /** The partition a field names; null for a field this connector did not write. */
  static TopicPartition partitionOf(String field) {
    int colon = field.lastIndexOf(':');
    if (colon <= 0) {
      return null;
    }
    try {
      return new TopicPartition(field.substring(0, colon), Integer.parseInt(field.substring(colon + 1)));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  String key(String stream) {
    return keyOf(stream, connector).orElseThrow(() -> new IllegalArgumentException("stream " + stream
        + " has no hash tag yet contains '}', so no offsets key can share its cluster slot"));
  }

  /** Reads the stored offsets of every stream not yet known to the cache, in one round trip. */
  void load(Collection<String> streams) {
    List<String> missing = new ArrayList<>();
    for (String stream : streams) {
      if (!nextByStream.containsKey(stream) && !missing.contains(stream)) {
        missing.add(stream);
      }
    }
    if (missing.isEmpty()) {
      return;
    }
    List<Response<Map<String, String>>> replies = new ArrayList<>(missing.size());
    try (AbstractPipeline pipeline = Pipelines.open(redis)) {
      for (String stream : missing) {
        replies.add(pipeline.hgetAll(key(stream)));
      }
      pipeline.sync();
    }
    for (int i = 0; i < missing.size(); i++) {
      Map<TopicPartition, Long> next = new HashMap<>();
      replies.get(i).get().forEach((field, value) -> {
        TopicPartition partition = partitionOf(field);
        if (partition != null) {
          next.put(partition, Long.parseLong(value));
        }
      });
      nextByStream.put(missing.get(i), next);
    }
  }

  /** True when {@code stream} can have an offsets hash in its own cluster slot. */
  static boolean canKeep(String stream) {
    return SameSlotKey.of(stream, KEY_INFIX).isPresent();
  }

  /**
   * The offset of the next record of {@code partition} to write to {@code stream}; null when none was.
   * The stream must have been {@linkplain #load loaded}.
   */
  Long next(String stream, TopicPartition partition) {
    return nextByStream.get(stream).get(partition);
  }

  /** The cached next offset; null when the stream is not cached or has none for the partition. */
  Long cached(String stream, TopicPartition partition) {
    Map<TopicPartition, Long> next = nextByStream.get(stream);
    return next == null ? null : next.get(partition);
  }

  /** Reads the stored offsets of {@code streams} again, whatever the cache holds, in one round trip. */
  void reload(Collection<String> streams) {
    streams.forEach(nextByStream::remove);
    load(streams);
  }

  /** Records what a committed transaction stored. */
  void advanced(String stream, Map<TopicPartition, Long> next) {
    nextByStream.computeIfAbsent(stream, s -> new HashMap<>()).putAll(next);
  }

  /** Forgets the cache: after a Redis failure (a failover may have rolled writes back) or a rebalance. */
  void forget() {
    nextByStream.clear();
  }
}
