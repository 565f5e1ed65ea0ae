package io.redisbridge.source.metrics;

import io.redisbridge.source.ack.Acknowledger;
import io.redisbridge.source.ack.InFlightEntries;
import io.redisbridge.source.read.ConsumerIdentity;
import io.redisbridge.source.read.StreamNames;
import io.redisbridge.source.recover.DeliveryMode;
import io.redisbridge.source.recover.EntryDeadLetters;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a source task has done so far, as its metrics and its once-a-minute INFO line show it. The counters
 * are written by the task's I/O thread; volatile because JMX reads them from its own.
 */
public final class SourceProgress {

  private static final Logger log = LoggerFactory.getLogger(SourceProgress.class);
  private static final long LOG_INTERVAL_MS = 60_000;

  private final ConsumerIdentity identity;
  private final List<String> streams;
  private final Acknowledger acknowledger;
  private final InFlightEntries inFlight;
  private final EntryDeadLetters deadLetters;
  private final DeliveryMode mode;
  private final Clock clock;
  private volatile long delivered;
  private volatile long deletedAcked;
  private volatile long alreadyInKafka;
  private long nextLogAt;

  public SourceProgress(ConsumerIdentity identity, List<String> streams, Acknowledger acknowledger,
      InFlightEntries inFlight, EntryDeadLetters deadLetters, DeliveryMode mode, Clock clock) {
    this.identity = identity;
    this.streams = List.copyOf(streams);
    this.acknowledger = acknowledger;
    this.inFlight = inFlight;
    this.deadLetters = deadLetters;
    this.mode = mode;
    this.clock = clock;
    this.nextLogAt = clock.millis() + LOG_INTERVAL_MS;
  }

  public void delivered(int count) {
    delivered += count;
  }

  public void deletedAcked(int count) {
    deletedAcked += count;
  }

  public void alreadyInKafka(int count) {
    alreadyInKafka += count;
  }

  /** One INFO line a minute: enough to see a task move without per-record logging. */
  public void logWhenDue() {
    long now = clock.millis();
    if (now < nextLogAt) {
      return;
    }
    nextLogAt = now + LOG_INTERVAL_MS;
    log.info("Source {} streams {}: delivered {}, acknowledged {}, in flight {}, dead-lettered {}, "
        + "deleted while pending {}, already in Kafka {}", identity, StreamNames.brief(streams), delivered,
        acknowledged(), inFlight(), deadLettered(), deletedWhilePending(), alreadyInKafka);
  }

  List<String> streams() {
    return streams;
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
}
