package io.redisbridge.source;

import io.redisbridge.common.config.DeadLetterConfig;
import io.redisbridge.common.config.RetryConfig;
import io.redisbridge.common.redis.RedisTopology;
import io.redisbridge.common.retry.RedisAvailability;
import io.redisbridge.common.retry.RedisErrors;
import io.redisbridge.common.retry.RedisStallWatch;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.storage.OffsetStorageReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.UnifiedJedis;

/**
 * One poll of the source task: acknowledge what Kafka confirmed, then claim stale entries or read
 * (own history first, then new entries), sort out entries that must not go to Kafka (deleted,
 * delivered too often, too large, unmappable) and turn the rest into records.
 *
 * <p>Runs on the task's poll thread. The one cross-thread input is {@link AckQueue}.
 */
final class StreamsSourcePoller {

  private static final Logger log = LoggerFactory.getLogger(StreamsSourcePoller.class);
  private static final long STATS_INTERVAL_MS = 60_000;
  /**
   * How long after its start a task reads its own pending entries once more. Connect can start a task
   * while the previous instance of it is still stopping (up to task.shutdown.graceful.timeout.ms, 5 s by
   * default, or longer for an orphan): what that one read after this task replayed its history is pending
   * under this consumer's name, and would otherwise wait for a claim (redis.claim.min.idle.ms).
   */
  static final long PREDECESSOR_GRACE_MS = 10_000;

  private final RedisStreamsSourceTaskConfig config;
  private final UnifiedJedis redis;
  private final ConsumerIdentity identity;
  private final AckQueue ackQueue;
  private final InFlightEntries inFlight = new InFlightEntries();
  private final Acknowledger acknowledger;
  private final StreamReader reader;
  /** Acks and new entries read while Connect sends the last batch; see {@link ReadAhead}. */
  private final ReadAhead readAhead;
  /** The confirmed entries the read ahead acknowledges, until its result is taken. */
  private List<EntryRef> acksAhead = List.of();
  /** At-least-once claims or exactly-once replay of departed consumers, chosen at start. */
  private final DeliveryMode mode;
  private final SourcePartitions partitions;
  private final EntryDeadLetters deadLetters;
  private final StreamGroupStats groupStats;
  private final EntryRecordMapper mapper;
  private final RedisAvailability availability;
  /** Every Redis call of the task goes through it, so a stall is reported; see {@link RedisStallWatch}. */
  private final RedisStallWatch watch;
  private final Clock clock;
  private final CountDownLatch stopSignal;
  private boolean groupsReady;
  /** The task's streams that still exist; shared with the claimer, departed-consumer replay and group stats. */
  private final List<String> activeStreams;
  // Written by the poll thread only; volatile because JMX reads them from its own.
  private volatile long delivered;
  private volatile long deletedAcked;
  private volatile long alreadyInKafka;
  private long nextStatsAt;
  /** When to replay this consumer's pending entries once more; 0 once done. */
  private long predecessorReplayAt;

  StreamsSourcePoller(RedisStreamsSourceTaskConfig config, UnifiedJedis redis, SlotFunction slotOf,
      AckQueue ackQueue, Clock clock, CountDownLatch stopSignal, OffsetStorageReader offsetReader,
      RedisStallWatch watch) {
    this.config = config;
    this.watch = watch;
    this.redis = redis;
    this.identity = new ConsumerIdentity(config.consumerGroup(), config.consumerName());
    this.activeStreams = new ArrayList<>(config.streams());
    this.ackQueue = ackQueue;
    this.clock = clock;
    this.stopSignal = stopSignal;
    DeliveryCounts deliveryCounts = new DeliveryCounts(redis, identity);
    this.acknowledger = new Acknowledger(redis, identity, ackQueue, inFlight);
    this.reader = new StreamReader(redis, identity, config.streams(), slotOf, deliveryCounts)
        .stopsWhen(() -> stopSignal.getCount() == 0);
    this.readAhead = new ReadAhead("redis-read-ahead-" + identity.consumer(), (acks, count) -> {
      watch.run("XACK", () -> acknowledger.send(acks));
      return watch.call("XREADGROUP", () -> reader.read(count, config.readBlockMs()));
    });
    this.partitions = new SourcePartitions(config.consumerGroup(), config.exactlyOnce());
    this.mode = config.exactlyOnce()
        ? new ExactlyOnceDelivery(new DepartedConsumers(redis, identity, activeStreams, config.readersOfItsStreams(),
            config.claimIntervalMs(), config.claimMinIdleMs(), clock, slotOf),
            new ProducedEntries(offsetReader, partitions), config.streams())
        : new AtLeastOnceDelivery(new StaleEntryClaimer(redis, identity, activeStreams, config.claimIntervalMs(),
            config.claimMinIdleMs(), config.claimCount(), clock, deliveryCounts), identity.consumer());
    this.groupStats = new StreamGroupStats(redis, activeStreams, config.consumerGroup(), clock);
    this.deadLetters = new EntryDeadLetters(redis, identity, config.deadLetterTemplate(),
        DeadLetterConfig.stream(config), slotOf, RetryConfig.backoff(config), clock, watch);
    this.mapper = new EntryRecordMapper(config);
    this.availability = new RedisAvailability("streams " + StreamNames.brief(config.streams()) + " " + identity,
        RetryConfig.backoff(config));
    this.nextStatsAt = clock.millis() + STATS_INTERVAL_MS;
    this.predecessorReplayAt = clock.millis() + PREDECESSOR_GRACE_MS;
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
      if (predecessorReplayAt != 0 && clock.millis() >= predecessorReplayAt) {
        predecessorReplayAt = 0;
        reader.replayHistory();
      }
      readAheadWhenDue();
      groupStats.sampleWhenDue();
      logStatsWhenDue();
      return records.isEmpty() ? null : records;
    } catch (RuntimeException e) {
      if (DeletedStreams.mayExplain(e) && forgetDeletedStreams()) {
        return null;
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
      // What a read still ahead returns is pending for this consumer: the history replay reads it again.
      readAhead.settle();
      acknowledger.requeue(acksAhead);
      acksAhead = List.of();
      reader.replayHistory();
      stopSignal.await(delay, TimeUnit.MILLISECONDS);
      return null;
    }
  }

  /**
   * After a read failed as if a stream were missing: stops reading the streams that are gone, and says so
   * once for each; false when none is (then the failure has another cause, e.g. a destroyed group).
   */
  private boolean forgetDeletedStreams() throws InterruptedException {
    readAhead.settle();
    acknowledger.requeue(acksAhead);
    acksAhead = List.of();
    List<String> gone;
    try {
      gone = watch.call("EXISTS", () -> DeletedStreams.among(redis, activeStreams));
    } catch (RuntimeException e) {
      return false; // Redis cannot say now; the failure takes its usual path
    }
    if (gone.isEmpty()) {
      return false;
    }
    if (config.streamsPattern().isEmpty()) {
      // A listed stream is read whatever happens to it: from its start, since all it holds now is new.
      watch.run("XGROUP CREATE", () -> ConsumerGroupSetup.ensureGroups(redis, gone, config.consumerGroup(),
          new StreamEntryID(0, 0), true));
      gone.forEach(stream -> log.warn("Stream {} was deleted while {} read it; its pending entries went with "
          + "it. The task made the group again and reads the stream from its start", stream, identity));
    } else {
      forget(gone);
    }
    reader.replayHistory();
    return true;
  }

  private void forget(List<String> gone) {
    // The delivery mode's recovery and the group stats read activeStreams itself.
    activeStreams.removeAll(gone);
    reader.forget(gone);
    for (String stream : gone) {
      log.warn("Stream {} was deleted while {} read it; its pending entries went with it. The task reads its "
          + "other {} streams", stream, identity, activeStreams.size());
    }
  }

  private List<SourceRecord> pollOnce() throws InterruptedException {
    if (!groupsReady) {
      // A stream found by a pattern may be gone by now: creating it again would bring it back, empty.
      List<String> missing = watch.call("XGROUP CREATE", () -> ConsumerGroupSetup.ensureGroups(redis,
          config.streams(), config.consumerGroup(), config.groupStartId(), config.streamsPattern().isEmpty()));
      if (!missing.isEmpty()) {
        forget(missing);
      }
      groupsReady = true;
      mode.started(identity, config.streams());
    }
    if (readAhead.ahead()) {
      List<StreamEntry> read = readAhead.take();
      acknowledger.sent(acksAhead);
      acksAhead = List.of();
      return route(read, identity.consumer(), false);
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
          () -> mode.recover(room, config.readCount(), inFlight::contains));
      if (recovered != null) {
        List<StreamEntry> entries = recovered.pending() ? notInFlight(recovered.entries()) : recovered.entries();
        return route(entries, recovered.consumer(), recovered.pending());
      }
    }
    int count = Math.min(config.readCount(), capacity);
    boolean history = reader.replayingHistory();
    List<StreamEntry> read = watch.call("XREADGROUP", () -> reader.read(count, config.readBlockMs()));
    // New entries (">") were never delivered before, so only a history read can hold one in flight.
    return route(history ? notInFlight(read) : read, identity.consumer(), history);
  }

  /**
   * Starts reading the next new entries, unless the next poll has other work first (history to replay,
   * a claim or departed-consumer run) or the in-flight cap leaves no room.
   */
  private void readAheadWhenDue() {
    if (readAhead.ahead() || reader.replayingHistory() || mode.recoveryDue()) {
      return;
    }
    // Entries about to be acknowledged still count as in flight here: the cap holds either way.
    int capacity = config.maxInFlight() - inFlight.size();
    if (capacity > 0) {
      acksAhead = acknowledger.takeConfirmed();
      readAhead.start(acksAhead, Math.min(config.readCount(), capacity));
    }
  }

  /** Ends the read ahead, if any; for a stopping task. */
  void close() {
    readAhead.close();
  }

  /** History replays (after an outage, or of a departed consumer) also return entries still on their way to Kafka. */
  private List<StreamEntry> notInFlight(List<StreamEntry> read) {
    List<StreamEntry> fresh = new ArrayList<>(read.size());
    for (StreamEntry entry : read) {
      if (!inFlight.contains(entry.ref())) {
        fresh.add(entry);
      }
    }
    return fresh;
  }

  /**
   * Sorts entries read as {@code consumer} into records, dead letters and entries to acknowledge as they
   * are. Only {@code pending} entries (a consumer's own history) can be in Kafka already: new entries
   * never were, even below a consumer's offset after the offsets API moved the group back.
   */
  private List<SourceRecord> route(List<StreamEntry> entries, String consumer, boolean pending) {
    List<SourceRecord> records = new ArrayList<>(entries.size());
    List<EntryRef> produced = new ArrayList<>(entries.size());
    List<EntryRef> deleted = new ArrayList<>();
    List<EntryRef> inKafka = new ArrayList<>();
    List<EntryDeadLetters.Rejected> rejected = new ArrayList<>();
    for (StreamEntry entry : entries) {
      String reason = rejectionReason(entry);
      if (entry.deleted()) {
        deleted.add(entry.ref());
      } else if (pending && mode.alreadyInKafka(entry, consumer)) {
        // Before the dead-letter rule: an entry Kafka has must not also become a dead letter.
        inKafka.add(entry.ref());
      } else if (reason != null) {
        rejected.add(new EntryDeadLetters.Rejected(entry, reason));
      } else {
        try {
          records.add(mapper.toRecord(entry, partitions.of(entry.stream(), consumer)));
          produced.add(entry.ref());
        } catch (MappingException e) {
          rejected.add(new EntryDeadLetters.Rejected(entry, e.getMessage()));
        }
      }
    }
    deadLetters.write(rejected);
    if (!deleted.isEmpty()) {
      acknowledger.ackDirectly(deleted);
      flushAcks();
      deletedAcked += deleted.size();
      log.warn("Acknowledged {} pending entries that no longer exist in their stream (trimmed or deleted "
          + "before delivery), first: {} {} ({})", deleted.size(), deleted.get(0).stream(), deleted.get(0).id(),
          identity);
    }
    if (!inKafka.isEmpty()) {
      acknowledger.ackDirectly(inKafka);
      flushAcks();
      alreadyInKafka += inKafka.size();
      log.info("Acknowledged {} pending entries of consumer {} that Kafka already has (produced by a run that "
          + "stopped before acknowledging them), first: {} {} ({})", inKafka.size(), consumer,
          inKafka.get(0).stream(), inKafka.get(0).id(), identity);
    }
    // Only now, with nothing left that can fail, do the entries count as in flight.
    produced.forEach(inFlight::add);
    delivered += records.size();
    return records;
  }

  private String rejectionReason(StreamEntry entry) {
    if (entry.deleted()) {
      return null;
    }
    if (entry.deliveryCount() > config.maxDeliveries()) {
      return "delivered " + entry.deliveryCount() + " times, more than redis.max.deliveries="
          + config.maxDeliveries();
    }
    if (config.entryMaxBytes() > 0 && entry.contentBytes() > config.entryMaxBytes()) {
      return "entry holds " + entry.contentBytes() + " bytes, more than entry.max.bytes=" + config.entryMaxBytes();
    }
    return null;
  }

  /** Acknowledges what Kafka confirmed so far, once, without retrying; for a stopping task. */
  void flushAcksQuietly() {
    try {
      flushAcks();
    } catch (RuntimeException e) {
      log.warn("Could not acknowledge {} confirmed entries while stopping ({}); they stay pending and are "
          + "delivered again on restart: {}", acknowledger.backlog(), identity, e.toString());
    }
  }

  private void flushAcks() {
    if (acknowledger.backlog() > 0) {
      watch.run("XACK", acknowledger::flush);
    }
  }

  private void logStatsWhenDue() {
    long now = clock.millis();
    if (now < nextStatsAt) {
      return;
    }
    nextStatsAt = now + STATS_INTERVAL_MS;
    log.info("Source {} streams {}: delivered {}, acknowledged {}, in flight {}, dead-lettered {}, "
        + "deleted while pending {}, already in Kafka {}", identity, StreamNames.brief(config.streams()), delivered,
        acknowledger.ackedTotal(), inFlight.size(), deadLetters.writtenTotal(),
        deletedAcked + mode.deletedSeen(), alreadyInKafka);
  }

  long delivered() {
    return delivered;
  }

  long acknowledged() {
    return acknowledger.ackedTotal();
  }

  int inFlight() {
    return inFlight.size();
  }

  long deadLettered() {
    return deadLetters.writtenTotal();
  }

  int deadLettersOwed() {
    return deadLetters.owed();
  }

  long deletedWhilePending() {
    return deletedAcked + mode.deletedSeen();
  }

  long alreadyInKafka() {
    return alreadyInKafka;
  }

  RedisStreamsSourceConfig config() {
    return config;
  }

  StreamGroupStats groupStats() {
    return groupStats;
  }

  /** The entry an acknowledged record came from. */
  static EntryRef refOf(SourceRecord record) {
    if (record instanceof EntryRecord entryRecord) {
      return entryRecord.entry();
    }
    return new EntryRef((String) record.sourcePartition().get(SourceOffsets.STREAM),
        new StreamEntryID((String) record.sourceOffset().get(SourceOffsets.ENTRY_ID)));
  }

  /** The slot a key hashes to in cluster mode; a constant outside it. */
  @FunctionalInterface
  interface SlotFunction extends ToIntFunction<String> {}
}
