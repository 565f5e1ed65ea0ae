package io.redisbridge.sink;

/**
 * The sink task's running totals, for its metrics and its periodic log line. Each is written by one
 * thread at a time (the task thread; tombstones by its I/O thread while put() waits for it) and read by
 * JMX from its own thread, hence volatile.
 */
final class SinkCounts {

  private volatile long written;
  private volatile long alreadyWritten;
  private volatile long tombstonesSkipped;
  private volatile long batches;
  private volatile long batchNanosTotal;
  private volatile long batchNanosLast;
  private volatile long retries;
  private volatile long memoryGuardWaits;

  /** A put() wrote its batch: {@code written} new entries, {@code alreadyWritten} skipped, in {@code nanos}. */
  void batchWritten(long written, long alreadyWritten, long nanos) {
    this.written += written;
    this.alreadyWritten += alreadyWritten;
    batchNanosLast = nanos;
    batchNanosTotal += nanos;
    batches++;
  }

  void tombstoneSkipped() {
    tombstonesSkipped++;
  }

  void retried() {
    retries++;
  }

  void memoryGuardWaited() {
    memoryGuardWaits++;
  }

  long written() {
    return written;
  }

  long alreadyWritten() {
    return alreadyWritten;
  }

  long tombstonesSkipped() {
    return tombstonesSkipped;
  }

  long batches() {
    return batches;
  }

  /** Mean time of a successful put(), from mapping to the last reply, in milliseconds. */
  double batchTimeAvgMs() {
    long count = batches;
    return count == 0 ? 0 : batchNanosTotal / 1e6 / count;
  }

  double batchTimeLastMs() {
    return batchNanosLast / 1e6;
  }

  long retries() {
    return retries;
  }

  long memoryGuardWaits() {
    return memoryGuardWaits;
  }
}
