package io.redisbridge.bench;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * One phase of the deployment-mode benchmark: a throughput phase (entries, seconds, CPU per process,
 * the worker's heap) or a latency phase (percentiles at a fixed rate).
 */
record PhaseResult(String label, int entries, double seconds, Map<String, Double> cpuSeconds, GcLog.Heap heap,
    boolean liveHeap, Result latency, List<Double> runThroughputs) {

  /**
   * @param liveHeap whether {@code heap.afterGcMaxMb} is the live heap after a full collection mid-run,
   *     rather than the most any young collection left
   */
  static PhaseResult throughput(String label, int entries, double seconds, Map<String, Double> cpuSeconds,
      GcLog.Heap heap, boolean liveHeap) {
    return new PhaseResult(label, entries, seconds, cpuSeconds, heap, liveHeap, null, List.of(entries / seconds));
  }

  /** The run with the median throughput (the lower middle one of an even count), with every run's throughput. */
  static PhaseResult median(List<PhaseResult> runs) {
    List<PhaseResult> sorted = runs.stream().sorted(Comparator.comparingDouble(PhaseResult::throughput)).toList();
    PhaseResult median = sorted.get((sorted.size() - 1) / 2);
    return new PhaseResult(median.label, median.entries, median.seconds, median.cpuSeconds, median.heap,
        median.liveHeap, null, runs.stream().map(PhaseResult::throughput).toList());
  }

  static PhaseResult latency(String label, Result latency, int entries) {
    return new PhaseResult(label, entries, latency.seconds(), Map.of(), null, false, latency, List.of());
  }

  boolean isLatency() {
    return latency != null;
  }

  double throughput() {
    return entries / seconds;
  }

  /** The process that moved the entries: the Connect worker, or the ceiling's own JVM. */
  String mover() {
    return cpuSeconds.containsKey("ceiling") ? "ceiling" : "connect-worker";
  }

  double moverMicrosPerEntry() {
    return cpuSeconds.get(mover()) * 1e6 / entries;
  }

  /** CPU of every process together per entry: what bounds throughput when the machine is saturated. */
  double totalMicrosPerEntry() {
    return cpuSeconds.values().stream().mapToDouble(Double::doubleValue).sum() * 1e6 / entries;
  }
}
