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
 * Exactly once: a departed consumer's pending entries are replayed under its own name and source partition
 * ({@link DepartedConsumers}), never claimed; a pending entry at or below what Kafka's committed offsets
 * say was produced is acknowledged instead of produced again ({@link ProducedEntries}).
 */
public final class ExactlyOnceDelivery implements DeliveryMode {

  private static final Logger log = LoggerFactory.getLogger(ExactlyOnceDelivery.class);

  private final DepartedConsumers departed;
  private final ProducedEntries inKafkaBefore;
  private final List<String> streams;

  ExactlyOnceDelivery(DepartedConsumers departed, ProducedEntries inKafkaBefore, List<String> streams) {
    this.departed = departed;
    this.inKafkaBefore = inKafkaBefore;
    this.streams = streams;
  }

  @Override
  public void started(ConsumerIdentity identity, List<String> streams) {
    inKafkaBefore.load(identity.consumer(), this.streams);
    log.info("Source task reading streams {} as {}, exactly once; last entries in Kafka: {}",
        StreamNames.brief(streams), identity, inKafkaBefore.known());
  }

  @Override
  public String recoveryCommands() {
    return "XPENDING and XCLAIM";
  }

  @Override
  public boolean recoveryDue() {
    return departed.due();
  }

  @Override
  public Recovered recover(int capacity, int readCount, Predicate<EntryRef> inFlight) {
    DepartedConsumers.Batch batch = departed.next(Math.min(readCount, capacity));
    if (batch == null) {
      return null;
    }
    inKafkaBefore.load(batch.consumer(), streams);
    return new Recovered(batch.consumer(), batch.entries(), true);
  }

  @Override
  public boolean alreadyInKafka(StreamEntry entry, String consumer) {
    return inKafkaBefore.alreadyInKafka(entry, consumer);
  }

  @Override
  public long deletedSeen() {
    return 0;
  }
}
