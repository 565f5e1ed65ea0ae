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
 * task gets it, and whenever that offset is found rolled back, before anything more is written. Only when the stream
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
  /** Partitions that arrived while their stored offsets could not be read. */
  private final Set<TopicPartition> unchecked = new HashSet<>();

  StoredOffsetResume(StreamOffsetStore offsets, RecordFieldMapper mapper, SinkTaskContext context, String task) {
    this.offsets = offsets;
    this.mapper = mapper;
    this.context = context;
    this.task = task;
  }

  void opened(Collection<TopicPartition> partitions) {
    assigned.addAll(partitions);
    unchecked.addAll(partitions);
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
    unchecked.removeAll(partitions);
    offsets.forget(); // another task may write these partitions now
  }

  /**
   * The records of {@code batch} to write now. The stored offsets of the batch's partitions are read
   * again for every batch (one pipelined round trip, which the writer then needs no more): a failover can
   * roll writes back without the task seeing any error, since a Sentinel client switches to the new
   * primary by itself and a cluster client may learn the new slot map through another command. A
   * partition whose stored offset went back below what the task knew was stored (its own commits, or the
   * last read) moves back to it, and its records are left out: Connect delivers them again from there,
   * in order. Where the task knows nothing yet (a partition that just arrived), it moves to the stored
   * offset when that is behind where Connect delivers from. A stored offset below the next delivered
   * record is not a rollback in itself: offsets have gaps (transaction markers of an exactly-once source),
   * and records at or below it are skipped by {@link TransactionalStreamWriter} anyway.
   */
  Collection<SinkRecord> admit(Collection<SinkRecord> batch) {
    if (mapper.streamUsesKey()) {
      unchecked.clear();
      return batch;
    }
    Set<TopicPartition> check = new HashSet<>(unchecked);
    Map<TopicPartition, Long> from = new HashMap<>();
    for (SinkRecord record : batch) {
      TopicPartition partition = new TopicPartition(record.topic(), record.kafkaPartition());
      check.add(partition);
      from.merge(partition, record.kafkaOffset(), Math::min);
    }
    Set<TopicPartition> rewound = rewindRolledBack(check, from);
    unchecked.clear();
    if (rewound.isEmpty()) {
      return batch;
    }
    List<SinkRecord> kept = new ArrayList<>(batch.size());
    for (SinkRecord record : batch) {
      if (!rewound.contains(new TopicPartition(record.topic(), record.kafkaPartition()))) {
        kept.add(record);
      }
    }
    return kept;
  }

  /** Moves each partition of {@code check} whose stored offset was rolled back, or is behind on arrival. */
  private Set<TopicPartition> rewindRolledBack(Set<TopicPartition> check, Map<TopicPartition, Long> from) {
    Map<TopicPartition, String> streams = new HashMap<>();
    for (TopicPartition partition : check) {
      String stream = mapper.streamOf(partition.topic(), partition.partition());
      if (assigned.contains(partition) && StreamOffsetStore.canKeep(stream)) {
        streams.put(partition, stream);
      }
    }
    Map<TopicPartition, Long> known = new HashMap<>();
    streams.forEach((partition, stream) -> {
      Long cached = unchecked.contains(partition) ? null : offsets.cached(stream, partition);
      if (cached != null) {
        known.put(partition, cached);
      }
    });
    offsets.reload(streams.values().stream().distinct().toList());
    Map<TopicPartition, Long> resume = new HashMap<>();
    streams.forEach((partition, stream) -> {
      Long stored = offsets.next(stream, partition);
      Long before = known.get(partition);
      boolean rolledBack = before != null
          ? stored != null && stored < before
          : stored != null && stored < from.getOrDefault(partition, Long.MAX_VALUE);
      if (rolledBack) {
        resume.put(partition, stored);
      }
    });
    if (!resume.isEmpty()) {
      context.offset(resume);
      log.info("Sink task {} resumes {} partitions from the offsets stored in Redis: {}", task, resume.size(), resume);
    }
    return resume.keySet();
  }
}
