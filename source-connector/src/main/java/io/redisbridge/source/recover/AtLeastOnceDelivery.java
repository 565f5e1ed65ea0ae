package io.redisbridge.source.recover;

import io.redisbridge.source.read.ConsumerIdentity;
import io.redisbridge.source.read.EntryRef;
import io.redisbridge.source.read.StreamEntry;
import io.redisbridge.source.read.StreamNames;
import java.util.List;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At least once: entries another consumer left pending longer than {@code redis.claim.min.idle.ms} are
 * claimed ({@link StaleEntryClaimer}); Kafka may get an entry twice, so nothing is checked against it.
 */
public final class AtLeastOnceDelivery implements DeliveryMode {

  private static final Logger log = LoggerFactory.getLogger(AtLeastOnceDelivery.class);

  private final StaleEntryClaimer claimer;
  private final String consumer;

  /** {@code consumer}: this task's own, which claimed entries become pending under. */
  AtLeastOnceDelivery(StaleEntryClaimer claimer, String consumer) {
    this.claimer = claimer;
    this.consumer = consumer;
  }

  @Override
  public String recoveryCommands() {
    return "XAUTOCLAIM";
  }

  @Override
  public void started(ConsumerIdentity identity, List<String> streams) {
    log.info("Source task reading streams {} as {}", StreamNames.brief(streams), identity);
  }

  @Override
  public boolean recoveryDue() {
    return claimer.due();
  }

  @Override
  public Recovered recover(int capacity, int readCount, Predicate<EntryRef> inFlight) {
    List<StreamEntry> claimed = claimer.claim(capacity, inFlight);
    // Claimed entries were another consumer's: none of them is this task's own history.
    return claimed.isEmpty() ? null : new Recovered(consumer, claimed, false);
  }

  @Override
  public boolean alreadyInKafka(StreamEntry entry, String consumer) {
    return false;
  }

  @Override
  public long deletedSeen() {
    return claimer.deletedSeen();
  }
}
