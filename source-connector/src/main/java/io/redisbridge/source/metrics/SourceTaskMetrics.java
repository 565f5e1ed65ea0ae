package io.redisbridge.source.metrics;

import io.redisbridge.common.metrics.JmxMetrics;
import io.redisbridge.common.metrics.PluginMetricsRegistration;
import io.redisbridge.common.retry.RedisStallWatch;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The source task's numbers over JMX: {@code io.redisbridge:type=source-task-metrics,connector=...,task=...}
 * and per stream {@code type=source-stream-metrics,...,stream=...}. See the metrics table in docs/operations.md.
 */
public final class SourceTaskMetrics implements AutoCloseable {

  private final List<JmxMetrics> registered = new ArrayList<>();
  private final PluginMetricsRegistration.Registration pluginMetrics;

  /** {@code pluginMetrics} returns the worker's plugin metrics of this task; see PluginMetricsRegistration. */
  public SourceTaskMetrics(String connector, String task, SourceProgress progress, StreamGroupStats groups,
      RedisStallWatch stallWatch, Supplier<Object> pluginMetrics) {
    Map<String, String> keys = JmxMetrics.taskKeys(connector, task);
    registered.add(JmxMetrics.named("source-task-metrics", keys)
        .gauge("entries-read", "Entries read from Redis and handed to Connect", progress::delivered)
        .gauge("entries-acknowledged", "Entries acknowledged (XACK) after Kafka took their records",
            progress::acknowledged)
        .gauge("entries-in-flight", "Entries handed to Connect and not yet acknowledged", progress::inFlight)
        .gauge("entries-dead-lettered", "Entries moved to a dead-letter stream", progress::deadLettered)
        .gauge("entries-deleted-while-pending", "Pending entries found deleted or trimmed, acknowledged",
            progress::deletedWhilePending)
        .gauge("entries-already-in-kafka", "Exactly once: pending entries Kafka already had, acknowledged",
            progress::alreadyInKafka)
        .gauge("dead-letters-owed", "Rejected entries whose dead letter Redis has not taken yet (e.g. out of "
            + "memory); they stay pending", progress::deadLettersOwed)
        .gauge("redis-stall-ms", "Milliseconds since the last successful Redis round trip while the task waits "
            + "for Redis; 0 when its last call succeeded", stallWatch::stalledMs)
        .gauge("redis-stalls", "Times the task waited for Redis longer than the stall threshold (a WARN each)",
            stallWatch::stalls)
        .register());
    for (String stream : progress.streams()) {
      Map<String, String> streamKeys = new LinkedHashMap<>(keys);
      streamKeys.put("stream", stream);
      registered.add(JmxMetrics.named("source-stream-metrics", streamKeys)
          .gauge("group-pending", "Entries pending in the consumer group (XINFO GROUPS), sampled every 10 s",
              () -> sampled(groups, stream, StreamGroupStats.Sample::pending))
          .gauge("group-lag", "Entries not yet delivered to the group (XINFO GROUPS lag), sampled every 10 s",
              () -> sampled(groups, stream, StreamGroupStats.Sample::lag))
          .register());
    }
    this.pluginMetrics = PluginMetricsRegistration.register(pluginMetrics, registered,
        "source connector " + connector + " task " + task);
  }

  /** One number of the stream's last sample; null before the first. */
  private static Number sampled(StreamGroupStats groups, String stream,
      Function<StreamGroupStats.Sample, Number> number) {
    StreamGroupStats.Sample sample = groups.of(stream);
    return sample == null ? null : number.apply(sample);
  }

  @Override
  public void close() {
    registered.forEach(JmxMetrics::close);
    pluginMetrics.close();
  }
}
