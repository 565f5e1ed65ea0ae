package io.redisbridge.source.ack;

import io.redisbridge.source.map.EntryRecord;
import io.redisbridge.source.read.EntryRef;
import java.util.Collection;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Hands records Kafka has taken from the producer's callback thread ({@code commitRecord}) to the
 * task's poll thread, which acknowledges their entries in Redis. The producer's I/O thread only
 * appends a reference here: no Redis I/O and no parsing there, since every microsecond spent on that
 * thread delays the producer itself. Thread-safe: that is its whole job.
 */
public final class AckQueue {

  private final ConcurrentLinkedQueue<SourceRecord> confirmed = new ConcurrentLinkedQueue<>();
  /** The poll thread while it waits for a confirmation, so the producer thread can wake it. */
  private volatile Thread waiter;

  /** Called from the producer thread once Kafka has the record (or Connect declared it done). */
  public void confirm(SourceRecord record) {
    confirmed.add(record);
    Thread waiting = waiter;
    if (waiting != null) {
      LockSupport.unpark(waiting);
    }
  }

  /** Moves every confirmed entry into {@code sink}; returns how many. */
  int drainTo(Collection<EntryRef> sink) {
    int count = 0;
    for (SourceRecord record = confirmed.poll(); record != null; record = confirmed.poll()) {
      sink.add(EntryRecord.refOf(record));
      count++;
    }
    return count;
  }

  /** Waits up to {@code timeoutMs} for a confirmation, without taking it; true if one is there. */
  public boolean awaitConfirmation(long timeoutMs) throws InterruptedException {
    if (!confirmed.isEmpty()) {
      return true;
    }
    waiter = Thread.currentThread();
    try {
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
      while (confirmed.isEmpty()) {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
          return false;
        }
        LockSupport.parkNanos(this, remaining);
        if (Thread.interrupted()) {
          throw new InterruptedException("interrupted while waiting for Kafka to confirm records");
        }
      }
      return true;
    } finally {
      waiter = null;
    }
  }

  int size() {
    return confirmed.size();
  }
}
