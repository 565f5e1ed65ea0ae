package io.redisbridge.source;

import io.redisbridge.source.ack.Acknowledger;
import io.redisbridge.source.ack.InFlightEntries;
import io.redisbridge.source.map.EntryRecordMapper;
import io.redisbridge.source.map.MappingException;
import io.redisbridge.source.map.SourcePartitions;
import io.redisbridge.source.metrics.SourceProgress;
import io.redisbridge.source.read.ConsumerIdentity;
import io.redisbridge.source.read.EntryRef;
import io.redisbridge.source.read.StreamEntry;
import io.redisbridge.source.recover.DeliveryMode;
import io.redisbridge.source.recover.EntryDeadLetters;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sorts the entries a read or a recovery returned: records for Kafka, dead letters (delivered too often,
 * too large, unmappable) and entries to acknowledge as they are (deleted before delivery; exactly once:
 * already in Kafka). An entry counts as in flight only once nothing left can fail.
 */
final class EntryRouter {

  private static final Logger log = LoggerFactory.getLogger(EntryRouter.class);

  private final RedisStreamsSourceConfig config;
  private final ConsumerIdentity identity;
  private final DeliveryMode mode;
  private final EntryRecordMapper mapper;
  private final SourcePartitions partitions;
  private final EntryDeadLetters deadLetters;
  private final Acknowledger acknowledger;
  private final InFlightEntries inFlight;
  private final SourceProgress progress;
  /** Sends what the acknowledger holds, through the stall watch. */
  private final Runnable flushAcks;
  /** redis.max.deliveries and entry.max.bytes, read once: a config getter records its key on every call. */
  private final int maxDeliveries;
  private final int entryMaxBytes;

  EntryRouter(RedisStreamsSourceConfig config, ConsumerIdentity identity, DeliveryMode mode,
      EntryDeadLetters deadLetters, Acknowledger acknowledger, InFlightEntries inFlight, SourceProgress progress,
      Runnable flushAcks) {
    this.config = config;
    this.identity = identity;
    this.mode = mode;
    this.mapper = new EntryRecordMapper(config);
    this.partitions = new SourcePartitions(config.consumerGroup(), config.exactlyOnce());
    this.deadLetters = deadLetters;
    this.acknowledger = acknowledger;
    this.inFlight = inFlight;
    this.progress = progress;
    this.flushAcks = flushAcks;
    this.maxDeliveries = config.maxDeliveries();
    this.entryMaxBytes = config.entryMaxBytes();
  }

  /**
   * The records of {@code entries}, read as {@code consumer}. Only {@code pending} entries (a consumer's own
   * history) can be in Kafka already: new entries never were, even below a consumer's offset after the
   * offsets API moved the group back.
   */
  List<SourceRecord> route(List<StreamEntry> entries, String consumer, boolean pending) {
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
      flushAcks.run();
      progress.deletedAcked(deleted.size());
      log.warn("Acknowledged {} pending entries that no longer exist in their stream (trimmed or deleted "
          + "before delivery), first: {} {} ({})", deleted.size(), deleted.get(0).stream(), deleted.get(0).id(),
          identity);
    }
    if (!inKafka.isEmpty()) {
      acknowledger.ackDirectly(inKafka);
      flushAcks.run();
      progress.alreadyInKafka(inKafka.size());
      log.info("Acknowledged {} pending entries of consumer {} that Kafka already has (produced by a run that "
          + "stopped before acknowledging them), first: {} {} ({})", inKafka.size(), consumer,
          inKafka.get(0).stream(), inKafka.get(0).id(), identity);
    }
    produced.forEach(inFlight::add);
    progress.delivered(records.size());
    return records;
  }

  private String rejectionReason(StreamEntry entry) {
    if (entry.deleted()) {
      return null;
    }
    if (entry.deliveryCount() > maxDeliveries) {
      return "delivered " + entry.deliveryCount() + " times, more than redis.max.deliveries=" + maxDeliveries;
    }
    if (entryMaxBytes > 0 && entry.contentBytes() > entryMaxBytes) {
      return "entry holds " + entry.contentBytes() + " bytes, more than entry.max.bytes=" + entryMaxBytes;
    }
    return null;
  }
}
