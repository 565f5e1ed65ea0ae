package io.redisbridge.source.recover;

import io.redisbridge.common.deadletter.DeadLetter;
import io.redisbridge.common.deadletter.DeadLetterStream;
import io.redisbridge.common.redis.SlotTransactions;
import io.redisbridge.common.retry.Backoff;
import io.redisbridge.common.retry.RedisErrors;
import io.redisbridge.common.retry.RedisStallWatch;
import io.redisbridge.common.template.NameTemplate;
import io.redisbridge.source.read.ConsumerIdentity;
import io.redisbridge.source.read.EntryRef;
import io.redisbridge.source.read.StreamEntry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.AbstractTransaction;
import redis.clients.jedis.UnifiedJedis;

/**
 * Moves entries the source gives up on to their dead-letter stream: XADD of the original fields plus
 * origin and reason, then XACK of the original, in one MULTI/EXEC when both keys share a slot (always
 * outside cluster mode). Across slots the copy is written first and acknowledged after, so a crash in
 * between leaves a duplicate dead letter, never a lost entry.
 *
 * <p>When Redis refuses the writes for a while (out of memory under {@code maxmemory} with
 * {@code noeviction}, or unreachable), the entries are owed: they stay pending and unacknowledged in their
 * streams, the task goes on with the others, and each poll tries the owed ones again after a backoff. One
 * WARN when Redis starts refusing, one INFO when the owed letters are written. Were the task to stop
 * meanwhile, its successor reads them again from its pending history and rejects them again.
 *
 * <p>Only the task's poll thread uses it.
 */
public final class EntryDeadLetters {

  private static final Logger log = LoggerFactory.getLogger(EntryDeadLetters.class);

  private final UnifiedJedis redis;
  private final ConsumerIdentity identity;
  private final NameTemplate streamTemplate;
  private final DeadLetterStream format;
  private final ToIntFunction<String> slotOf;
  private final java.util.Set<String> checkedTargets = new java.util.HashSet<>();
  private volatile long written;
  /** Rejected entries not written yet, by entry: a history replay may reject one again. */
  private final Map<EntryRef, Rejected> owed = new LinkedHashMap<>();
  private volatile int owedCount;
  private final Backoff backoff;
  private final Clock clock;
  private final RedisStallWatch watch;
  private long retryAt;
  private String refusal;

  public EntryDeadLetters(UnifiedJedis redis, ConsumerIdentity identity, NameTemplate streamTemplate,
      DeadLetterStream format, ToIntFunction<String> slotOf, Backoff backoff, Clock clock, RedisStallWatch watch) {
    this.backoff = backoff;
    this.clock = clock;
    this.watch = watch;
    this.redis = redis;
    this.identity = identity;
    this.streamTemplate = streamTemplate;
    this.format = format;
    this.slotOf = slotOf;
  }

  /** An entry with the reason it is given up on. */
  public record Rejected(StreamEntry entry, String reason) {}

  /**
   * Owes a dead letter for each rejected entry and writes what is owed. A refusal Redis may lift (out of
   * memory, unreachable) keeps them owed; a wrong dead-letter key is a configuration error and throws.
   */
  public void write(List<Rejected> rejected) {
    for (Rejected item : rejected) {
      owed.putIfAbsent(item.entry().ref(), item);
    }
    owedCount = owed.size();
    if (!rejected.isEmpty()) {
      retryAt = 0; // new rejections are tried at once; a refusal sets the next try again
    }
    writeOwed();
  }

  /** Tries the owed dead letters again once their backoff passed. */
  public void writeOwed() {
    if (owed.isEmpty() || clock.millis() < retryAt) {
      return;
    }
    try {
      List<Rejected> due = new ArrayList<>(owed.values());
      watch.run("XADD to the dead-letter stream", () -> writeNow(due));
      if (refusal != null) {
        log.info("Redis took the owed dead letters again ({}) after refusing them: {}", identity, refusal);
        refusal = null;
      }
      backoff.reset();
    } catch (RuntimeException e) {
      if (!RedisErrors.isTransient(e)) {
        throw e;
      }
      retryAt = clock.millis() + backoff.nextDelayMs();
      if (refusal == null) {
        refusal = String.valueOf(e.getMessage());
        log.warn("Redis refuses the dead letters of {} entries ({}): {}. They stay pending and unacknowledged in "
            + "their streams and are written when Redis takes them; the task goes on with the other entries",
            owed.size(), identity, refusal);
      }
    } finally {
      owedCount = owed.size();
    }
  }

  /** Dead letters owed: rejected entries whose letter Redis has not taken yet. */
  public int owed() {
    return owedCount;
  }

  /** Writes and acknowledges every rejected entry, forgetting each stream's share of what is owed once done. */
  private void writeNow(List<Rejected> rejected) {
    for (Rejected item : rejected) {
      checkIsStream(target(item.entry().stream()));
    }
    List<Rejected> sameSlot = new ArrayList<>();
    List<Rejected> crossSlot = new ArrayList<>();
    for (Rejected item : rejected) {
      String target = target(item.entry().stream());
      (slotOf.applyAsInt(target) == slotOf.applyAsInt(item.entry().stream()) ? sameSlot : crossSlot).add(item);
    }
    if (!sameSlot.isEmpty()) {
      // One transaction per source stream: in cluster mode a transaction must stay on one slot.
      Map<String, List<Rejected>> byStream = new java.util.LinkedHashMap<>();
      sameSlot.forEach(item -> byStream.computeIfAbsent(item.entry().stream(), s -> new ArrayList<>()).add(item));
      for (List<Rejected> items : byStream.values()) {
        try (AbstractTransaction transaction = SlotTransactions.begin(redis, items.get(0).entry().stream())) {
          for (Rejected item : items) {
            transaction.xadd(bytes(target(item.entry().stream())), format.params(), format.fields(letter(item)));
            transaction.xack(bytes(item.entry().stream()), identity.groupBytes(), bytes(item.entry().id().toString()));
          }
          for (Object reply : transaction.exec()) {
            if (reply instanceof RuntimeException error) {
              throw error;
            }
          }
        }
        items.forEach(item -> owed.remove(item.entry().ref()));
      }
    }
    for (Rejected item : crossSlot) {
      redis.xadd(bytes(target(item.entry().stream())), format.params(), format.fields(letter(item)));
      redis.xack(bytes(item.entry().stream()), identity.groupBytes(), bytes(item.entry().id().toString()));
      owed.remove(item.entry().ref());
    }
    written += rejected.size();
    log.warn("Moved {} entries to dead-letter streams ({}); first: stream {} entry {}: {}", rejected.size(),
        identity, rejected.get(0).entry().stream(), rejected.get(0).entry().id(), rejected.get(0).reason());
  }

  /**
   * MULTI/EXEC does not roll back: were the dead-letter key of another type, its XADD would fail and
   * the XACK still run. So each target is checked once before it is first used.
   */
  private void checkIsStream(String key) {
    if (checkedTargets.contains(key)) {
      return;
    }
    String type = redis.type(key);
    if (!"stream".equals(type) && !"none".equals(type)) {
      throw new DeadLetterTargetException("dead-letter stream " + key + " exists as a " + type
          + ", not a stream; point redis.dead.letter.stream elsewhere or delete the key");
    }
    checkedTargets.add(key);
  }

  /** The dead-letter key cannot take entries: a configuration problem, not a passing one. */
  static final class DeadLetterTargetException extends RuntimeException {
    DeadLetterTargetException(String message) {
      super(message);
    }
  }

  public long writtenTotal() {
    return written;
  }

  String target(String stream) {
    return streamTemplate.render(Map.of("stream", stream, "group", identity.group()));
  }

  private DeadLetter letter(Rejected item) {
    StreamEntry entry = item.entry();
    return new DeadLetter(entry.fields(), Map.of(
        "original_stream", entry.stream(),
        "original_id", entry.id().toString(),
        "consumer_group", identity.group(),
        "delivery_count", Long.toString(entry.deliveryCount())),
        item.reason());
  }

  private static byte[] bytes(String value) {
    return value.getBytes(StandardCharsets.UTF_8);
  }
}
