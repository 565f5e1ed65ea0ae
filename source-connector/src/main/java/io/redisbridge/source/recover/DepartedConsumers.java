package io.redisbridge.source.recover;

import io.redisbridge.common.retry.RedisErrors;
import io.redisbridge.source.read.ConsumerIdentity;
import io.redisbridge.source.read.DeliveryCounts;
import io.redisbridge.source.read.StreamEntry;
import io.redisbridge.source.read.StreamReader;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.resps.StreamConsumerInfo;

/**
 * Exactly-once's stand-in for claiming: the pending entries of consumers that no task of the connector
 * runs any more (tasks.max went down, a prefix changed) are replayed by one live task reading as that
 * consumer ({@code XREADGROUP GROUP <group> <departed> ... 0}), and produced under the departed consumer's
 * own source partition, whose committed offset tells which of them are already in Kafka. The entries
 * stay in the departed consumer's pending list until acknowledged, so a crash of the adopting task loses
 * nothing and produces nothing twice. XAUTOCLAIM would move them into the adopter's pending list, mixing
 * old IDs into a consumer whose offset says "everything up to here is in Kafka".
 *
 * <p>Each departed consumer has one adopter, picked by hashing its name over this generation's tasks,
 * and Connect fences the previous generation before a new one starts. A task's own entries are not
 * claimed at all: the task replays them itself when it restarts. Only the task's poll thread uses it.
 */
public final class DepartedConsumers {

  private static final Logger log = LoggerFactory.getLogger(DepartedConsumers.class);

  private final UnifiedJedis redis;
  private final ConsumerIdentity self;
  /** The task's streams still there: the poller's own list, from which it removes deleted ones. */
  private final List<String> streams;
  private final List<String> taskConsumers;
  private final Set<String> live;
  private final long intervalMs;
  private final long minIdleMs;
  private final Clock clock;
  private final ToIntFunction<String> slotOf;
  private final FinishedConsumers finishedConsumers;
  private final Queue<Adoption> queue = new ArrayDeque<>();
  private Adoption current;
  private StreamReader reader;
  private long nextScanAt;

  DepartedConsumers(UnifiedJedis redis, ConsumerIdentity self, List<String> streams, List<String> taskConsumers,
      long intervalMs, long minIdleMs, Clock clock, ToIntFunction<String> slotOf,
      FinishedConsumers finishedConsumers) {
    this.redis = redis;
    this.self = self;
    this.streams = streams;
    this.taskConsumers = List.copyOf(taskConsumers);
    this.live = Set.copyOf(taskConsumers);
    this.intervalMs = intervalMs;
    this.minIdleMs = minIdleMs;
    this.clock = clock;
    this.slotOf = slotOf;
    this.finishedConsumers = finishedConsumers;
    // Departed consumers can be looked for at once: the task's own history does not depend on them.
    this.nextScanAt = clock.millis();
  }

  /** A departed consumer's pending entries on one stream. */
  record Adoption(String stream, String consumer) {}

  /** Entries read as a departed consumer, to be produced under its partition. */
  record Batch(String consumer, List<StreamEntry> entries) {}

  boolean due() {
    return intervalMs > 0 && (current != null || !queue.isEmpty() || clock.millis() >= nextScanAt);
  }

  /** The next entries of a departed consumer this task replays, at most {@code count}; null when none. */
  Batch next(int count) {
    while (true) {
      if (current == null) {
        if (queue.isEmpty()) {
          if (clock.millis() < nextScanAt) {
            return null;
          }
          nextScanAt = clock.millis() + intervalMs;
          scan();
          if (queue.isEmpty()) {
            return null;
          }
        }
        current = queue.poll();
        ConsumerIdentity departed = new ConsumerIdentity(self.group(), current.consumer());
        reader = new StreamReader(redis, departed, List.of(current.stream()), slotOf,
            new DeliveryCounts(redis, departed));
        log.info("Replaying the pending entries of departed consumer {} on stream {} ({})", current.consumer(),
            current.stream(), self);
      }
      List<StreamEntry> entries = reader.replayingHistory() ? reader.read(count, 0) : List.of();
      if (!entries.isEmpty()) {
        return new Batch(current.consumer(), entries);
      }
      log.info("Departed consumer {} has no more pending entries on stream {} ({})", current.consumer(),
          current.stream(), self);
      current = null;
      reader = null;
    }
  }

  /** Finds departed consumers idle long enough whose entries are this task's to replay. */
  private void scan() {
    for (String stream : streams) {
      List<StreamConsumerInfo> consumers;
      try {
        consumers = redis.xinfoConsumers2(stream, self.group());
      } catch (JedisDataException e) {
        if (RedisErrors.isTransient(e)) {
          throw e;
        }
        continue; // no such key or group yet: nothing departed there
      }
      for (StreamConsumerInfo consumer : consumers) {
        String name = consumer.getName();
        if (consumer.getPending() > 0 && consumer.getIdle() >= minIdleMs && !live.contains(name)
            && adopterOf(name).equals(self.consumer())) {
          queue.add(new Adoption(stream, name));
        }
      }
      // Departed consumers replayed in earlier passes have nothing pending any more: they can go.
      finishedConsumers.removeFrom(stream, live);
    }
  }

  private String adopterOf(String departed) {
    return taskConsumers.get(Math.floorMod(departed.hashCode(), taskConsumers.size()));
  }
}
