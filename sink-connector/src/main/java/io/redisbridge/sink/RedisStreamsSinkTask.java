package io.redisbridge.sink;

import io.redisbridge.common.BridgeVersion;
import io.redisbridge.common.config.DeadLetterConfig;
import io.redisbridge.common.config.RedisConnectionConfig;
import io.redisbridge.common.config.RedisConnectionSettings;
import io.redisbridge.common.config.RetryConfig;
import io.redisbridge.common.redis.RedisTopology;
import io.redisbridge.common.redis.RedisClients;
import io.redisbridge.common.retry.RedisAvailability;
import io.redisbridge.common.retry.RedisErrors;
import io.redisbridge.common.retry.RedisStallWatch;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

/**
 * Writes each {@code put()} batch before returning, so every offset Connect commits afterwards belongs
 * to a record Redis has (or a failed record routed to a dead letter): with pipelined XADDs
 * (at-least-once), or with {@code exactly.once.enabled} in one MULTI/EXEC per stream together with the
 * offsets they cover ({@link TransactionalStreamWriter}), which then decide where reading resumes.
 * A thin adapter of the Connect lifecycle; all methods run on the task thread, and each batch's Redis
 * work on the task's I/O thread ({@link BoundedPuts}), so that put() stays short.
 */
public class RedisStreamsSinkTask extends SinkTask {

  private static final Logger log = LoggerFactory.getLogger(RedisStreamsSinkTask.class);
  private static final long STATS_INTERVAL_MS = 60_000;
  /**
   * The longest a put() waits for its writes. Connect calls stop() only between puts, and waits 5 s by
   * default (task.shutdown.graceful.timeout.ms) before it gives up on a stopping task.
   */
  static final long PUT_WAIT_MS = 3_000;
  /** How soon Connect offers a batch again whose writes are still under way. */
  private static final long RETRY_WHILE_WRITING_MS = 100;

  private UnifiedJedis redis;
  private RecordFieldMapper mapper;
  private TrimPolicy trimPolicy;
  private StreamWriter writer;
  private ReplicaAcks replicaAcks;
  private TransactionalStreamWriter transactionalWriter;
  private StoredOffsetResume resume;
  private MemoryGuard memoryGuard;
  private FailedRecords failedRecords;
  private RedisAvailability availability;
  private RedisStallWatch stallWatch;
  private BoundedPuts<Written> puts;
  private Clock clock;
  private String name;
  private final SinkCounts counts = new SinkCounts();
  private SinkTaskMetrics metrics;
  private long nextStatsAt;

  @Override
  public String version() {
    return BridgeVersion.get();
  }

  @Override
  public void start(Map<String, String> props) {
    RedisStreamsSinkConfig config = new RedisStreamsSinkConfig(props);
    RedisConnectionSettings settings = RedisConnectionConfig.read(config);
    name = props.getOrDefault("name", "redis-streams-sink") + " (stream "
        + config.getString(RedisStreamsSinkConfig.STREAM) + ")";
    clock = Clock.systemUTC();
    // WAIT goes in the batch's pipeline, whose replies are read within the socket timeout: make room for it.
    RedisConnectionSettings sinkSettings = config.waitReplicas() > 0
        ? settings.withSocketTimeoutExtendedBy(config.waitTimeoutMs()) : settings;
    redis = RedisClients.create(sinkSettings.withClientName(settings.clientName() + ":sink"));
    mapper = new RecordFieldMapper(config);
    trimPolicy = new TrimPolicy(config, clock);
    replicaAcks = new ReplicaAcks(config.waitReplicas(), config.waitTimeoutMs());
    writer = new StreamWriter(redis, replicaAcks, config.streamTtlMs());
    if (config.exactlyOnce()) {
      StreamOffsetStore offsets = new StreamOffsetStore(redis, props.getOrDefault("name", "redis-streams-sink"));
      transactionalWriter = new TransactionalStreamWriter(redis, offsets, replicaAcks, config.streamTtlMs());
      resume = new StoredOffsetResume(offsets, mapper, context, name);
    }
    memoryGuard = new MemoryGuard(redis, config.memoryGuardRatio(), config.memoryGuardIntervalMs(), clock);
    failedRecords = new FailedRecords(redis, errantRecordReporter(), config.deadLetterTemplate(),
        DeadLetterConfig.stream(config));
    availability = new RedisAvailability("sink " + name, RetryConfig.backoff(config));
    // Connect's own task id, <connector>-<n>: the stall log and the I/O thread's name carry it.
    String taskId = props.getOrDefault("name", "redis-streams-sink") + "-"
        + props.getOrDefault(RedisStreamsSinkConnector.TASK_INDEX, "0");
    stallWatch = new RedisStallWatch("sink task " + taskId,
        "stream " + config.getString(RedisStreamsSinkConfig.STREAM),
        RedisStallWatch.thresholdMs(sinkSettings.socketTimeoutMs(), 0));
    nextStatsAt = clock.millis() + STATS_INTERVAL_MS;
    puts = new BoundedPuts<>("redis-sink-io-" + taskId, PUT_WAIT_MS);
    metrics = new SinkTaskMetrics(props.getOrDefault("name", "redis-streams-sink"), props.getOrDefault(
        RedisStreamsSinkConnector.TASK_INDEX, "0"), counts, failedRecords, replicaAcks, stallWatch,
        () -> context.pluginMetrics());
    log.info("Started sink task {} ({})", name, resume == null ? "at-least-once" : "exactly once");
  }

  @Override
  public void open(Collection<TopicPartition> partitions) {
    if (resume != null) {
      resume.opened(partitions);
    }
  }

  @Override
  public void close(Collection<TopicPartition> partitions) {
    if (resume != null) {
      resume.closed(partitions);
    }
  }

  /** The worker's reporter, or null on workers without one or when the connector has no error tolerance. */
  private ErrantRecordReporter errantRecordReporter() {
    try {
      return context.errantRecordReporter();
    } catch (NoSuchMethodError | NoClassDefFoundError e) {
      return null;
    }
  }

  @Override
  public void put(Collection<SinkRecord> records) {
    if (records.isEmpty()) {
      return;
    }
    long started = System.nanoTime();
    try {
      Written batch = puts.run(records, () -> writeGuarded(records));
      counts.batchWritten(batch.attempted() - batch.outcome().refused().size() - batch.outcome().alreadyWritten(),
          batch.outcome().alreadyWritten(), System.nanoTime() - started);
      availability.succeeded();
      logStatsWhenDue();
    } catch (BoundedPuts.StillWriting e) {
      // Redis is slow or silent; the stall watch says so. The next put takes the outcome of this write.
      context.timeout(RETRY_WHILE_WRITING_MS);
      throw new RetriableException("Sink task " + name + ": " + e.getMessage() + " (Redis answers slowly or not at "
          + "all); Connect offers the batch again and the task waits for the writes under way");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RetriableException("Sink task " + name + " interrupted while writing", e);
    } catch (ExecutionException e) {
      failed(e.getCause());
    }
  }

  /** Handles a failed write: back off and have Connect redeliver, or fail the task when it can never work. */
  private void failed(Throwable failure) {
    if (failure instanceof MemoryGuardException e) {
      counts.memoryGuardWaited();
      long delay = availability.failed(e);
      context.timeout(delay);
      throw new RetriableException(e.getMessage() + "; retrying the batch in " + delay + " ms");
    }
    if (failure instanceof ConnectException e) {
      throw e;
    }
    if (!(failure instanceof RuntimeException) || !RedisErrors.isTransient(failure)) {
      throw new ConnectException("Sink task " + name + " failed: " + failure, failure);
    }
    counts.retried();
    RedisTopology.refreshAfterFailure(redis);
    if (transactionalWriter != null) {
      transactionalWriter.forget();
    }
    long delay = availability.failed(failure);
    context.timeout(delay);
    throw new RetriableException("Redis unavailable for " + name + "; Connect redelivers the batch in "
        + delay + " ms: " + failure.getMessage(), failure);
  }

  /** All of a put's Redis work, on the I/O thread: the memory guard, the writes, the dead letters. */
  private Written writeGuarded(Collection<SinkRecord> records) {
    if (memoryGuard.tooFull()) {
      throw new MemoryGuardException(String.format("Redis uses %.0f%% of maxmemory, above %s",
          memoryGuard.lastRatio() * 100, RedisStreamsSinkConfig.MEMORY_GUARD_RATIO));
    }
    Written batch = stallWatch.call(transactionalWriter != null ? "MULTI/EXEC of entries and offsets"
        : "XADD pipeline", () -> write(records));
    if (!batch.failures().isEmpty()) {
      stallWatch.run("XADD to the dead-letter stream", () -> failedRecords.handle(batch.failures()));
    }
    return batch;
  }

  /** What one put() wrote: the replies, how many writes were sent, and the records that failed. */
  private record Written(XAddReplies.Outcome outcome, int attempted, List<FailedRecords.Failure> failures) {}

  /** Writes the batch; returns the records that failed, for their dead letters. */
  private Written write(Collection<SinkRecord> records) {
    Collection<SinkRecord> batch = resume == null ? records : resume.admit(records);
    List<FailedRecords.Failure> failures = new ArrayList<>();
    XAddReplies.Outcome outcome;
    int attempted;
    if (transactionalWriter != null) {
      List<StreamWrite> writes = new ArrayList<>(batch.size());
      map(batch, writes::add, failures);
      // Failed records reach their dead letters before the transaction moves the stored offsets past them.
      failedRecords.handle(failures);
      failedRecords.awaitReports();
      failures.clear();
      outcome = transactionalWriter.write(writes, trimPolicy.forBatch());
      attempted = writes.size();
    } else {
      try (StreamWriter.Batch writes = writer.open(trimPolicy.forBatch())) {
        map(batch, writes::add, failures);
        outcome = writes.finish();
        attempted = writes.size();
      }
    }
    for (XAddReplies.Refused write : outcome.refused()) {
      failures.add(new FailedRecords.Failure(write.write().record(), write.reason(), null, write.write().fields()));
    }
    return new Written(outcome, attempted, failures);
  }

  /** Maps each record to its write, or to a failure; tombstones the mapper skips are only counted. */
  private void map(Collection<SinkRecord> batch, Consumer<StreamWrite> writes, List<FailedRecords.Failure> failures) {
    for (SinkRecord record : batch) {
      try {
        Optional<StreamWrite> write = mapper.toWrite(record);
        if (write.isPresent()) {
          writes.accept(write.get());
        } else {
          counts.tombstoneSkipped();
        }
      } catch (RecordConversionException e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        failures.add(new FailedRecords.Failure(record, e.getMessage(), cause, null));
      }
    }
  }

  @Override
  public Map<TopicPartition, OffsetAndMetadata> preCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {
    // put() returned only after Redis answered every XADD; what remains is Connect's dead-letter queue.
    failedRecords.awaitReports();
    return offsets;
  }

  private void logStatsWhenDue() {
    long now = clock.millis();
    if (now >= nextStatsAt) {
      nextStatsAt = now + STATS_INTERVAL_MS;
      log.info("Sink {}: written {}, already written (skipped) {}, dead-lettered {}, tombstones skipped {}, "
          + "batches retried for too few replicas {}", name, counts.written(), counts.alreadyWritten(),
          failedRecords.total(), counts.tombstonesSkipped(), replicaAcks.shortfalls());
    }
  }

  @Override
  public void stop() {
    if (metrics != null) {
      metrics.close();
    }
    if (redis != null) {
      // First the client: closing it cuts the connection a write under way may wait on.
      redis.close();
      puts.close();
      stallWatch.close();
      log.info("Stopped sink task {}", name);
    }
  }

  /** Redis is too full to take more writes for now. */
  private static final class MemoryGuardException extends RuntimeException {
    MemoryGuardException(String message) {
      super(message);
    }
  }
}
