package io.redisbridge.sink;

import io.redisbridge.common.retry.RedisErrors;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTaskContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exactly-once: the offsets stored in Redis, not Kafka's, decide where each partition resumes. They are
 * ahead of Kafka's commit after a crash between EXEC and the commit, and behind it after a failover that
 * rolled writes back. So each partition is moved to its stored offset ({@code context.offset}) when the
 * task gets it, and after every Redis failure when that offset is behind the records Connect delivers,
 * before anything more is written. Only when the stream
 * template names one stream per partition: with ${key} the streams of a partition are not known, and the
 * per-stream skip in {@link TransactionalStreamWriter} is what remains.
 *
 * <p>Only the task thread uses it.
 */
final class StoredOffsetResume {

  private static final Logger log = LoggerFactory.getLogger(StoredOffsetResume.class);

  private final StreamOffsetStore offsets;
  private final RecordFieldMapper mapper;
  private final SinkTaskContext context;
  private final String task;
  private final Set<TopicPartition> assigned = new HashSet<>();
  /** Per partition, the offset after the last record the task was given: where Connect delivers from next. */
  private final Map<TopicPartition, Long> delivering = new HashMap<>();
  /** Offsets were not read from Redis since the partitions arrived or Redis last failed. */
  private boolean uncertain;

  StoredOffsetResume(StreamOffsetStore offsets, RecordFieldMapper mapper, SinkTaskContext context, String task) {
    this.offsets = offsets;
    this.mapper = mapper;
    this.context = context;
    this.task = task;
  }

  void opened(Collection<TopicPartition> partitions) {
    assigned.addAll(partitions);
    partitions.forEach(delivering::remove);
    rereadOffsets();
    try {
      admit(List.of());
    } catch (RuntimeException e) {
      if (!RedisErrors.isTransient(e)) {
        throw e;
      }
      // Redis is down: the first put() reads the offsets instead, before it writes anything.
      log.warn("Sink task {} could not read its stored offsets yet: {}", task, e.toString());
    }
  }

  void closed(Collection<TopicPartition> partitions) {
    assigned.removeAll(partitions);
    partitions.forEach(delivering::remove);
    offsets.forget(); // another task may write these partitions now
  }

  /** A transaction's fate is unknown and a failover may have rolled writes back: read the offsets again. */
  void redisFailed() {
    rereadOffsets();
  }

  private void rereadOffsets() {
    offsets.forget();
    uncertain = true;
  }

  /**
   * The records of {@code batch} to write now. After the offsets were read again, every partition whose
   * stored offset is behind where Connect is delivering from (a failover rolled writes back) moves back to
   * it, and its records are left out: Connect delivers them again from there, in order. A stored offset
   * at or ahead of that point needs no move: {@link TransactionalStreamWriter} skips what is already
   * written, and a batch retried after a replica shortfall still reaches its WAIT.
   */
  Collection<SinkRecord> admit(Collection<SinkRecord> batch) {
    if (uncertain) {
      Set<TopicPartition> rewound = rewindBehindPartitions(batch);
      if (!rewound.isEmpty()) {
        List<SinkRecord> kept = new ArrayList<>(batch.size());
        for (SinkRecord record : batch) {
          if (!rewound.contains(new TopicPartition(record.topic(), record.kafkaPartition()))) {
            kept.add(record);
          }
        }
        batch = kept;
      }
    }
    for (SinkRecord record : batch) {
      delivering.merge(new TopicPartition(record.topic(), record.kafkaPartition()), record.kafkaOffset() + 1,
          Math::max);
    }
    return batch;
  }

  private Set<TopicPartition> rewindBehindPartitions(Collection<SinkRecord> batch) {
    uncertain = false;
    if (mapper.streamUsesKey() || assigned.isEmpty()) {
      return Set.of();
    }
    Map<TopicPartition, Long> from = new HashMap<>(delivering);
    for (SinkRecord record : batch) {
      from.merge(new TopicPartition(record.topic(), record.kafkaPartition()), record.kafkaOffset(), Math::min);
    }
    Map<TopicPartition, String> streams = new HashMap<>();
    for (TopicPartition partition : assigned) {
      streams.put(partition, mapper.streamOf(partition.topic(), partition.partition()));
    }
    offsets.load(streams.values().stream().filter(StreamOffsetStore::canKeep).toList());
    Map<TopicPartition, Long> resume = new HashMap<>();
    streams.forEach((partition, stream) -> {
      Long next = StreamOffsetStore.canKeep(stream) ? offsets.next(stream, partition) : null;
      // Where Connect delivers from is unknown right after the partition arrived: go to the stored offset.
      if (next != null && next < from.getOrDefault(partition, Long.MAX_VALUE)) {
        resume.put(partition, next);
      }
    });
    if (!resume.isEmpty()) {
      context.offset(resume);
      delivering.putAll(resume);
      log.info("Sink task {} resumes {} partitions from the offsets stored in Redis: {}", task, resume.size(), resume);
    }
    return resume.keySet();
  }
}
