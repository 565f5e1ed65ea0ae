package io.redisbridge.sink;

import io.redisbridge.common.TaskThreads;
import java.util.Collection;
import java.util.Iterator;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Keeps {@code put()} short whatever Redis does. Connect calls a sink task's {@code stop()} on the task
 * thread, between puts: a put waiting out its writes on a half-open connection (up to the socket timeout)
 * would hold the task past Connect's graceful timeout. So each batch is written on the task's own I/O
 * thread, and {@code put()} waits for it at most a bound. When the bound passes, the write goes on, put
 * asks Connect to offer the batch again, and the next put takes the outcome of the write under way instead
 * of writing the batch twice.
 */
final class BoundedPuts<T> implements AutoCloseable {

  private final ExecutorService io;
  private final long waitMs;
  private Future<T> running;
  private BatchKey runningBatch;

  /** The write has not ended within the bound; it goes on. */
  static final class StillWriting extends Exception {
    StillWriting(String message) {
      super(message);
    }
  }

  /** Tells batches apart: Connect offers the very same records again after a put asked for it. */
  private record BatchKey(int size, String first, String last) {
    static BatchKey of(Collection<SinkRecord> records) {
      Iterator<SinkRecord> it = records.iterator();
      SinkRecord first = it.next();
      SinkRecord last = first;
      while (it.hasNext()) {
        last = it.next();
      }
      return new BatchKey(records.size(), coordinates(first), coordinates(last));
    }

    private static String coordinates(SinkRecord record) {
      return record.topic() + "/" + record.kafkaPartition() + "@" + record.kafkaOffset();
    }
  }

  BoundedPuts(String threadName, long waitMs) {
    this.waitMs = waitMs;
    this.io = TaskThreads.single(threadName);
  }

  /**
   * The outcome of writing {@code batch} with {@code write}, started now or by an earlier put of the same
   * batch. Throws {@link StillWriting} when it has not ended within the bound, the write's own failure
   * wrapped in an {@link ExecutionException}.
   */
  T run(Collection<SinkRecord> batch, Callable<T> write) throws StillWriting, ExecutionException,
      InterruptedException {
    BatchKey key = BatchKey.of(batch);
    if (running != null && !key.equals(runningBatch)) {
      // Connect no longer offers the batch being written (a rebalance came in between): let its write end,
      // and forget its outcome; what it wrote is written again at most (at-least-once), or skipped by the
      // offsets stored with it (exactly once).
      try {
        running.get(waitMs, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        throw new StillWriting("an earlier batch's writes have not ended within " + waitMs + " ms");
      } catch (ExecutionException e) {
        // that batch is not offered any more
      }
      running = null;
    }
    if (running == null) {
      running = io.submit(write);
      runningBatch = key;
    }
    try {
      T outcome = running.get(waitMs, TimeUnit.MILLISECONDS);
      running = null;
      return outcome;
    } catch (TimeoutException e) {
      throw new StillWriting("the batch's writes have not ended within " + waitMs + " ms");
    } catch (ExecutionException e) {
      running = null;
      throw e;
    }
  }

  /** Stops the I/O thread; call after closing the Redis client, which ends any call it still waits on. */
  @Override
  public void close() {
    TaskThreads.stop(io, 2_000);
  }
}
