package io.redisbridge.source;

import io.redisbridge.common.TaskThreads;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Keeps {@code poll()} short whatever Redis does. Connect calls a source task's {@code stop()} on the
 * task thread, between polls: a poll waiting out a Redis call (up to the socket timeout on a half-open
 * connection) would hold the task past Connect's graceful timeout. So each poll's work runs on the task's
 * own I/O thread, and {@code poll()} waits for it at most a bound; work it did not wait for is taken by
 * the next poll. All of the poller's state stays on that one thread, so it needs no locks.
 */
final class BoundedPolls implements AutoCloseable {

  private final ExecutorService io;
  private final long waitMs;
  private Future<List<SourceRecord>> running;

  /** {@code waitMs}: the longest a poll waits for its work. */
  BoundedPolls(String threadName, long waitMs) {
    this.waitMs = waitMs;
    this.io = TaskThreads.single(threadName);
  }

  /** The records of {@code work}, started now or by an earlier poll; null when it is not done within the bound. */
  synchronized List<SourceRecord> poll(Callable<List<SourceRecord>> work) throws InterruptedException {
    if (running == null) {
      running = io.submit(work);
    }
    try {
      List<SourceRecord> records = running.get(waitMs, TimeUnit.MILLISECONDS);
      running = null;
      return records;
    } catch (TimeoutException e) {
      return null;
    } catch (ExecutionException e) {
      running = null;
      if (e.getCause() instanceof RuntimeException failure) {
        throw failure;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException("poll failed", e.getCause());
    }
  }

  /**
   * For a stopping task: lets the work under way end, then runs {@code last} on the I/O thread, waiting
   * at most {@code budgetMs} for both. Returns false when the budget ran out (Redis does not answer).
   */
  synchronized boolean finish(Runnable last, long budgetMs) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(budgetMs);
    try {
      if (running != null) {
        running.get(budgetMs, TimeUnit.MILLISECONDS);
      }
    } catch (ExecutionException e) {
      // That poll's failure no longer matters: the task stops.
    } catch (TimeoutException e) {
      return false;
    } finally {
      running = null;
    }
    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
    try {
      io.submit(last).get(Math.max(1, left), TimeUnit.MILLISECONDS);
      return true;
    } catch (ExecutionException e) {
      return true;
    } catch (TimeoutException e) {
      return false;
    }
  }

  /** Stops the I/O thread; call after closing the Redis client, which ends any call it still waits on. */
  @Override
  public void close() {
    TaskThreads.stop(io, 2_000);
  }
}
