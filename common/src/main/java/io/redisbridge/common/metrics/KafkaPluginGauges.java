package io.redisbridge.common.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.PluginMetrics;

/**
 * The only class that names Kafka's {@code PluginMetrics} (Kafka 4.1+): the JVM loads it only once
 * {@link PluginMetricsRegistration} has a plugin metrics object, so older workers never link against it.
 */
final class KafkaPluginGauges implements PluginMetricsRegistration.Registration {

  /** Tags the worker puts on every plugin metric of a task itself; adding them again is refused. */
  private static final Set<String> WORKER_TAGS = Set.of("connector", "task");

  private final PluginMetrics plugin;
  private final List<MetricName> names = new ArrayList<>();

  private KafkaPluginGauges(PluginMetrics plugin) {
    this.plugin = plugin;
  }

  static PluginMetricsRegistration.Registration register(Object pluginMetrics, List<JmxMetrics> metrics) {
    KafkaPluginGauges gauges = new KafkaPluginGauges((PluginMetrics) pluginMetrics);
    for (JmxMetrics group : metrics) {
      LinkedHashMap<String, String> tags = new LinkedHashMap<>(group.keys());
      tags.keySet().removeAll(WORKER_TAGS);
      group.forEachGauge((attribute, description, value) -> {
        MetricName name = gauges.plugin.metricName(attribute, description, tags);
        gauges.plugin.addMetric(name, (Gauge<Double>) (config, now) -> {
          Number number = value.get();
          return number == null ? null : number.doubleValue();
        });
        gauges.names.add(name);
      });
    }
    return gauges;
  }

  @Override
  public void close() {
    for (MetricName name : names) {
      try {
        plugin.removeMetric(name);
      } catch (RuntimeException e) {
        // The worker closes a stopped task's plugin metrics itself, which removes them first.
      }
    }
    names.clear();
  }
}
