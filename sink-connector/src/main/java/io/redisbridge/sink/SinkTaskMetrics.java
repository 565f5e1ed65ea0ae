package io.redisbridge.sink;

import io.redisbridge.common.metrics.JmxMetrics;
import io.redisbridge.common.metrics.PluginMetricsRegistration;
import io.redisbridge.common.retry.RedisStallWatch;
import java.util.List;
import java.util.function.Supplier;

/** The sink task's numbers over JMX: {@code io.redisbridge:type=sink-task-metrics,connector=...,task=...}. */
final class SinkTaskMetrics implements AutoCloseable {

  private final JmxMetrics metrics;
  private final PluginMetricsRegistration.Registration pluginMetrics;

  /** {@code pluginMetrics} returns the worker's plugin metrics of this task; see PluginMetricsRegistration. */
  SinkTaskMetrics(String connector, String task, SinkCounts sink, FailedRecords failed, ReplicaAcks replicas,
      RedisStallWatch stallWatch, Supplier<Object> pluginMetrics) {
    metrics = JmxMetrics.named("sink-task-metrics", JmxMetrics.taskKeys(connector, task))
        .gauge("records-written", "Records written to Redis as stream entries", sink::written)
        .gauge("records-already-written", "Exactly once: records skipped because the stream already had them",
            sink::alreadyWritten)
        .gauge("records-dead-lettered", "Records routed to a dead letter (Connect's queue or a Redis stream)",
            failed::total)
        .gauge("tombstones-skipped", "Records with a null value that were not written", sink::tombstonesSkipped)
        .gauge("batches", "Batches (put calls) written", sink::batches)
        .gauge("batch-time-avg-ms", "Mean time to write a batch, mapping to last reply, in milliseconds",
            sink::batchTimeAvgMs)
        .gauge("batch-time-last-ms", "Time the last batch took, in milliseconds", sink::batchTimeLastMs)
        .gauge("batch-retries", "Batches retried after a transient Redis failure (down, busy, failing over, "
            + "too few replicas)", sink::retries)
        .gauge("memory-guard-waits", "Batches held back because Redis was above memory.guard.max.ratio",
            sink::memoryGuardWaits)
        .gauge("replica-shortfalls", "Batches retried because fewer than redis.wait.replicas replicas had them",
            replicas::shortfalls)
        .gauge("redis-stall-ms", "Milliseconds since the last successful Redis round trip while the task waits "
            + "for Redis; 0 when its last call succeeded", stallWatch::stalledMs)
        .gauge("redis-stalls", "Times the task waited for Redis longer than the stall threshold (a WARN each)",
            stallWatch::stalls)
        .register();
    this.pluginMetrics = PluginMetricsRegistration.register(pluginMetrics, List.of(metrics),
        "sink connector " + connector + " task " + task);
  }

  @Override
  public void close() {
    metrics.close();
    pluginMetrics.close();
  }
}
