package io.redisbridge.bench;

/** One measured phase. Latency fields are 0 for throughput phases and vice versa. */
record Result(String name, long entries, double seconds, long peakHeapBytes, double p50Ms, double p99Ms,
    double maxMs) {

  static Result throughput(String name, long entries, double seconds, long peakHeapBytes) {
    return new Result(name, entries, seconds, peakHeapBytes, 0, 0, 0);
  }

  static Result latency(String name, long[] sortedNanos, double seconds) {
    if (sortedNanos.length == 0) {
      return new Result(name, 0, seconds, 0, Double.NaN, Double.NaN, Double.NaN);
    }
    return new Result(name, sortedNanos.length, seconds, 0, ms(sortedNanos, 0.50), ms(sortedNanos, 0.99),
        sortedNanos[sortedNanos.length - 1] / 1e6);
  }

  private static double ms(long[] sorted, double quantile) {
    return sorted[(int) Math.min(sorted.length - 1, Math.floor(quantile * sorted.length))] / 1e6;
  }

  double throughput() {
    return seconds == 0 ? 0 : entries / seconds;
  }
}
