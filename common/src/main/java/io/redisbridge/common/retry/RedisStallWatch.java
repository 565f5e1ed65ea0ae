package io.redisbridge.common.retry;

import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * No silent stalls. A task runs its Redis calls through this watch, which knows since when the task has
 * waited for Redis without a successful round trip: a call that does not return (a half-open connection,
 * a frozen server) or one failure after another. Past the threshold it logs one WARN per episode naming
 * the task, its streams and the command that waits or last failed, and counts the episode; when Redis
 * answers again it logs one INFO. {@link #stalledMs()} is the task's metric for it.
 *
 * <p>Thread-safe: a task's threads (poll, read ahead, I/O) call it at once, and one shared daemon thread
 * checks every registered watch each second, so the WARN comes even while every task thread is stuck.
 */
public final class RedisStallWatch implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RedisStallWatch.class);
  private static final Set<RedisStallWatch> WATCHED = ConcurrentHashMap.newKeySet();
  private static ScheduledExecutorService checker;

  private final String task;
  private final String streams;
  private final long thresholdMs;
  private final LongSupplier clock;
  /** The call each thread waits on now. */
  private final Map<Thread, Call> waiting = new ConcurrentHashMap<>();
  /** Since when the task waits without a successful round trip; 0 when the last call succeeded. */
  private long unansweredSince;
  private Call lastFailed;
  private String lastFailure;
  private boolean warned;
  private volatile long stalls;

  private record Call(String command, long startedAt) {}

  /** Watches {@code task}'s calls on {@code streams}; a stall is a wait longer than {@code thresholdMs}. */
  public RedisStallWatch(String task, String streams, long thresholdMs) {
    this(task, streams, thresholdMs, System::currentTimeMillis);
    register(this);
  }

  /** For tests: not checked by the shared thread; call {@link #check()}. */
  RedisStallWatch(String task, String streams, long thresholdMs, LongSupplier clock) {
    this.task = task;
    this.streams = streams;
    this.thresholdMs = thresholdMs;
    this.clock = clock;
  }

  /** The threshold the connectors use: twice the socket timeout, plus the longest BLOCK of a blocking read. */
  public static long thresholdMs(int socketTimeoutMs, int longestBlockMs) {
    return 2L * socketTimeoutMs + longestBlockMs;
  }

  /** Runs one Redis round trip (or a pipeline, a transaction) named {@code command}. */
  public <T> T call(String command, Supplier<T> work) {
    Thread thread = Thread.currentThread();
    long now = clock.getAsLong();
    synchronized (this) {
      if (unansweredSince == 0) {
        unansweredSince = now;
      }
    }
    Call call = new Call(command, now);
    waiting.put(thread, call);
    try {
      T result = work.get();
      waiting.remove(thread);
      answered();
      return result;
    } catch (RuntimeException | Error e) {
      waiting.remove(thread);
      if (RedisErrors.isReply(e)) {
        // Redis answered, with an error (OOM, READONLY, a wrong type...): a round trip, not a stall.
        answered();
        throw e;
      }
      synchronized (this) {
        lastFailed = call;
        lastFailure = String.valueOf(e.getMessage() == null ? e.toString() : e.getMessage());
      }
      throw e;
    }
  }

  /** As {@link #call(String, Supplier)}, without a result. */
  public void run(String command, Runnable work) {
    call(command, () -> {
      work.run();
      return null;
    });
  }

  private synchronized void answered() {
    if (warned) {
      // Within an episode unansweredSince stays where it began, so it still says when.
      warned = false;
      log.info("Redis answers {} again ({}): {} ms after the stall began", task, streams,
          clock.getAsLong() - unansweredSince);
    }
    // Another thread may still wait on its own call: the episode goes on from when that one started.
    unansweredSince = waiting.values().stream().mapToLong(Call::startedAt).min().orElse(0);
  }

  /** How long the task has waited for Redis without a successful round trip; 0 when the last call succeeded. */
  public synchronized long stalledMs() {
    return unansweredSince == 0 ? 0 : Math.max(0, clock.getAsLong() - unansweredSince);
  }

  /** Stall episodes so far (a WARN each). */
  public long stalls() {
    return stalls;
  }

  /** Logs the WARN when a stall passed the threshold and was not reported yet. */
  public synchronized void check() {
    long stalled = stalledMs();
    if (stalled <= thresholdMs || warned) {
      return;
    }
    warned = true;
    stalls++;
    Optional<Call> oldest = waiting.values().stream().min(Comparator.comparingLong(Call::startedAt));
    long now = clock.getAsLong();
    if (oldest.isPresent()) {
      log.warn("No answer from Redis for {} ({}) in {} ms: {} has waited {} ms. The call has a deadline; the "
          + "task retries on a new connection after it, and keeps retrying while Redis does not answer",
          task, streams, stalled, oldest.get().command(), now - oldest.get().startedAt());
    } else {
      log.warn("No answer from Redis for {} ({}) in {} ms: the last attempt, {}, failed: {}. The task keeps "
          + "retrying with backoff", task, streams, stalled, lastFailed == null ? "none" : lastFailed.command(),
          lastFailure);
    }
  }

  @Override
  public void close() {
    unregister(this);
  }

  private static synchronized void register(RedisStallWatch watch) {
    WATCHED.add(watch);
    if (checker == null) {
      checker = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "redis-bridge-stall-watch");
        thread.setDaemon(true);
        return thread;
      });
      checker.scheduleWithFixedDelay(RedisStallWatch::checkAll, 1, 1, TimeUnit.SECONDS);
    }
  }

  private static synchronized void unregister(RedisStallWatch watch) {
    WATCHED.remove(watch);
    if (WATCHED.isEmpty() && checker != null) {
      // The last task is gone: no thread of this plugin stays behind.
      checker.shutdownNow();
      checker = null;
    }
  }

  private static void checkAll() {
    for (RedisStallWatch watch : WATCHED) {
      try {
        watch.check();
      } catch (RuntimeException e) {
        log.debug("Stall check failed for {}: {}", watch.task, e.toString());
      }
    }
  }
}
