package io.redisbridge.source.discover;

import io.redisbridge.common.redis.RedisTopology;
import java.util.List;
import java.util.SortedSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

/**
 * The streams that match redis.streams.pattern, kept current: scanned when the connector starts and again
 * on an interval on a thread of its own; when the set changes, {@code onChange} runs (the connector asks
 * Connect to reconfigure its tasks). A failed scan keeps the last set and is retried at the next interval.
 */
public final class PatternStreams implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(PatternStreams.class);

  private final UnifiedJedis redis;
  private final String pattern;
  private final String connector;
  private final Runnable onChange;
  private final ScheduledExecutorService scanner;
  private volatile List<String> current = List.of();
  private volatile boolean closed;
  private boolean failing;

  public PatternStreams(UnifiedJedis redis, String pattern, long intervalMs, String connector, Runnable onChange) {
    this.redis = redis;
    this.pattern = pattern;
    this.connector = connector;
    this.onChange = onChange;
    scanOnce();
    this.scanner = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "redis-stream-scan-" + connector);
      thread.setDaemon(true);
      return thread;
    });
    scanner.scheduleWithFixedDelay(this::scanAndNotify, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
  }

  /** The matching streams found last, sorted. */
  public List<String> current() {
    return current;
  }

  private void scanAndNotify() {
    if (scanOnce()) {
      onChange.run();
    }
  }

  /** Scans once; true when the set changed. */
  private synchronized boolean scanOnce() {
    SortedSet<String> found;
    try {
      found = StreamDiscovery.find(redis, pattern);
    } catch (RuntimeException e) {
      if (closed) {
        return false;
      }
      if (!failing) {
        log.warn("Source connector {} could not scan for streams matching {}; keeps its {} streams and tries "
            + "again: {}", connector, pattern, current.size(), e.toString());
        failing = true;
      }
      RedisTopology.refreshAfterFailure(redis);
      return false;
    }
    if (failing) {
      log.info("Source connector {} scans for streams matching {} again", connector, pattern);
      failing = false;
    }
    List<String> before = current;
    List<String> after = List.copyOf(found);
    if (after.equals(before)) {
      return false;
    }
    long added = after.stream().filter(stream -> !before.contains(stream)).count();
    long removed = before.stream().filter(stream -> !after.contains(stream)).count();
    log.info("Source connector {}: {} streams match {} ({} new, {} gone)", connector, after.size(), pattern, added,
        removed);
    current = after;
    return true;
  }

  /** Stops scanning; waits briefly for a scan under way, which would otherwise fail on a closed client. */
  @Override
  public void close() {
    closed = true;
    scanner.shutdownNow();
    try {
      scanner.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
