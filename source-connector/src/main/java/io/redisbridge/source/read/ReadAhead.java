package io.redisbridge.source.read;

import io.redisbridge.common.TaskThreads;
import io.redisbridge.source.ack.Acknowledger;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Acknowledges what Kafka confirmed and reads the next batch of new entries while Connect converts and
 * sends the last one, so the task thread neither waits for the XACK and XREADGROUP round trips nor parses
 * their replies. At most one read is ahead, and it does only Redis I/O: routing and in-flight bookkeeping
 * stay on the poll thread, which takes the result (or the failure) on its next poll. Entries a read
 * returned that no poll ever took stay pending for this consumer and are delivered again from its
 * history, like any unacknowledged entry.
 */
public final class ReadAhead implements AutoCloseable {

  private final ExecutorService thread;
  private final Acknowledger acknowledger;
  private final Reading read;
  private Future<List<StreamEntry>> next;
  /** The confirmed entries the read ahead acknowledges, until its result is taken. */
  private List<EntryRef> acks = List.of();

  /** The Redis I/O done ahead: acknowledge {@code acks}, then read at most {@code count} new entries. */
  @FunctionalInterface
  public interface Reading {
    List<StreamEntry> ackThenRead(List<EntryRef> acks, int count);
  }

  /** {@code read} runs on this class's own thread; it acknowledges what {@code acknowledger} holds confirmed. */
  public ReadAhead(String threadName, Acknowledger acknowledger, Reading read) {
    this.acknowledger = acknowledger;
    this.read = read;
    this.thread = TaskThreads.single(threadName);
  }

  /**
   * Starts acknowledging what Kafka confirmed so far and reading up to {@code count} entries. Call only when
   * no read is ahead. Until the result is taken, those entries still count as in flight: the cap holds.
   */
  public void start(int count) {
    if (next != null) {
      throw new IllegalStateException("a read is already ahead");
    }
    List<EntryRef> sending = acknowledger.takeConfirmed();
    acks = sending;
    next = thread.submit(() -> read.ackThenRead(sending, count));
  }

  public boolean ahead() {
    return next != null;
  }

  /**
   * The entries the read ahead returned, waiting for it if needed; its failure is thrown here, and then its
   * acks go back in line (XACK is idempotent).
   */
  public List<StreamEntry> take() throws InterruptedException {
    Future<List<StreamEntry>> taken = next;
    List<EntryRef> sending = acks;
    next = null;
    acks = List.of();
    try {
      List<StreamEntry> entries = taken.get();
      acknowledger.sent(sending);
      return entries;
    } catch (ExecutionException e) {
      acknowledger.requeue(sending);
      if (e.getCause() instanceof RuntimeException failure) {
        throw failure;
      }
      throw new IllegalStateException("read ahead failed", e.getCause());
    }
  }

  /**
   * Waits for the read ahead, if any, and forgets what it returned or how it failed. What it read is pending
   * for this consumer: the history replay reads it again.
   */
  public void settle() throws InterruptedException {
    if (next == null) {
      return;
    }
    try {
      take();
    } catch (RuntimeException e) {
      // The poll that called this is already handling a Redis failure.
    }
  }

  /**
   * Stops the thread. A read in progress ends within its BLOCK time, or at once when the task closed its
   * Redis client first (which cuts the connection the read waits on).
   */
  @Override
  public void close() {
    thread.shutdown();
    try {
      if (!thread.awaitTermination(2, TimeUnit.SECONDS)) {
        thread.shutdownNow();
      }
    } catch (InterruptedException e) {
      thread.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
