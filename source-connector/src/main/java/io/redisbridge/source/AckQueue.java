package io.redisbridge.source;

import java.util.Collection;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Hands entries Kafka has taken from the producer's callback thread ({@code commitRecord}) to the
 * task's poll thread, which acknowledges them in Redis. No Redis I/O happens on the producer thread,
 * and nothing is acknowledged before Kafka confirmed it. Thread-safe: that is its whole job.
 */
final class AckQueue {

  private final LinkedBlockingQueue<EntryRef> confirmed = new LinkedBlockingQueue<>();

  /** Called from the producer thread once Kafka has the record (or Connect declared it done). */
  void confirm(EntryRef ref) {
    confirmed.add(ref);
  }

  /** Moves every confirmed entry into {@code sink}; returns how many. */
  int drainTo(Collection<EntryRef> sink) {
    return confirmed.drainTo(sink);
  }

  /** Waits up to {@code timeoutMs} for a confirmation, without taking it; true if one is there. */
  boolean awaitConfirmation(long timeoutMs) throws InterruptedException {
    if (!confirmed.isEmpty()) {
      return true;
    }
    EntryRef first = confirmed.poll(timeoutMs, TimeUnit.MILLISECONDS);
    if (first == null) {
      return false;
    }
    confirmed.add(first); // order does not matter for acks
    return true;
  }

  int size() {
    return confirmed.size();
  }
}
