package io.redisbridge.sink;

import java.time.Clock;
import redis.clients.jedis.UnifiedJedis;

/**
 * Protects Redis from the sink: reports "too full" while used_memory is above a share of maxmemory,
 * so the task backs off instead of pushing Redis into evictions or OOM errors. Reads INFO memory at
 * most once per interval.
 */
final class MemoryGuard {

  private final UnifiedJedis redis;
  private final double maxRatio;
  private final long intervalMs;
  private final Clock clock;
  private long nextCheckAt;
  private boolean full;
  private double lastRatio;

  MemoryGuard(UnifiedJedis redis, double maxRatio, long intervalMs, Clock clock) {
    this.redis = redis;
    this.maxRatio = maxRatio;
    this.intervalMs = intervalMs;
    this.clock = clock;
  }

  boolean enabled() {
    return maxRatio > 0;
  }

  /** True while writes should wait. */
  boolean tooFull() {
    if (!enabled()) {
      return false;
    }
    long now = clock.millis();
    if (now >= nextCheckAt) {
      nextCheckAt = now + intervalMs;
      lastRatio = usedShare(redis.info("memory"));
      full = lastRatio > maxRatio;
    }
    return full;
  }

  double lastRatio() {
    return lastRatio;
  }

  /** used_memory / maxmemory from an INFO memory reply; 0 when maxmemory is unlimited. */
  static double usedShare(String info) {
    long used = -1;
    long max = 0;
    for (String line : info.split("\r?\n")) {
      if (line.startsWith("used_memory:")) {
        used = Long.parseLong(line.substring("used_memory:".length()).trim());
      } else if (line.startsWith("maxmemory:")) {
        max = Long.parseLong(line.substring("maxmemory:".length()).trim());
      }
    }
    return max <= 0 || used < 0 ? 0 : (double) used / max;
  }
}
