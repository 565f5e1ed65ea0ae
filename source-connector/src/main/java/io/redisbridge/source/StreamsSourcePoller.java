package io.redisbridge.source;

import io.redisbridge.common.config.DeadLetterConfig;
import io.redisbridge.common.config.RetryConfig;
import io.redisbridge.common.redis.RedisTopology;
import io.redisbridge.common.retry.RedisAvailability;
import io.redisbridge.common.retry.RedisErrors;
import io.redisbridge.common.retry.RedisStallWatch;
import io.redisbridge.source.ack.AckQueue;
import io.redisbridge.source.ack.Acknowledger;
import io.redisbridge.source.ack.InFlightEntries;
import io.redisbridge.source.metrics.SourceProgress;
import io.redisbridge.source.metrics.StreamGroupStats;
import io.redisbridge.source.read.ConsumerIdentity;
import io.redisbridge.source.read.DeletedStreams;
import io.redisbridge.source.read.DeliveryCounts;
import io.redisbridge.source.read.ReadAhead;
import io.redisbridge.source.read.StreamEntry;
import io.redisbridge.source.read.StreamNames;
import io.redisbridge.source.read.StreamReader;
import io.redisbridge.source.recover.DeliveryMode;
import io.redisbridge.source.recover.EntryDeadLetters;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.storage.OffsetStorageReader;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

/**
 * One poll of the source task, in the order an entry travels: acknowledge what Kafka confirmed, recover
 * what other consumers left pending (the {@link DeliveryMode}) or read (own history first, then new
 * entries, one batch ahead), and hand what was read to the {@link EntryRouter}. Failures of Redis are
 * retried with backoff; streams deleted under the task are handled by {@link TaskStreams}.
 *
 * <p>Runs on the task's I/O thread. The one cross-thread input is {@link AckQueue}.
 */
final class StreamsSourcePoller {

  private final RedisStreamsSourceTaskConfig config;
  /** Most entries one poll reads. */
  private final int readCount;
  private final UnifiedJedis redis;
  private final ConsumerIdentity identity;
  private final AckQueue ackQueue;
  private final InFlightEntries inFlight = new InFlightEntries();
  private final Acknowledger acknowledger;
  private final StreamReader reader;
  /** Acks and new entries read while Connect sends the last batch; see {@link ReadAhead}. */
  private final ReadAhead readAhead;
  /** At-least-once claims or exactly-once replay of departed consumers, chosen at start. */
  private final DeliveryMode mode;
  private final EntryRouter router;
  private final EntryDeadLetters deadLetters;
  /** The streams still there, and what happens when one is deleted. */
  private final TaskStreams streams;
  private final SourceProgress progress;
  private final StreamGroupStats groupStats;
  private final RedisAvailability availability;
  /** Every Redis call of the task goes through it, so a stall is reported; see {@link RedisStallWatch}. */
  private final RedisStallWatch watch;
  private final Clock clock;
  private final CountDownLatch stopSignal;
  private boolean groupsReady;

  /**
   * @param readCount most entries one poll reads ({@link RedisStreamsSourceConfig#readCountPerPoll})
   */
  StreamsSourcePoller(RedisStreamsSourceTaskConfig config, int readCount, UnifiedJedis redis,
      ToIntFunction<String> slotOf, AckQueue ackQueue, Clock clock, CountDownLatch stopSignal,
      OffsetStorageReader offsetReader, RedisStallWatch watch) {
    this.config = config;
    this.readCount = readCount;
    this.watch = watch;
    this.redis = redis;
    this.identity = new ConsumerIdentity(config.consumerGroup(), config.consumerName());
    this.ackQueue = ackQueue;
    this.clock = clock;
    this.stopSignal = stopSignal;
    DeliveryCounts deliveryCounts = new DeliveryCounts(redis, identity);
    this.acknowledger = new Acknowledger(redis, identity, ackQueue, inFlight);
    this.reader = new StreamReader(redis, identity, config.streams(), slotOf, deliveryCounts)
        .namingAtMost(readCount / StreamReader.ENTRIES_PER_STREAM_READ)
        .stopsWhen(() -> stopSignal.getCount() == 0)
        .replaysOnceMoreAt(clock.millis() + StreamReader.PREDECESSOR_GRACE_MS);
    this.readAhead = new ReadAhead("redis-read-ahead-" + identity.consumer(), acknowledger, (acks, count) -> {
      watch.run("XACK", () -> acknowledger.send(acks));
      return watch.call("XREADGROUP", () -> reader.read(count, config.readBlockMs()));
    });
    this.streams = new TaskStreams(config, redis, identity, reader, watch);
    this.mode = DeliveryMode.of(config, redis, identity, streams.active(), deliveryCounts, offsetReader, clock, slotOf);
    this.groupStats = new StreamGroupStats(redis, streams.active(), config.consumerGroup(), clock);
    this.deadLetters = new EntryDeadLetters(redis, identity, config.deadLetterTemplate(),
        DeadLetterConfig.stream(config), slotOf, RetryConfig.backoff(config), clock, watch);
    this.progress = new SourceProgress(identity, config.streams(), acknowledger, inFlight, deadLetters, mode, clock);
    this.router = new EntryRouter(config, identity, mode, deadLetters, acknowledger, inFlight, progress,
        this::flushAcks);
    this.availability = new RedisAvailability("streams " + StreamNames.brief(config.streams()) + " " + identity,
        RetryConfig.backoff(config));
  }

  ConsumerIdentity identity() {
    return identity;
  }

  /** Records for Kafka, or null when there is nothing this time. */
  List<SourceRecord> poll() throws InterruptedException {
    if (!reader.hasStreams()) {
      // No stream assigned (more tasks than streams, or none matches the pattern yet), or all deleted.
      stopSignal.await(config.readBlockMs(), TimeUnit.MILLISECONDS);
      return null;
    }
    try {
      List<SourceRecord> records = pollOnce();
      if (availability.succeeded()) {
        // Whatever a lost reply delivered to this consumer is in its pending list: read it again.
        reader.replayHistory();
      }
      // A predecessor still stopping when this task started may have read entries as this consumer since.
      reader.replayOnceMoreWhenDue(clock.millis());
      readAheadWhenDue();
      groupStats.sampleWhenDue();
      progress.logWhenDue();
      return records.isEmpty() ? null : records;
    } catch (RuntimeException e) {
      if (DeletedStreams.mayExplain(e)) {
        readAhead.settle();
        if (streams.recoverDeleted()) {
          return null;
        }
      }
      if (stopSignal.getCount() == 0) {
        return null; // stopping: the task closed the client under this call
      }
      if (!RedisErrors.isTransient(e)) {
        throw new ConnectException("Source task for streams " + StreamNames.brief(config.streams()) + " (" + identity
            + ") failed: " + e.getMessage(), e);
      }
      long delay = availability.failed(e);
      RedisTopology.refreshAfterFailure(redis);
      readAhead.settle();
      reader.replayHistory();
      stopSignal.await(delay, TimeUnit.MILLISECONDS);
      return null;
    }
  }

  private List<SourceRecord> pollOnce() throws InterruptedException {
    if (!groupsReady) {
      streams.createGroups();
      groupsReady = true;
      mode.started(identity, config.streams());
    }
    if (readAhead.ahead()) {
      return router.route(readAhead.take(), identity.consumer(), false);
    }
    flushAcks();
    deadLetters.writeOwed();
    int capacity = config.maxInFlight() - inFlight.size();
    if (capacity <= 0) {
      // At the cap: wait for Kafka to confirm something rather than read more.
      if (ackQueue.awaitConfirmation(config.readBlockMs())) {
        flushAcks();
      }
      capacity = config.maxInFlight() - inFlight.size();
      if (capacity <= 0) {
        return List.of();
      }
    }
    if (mode.recoveryDue()) {
      int room = capacity;
      DeliveryMode.Recovered recovered = watch.call(mode.recoveryCommands(),
          () -> mode.recover(room, readCount, inFlight::contains));
      if (recovered != null) {
        List<StreamEntry> entries = recovered.pending() ? inFlight.without(recovered.entries()) : recovered.entries();
        return router.route(entries, recovered.consumer(), recovered.pending());
      }
    }
    int count = Math.min(readCount, capacity);
    boolean history = reader.replayingHistory();
    List<StreamEntry> read = watch.call("XREADGROUP", () -> reader.read(count, config.readBlockMs()));
    // New entries (">") were never delivered before, so only a history read can hold one in flight.
    return router.route(history ? inFlight.without(read) : read, identity.consumer(), history);
  }

  /**
   * Starts reading the next new entries, unless the next poll has other work first (history to replay,
   * a claim or departed-consumer run) or the in-flight cap leaves no room.
   */
  private void readAheadWhenDue() {
    if (readAhead.ahead() || reader.replayingHistory() || mode.recoveryDue()) {
      return;
    }
    int capacity = config.maxInFlight() - inFlight.size();
    if (capacity > 0) {
      readAhead.start(Math.min(readCount, capacity));
    }
  }

  /** Ends the read ahead, if any; for a stopping task. */
  void close() {
    readAhead.close();
  }

  /** Acknowledges what Kafka confirmed so far, once, without retrying; for a stopping task. */
  void flushAcksQuietly() {
    try {
      flushAcks();
    } catch (RuntimeException e) {
      LoggerFactory.getLogger(StreamsSourcePoller.class).warn("Could not acknowledge {} confirmed entries while "
          + "stopping ({}); they stay pending and are delivered again on restart: {}", acknowledger.backlog(),
          identity, e.toString());
    }
  }

  private void flushAcks() {
    if (acknowledger.backlog() > 0) {
      watch.run("XACK", acknowledger::flush);
    }
  }

  SourceProgress progress() {
    return progress;
  }

  StreamGroupStats groupStats() {
    return groupStats;
  }
}
