package io.redisbridge.common.retry;

/**
 * Exponential backoff between retries of a failing operation: the wait doubles after each failure up
 * to a cap, and returns to the start after a success. Not thread-safe: one owner thread.
 */
public final class Backoff {

  private final long initialMs;
  private final long maxMs;
  private int failures;

  public Backoff(long initialMs, long maxMs) {
    if (initialMs <= 0 || maxMs < initialMs) {
      throw new IllegalArgumentException("need 0 < initialMs <= maxMs, got " + initialMs + " and " + maxMs);
    }
    this.initialMs = initialMs;
    this.maxMs = maxMs;
  }

  /** Records a failure and returns how long to wait before the next attempt. */
  public long nextDelayMs() {
    long delay = initialMs << Math.min(failures, 30);
    failures++;
    return Math.min(delay < 0 ? maxMs : delay, maxMs);
  }

  public void reset() {
    failures = 0;
  }

  public int failures() {
    return failures;
  }
}
