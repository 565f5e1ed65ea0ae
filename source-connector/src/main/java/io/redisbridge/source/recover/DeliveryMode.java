package io.redisbridge.source.recover;

import io.redisbridge.source.RedisStreamsSourceTaskConfig;
import io.redisbridge.source.map.SourcePartitions;
import io.redisbridge.source.read.ConsumerIdentity;
import io.redisbridge.source.read.DeliveryCounts;
import io.redisbridge.source.read.EntryRef;
import io.redisbridge.source.read.StreamEntry;
import java.time.Clock;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;
import org.apache.kafka.connect.storage.OffsetStorageReader;
import redis.clients.jedis.UnifiedJedis;

/**
 * What differs between at-least-once and exactly-once delivery, chosen once when the task starts: how
 * entries other consumers left pending are recovered, and whether a pending entry may already be in Kafka.
 * Runs on the task's I/O thread.
 */
public interface DeliveryMode {

  /** Entries recovered from other consumers, read as {@code consumer}; {@code pending} when they were its history. */
  record Recovered(String consumer, List<StreamEntry> entries, boolean pending) {}

  /** Once the groups exist, before the first read: learn what the mode needs and say how the task reads. */
  void started(ConsumerIdentity identity, List<String> streams);

  /** The Redis commands recovery sends, for the stall report. */
  String recoveryCommands();

  /** Whether recovery has work now (the task then reads no new entries ahead). */
  boolean recoveryDue();

  /**
   * Recovers at most {@code capacity} entries others left pending; null when there is nothing to recover.
   * {@code inFlight} tells the entries this task already handed to Connect.
   */
  Recovered recover(int capacity, int readCount, Predicate<EntryRef> inFlight);

  /** Whether Kafka already has {@code entry}, pending under {@code consumer} (exactly once only). */
  boolean alreadyInKafka(StreamEntry entry, String consumer);

  /** Pending entries found deleted while recovering them, acknowledged. */
  long deletedSeen();

  /** The mode the task's config asks for, recovering from {@code activeStreams} (which shrinks as streams go). */
  static DeliveryMode of(RedisStreamsSourceTaskConfig config, UnifiedJedis redis, ConsumerIdentity identity,
      List<String> activeStreams, DeliveryCounts deliveryCounts, OffsetStorageReader offsetReader, Clock clock,
      ToIntFunction<String> slotOf) {
    FinishedConsumers finished = new FinishedConsumers(redis, identity, config.claimMinIdleMs(),
        config.removeFinishedConsumers());
    if (config.exactlyOnce()) {
      return new ExactlyOnceDelivery(new DepartedConsumers(redis, identity, activeStreams, config.readersOfItsStreams(),
          config.claimIntervalMs(), config.claimMinIdleMs(), clock, slotOf, finished),
          new ProducedEntries(offsetReader, new SourcePartitions(config.consumerGroup(), true)), config.streams());
    }
    return new AtLeastOnceDelivery(new StaleEntryClaimer(redis, identity, activeStreams, config.claimIntervalMs(),
        config.claimMinIdleMs(), config.claimCount(), clock, deliveryCounts, finished, config.readersOfItsStreams()),
        identity.consumer());
  }
}
