package io.redisbridge.common.metrics;

import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adds a task's metrics to Connect's plugin metrics (KIP-877) where the worker offers them, so they reach
 * every metrics reporter the worker has (JMX as {@code kafka.connect:type=plugins,connector=...,task=...},
 * and any other), besides the task's own MBeans, which every worker version has. Workers before Kafka 4.1
 * lack the API: the call fails to link, and the task goes on with its MBeans alone.
 */
public final class PluginMetricsRegistration {

  private static final Logger log = LoggerFactory.getLogger(PluginMetricsRegistration.class);

  /** What removes the metrics again; never throws. */
  public interface Registration extends AutoCloseable {
    @Override
    void close();
  }

  private PluginMetricsRegistration() {
  }

  /**
   * Registers {@code metrics} with the worker's plugin metrics, which {@code pluginMetrics} returns. Pass a
   * lambda ({@code () -> context.pluginMetrics()}), not a method reference: on an older worker a method
   * reference fails to link where it is written, outside this method's guard.
   *
   * @return what removes them again; does nothing when the worker has no plugin metrics
   */
  public static Registration register(Supplier<Object> pluginMetrics, List<JmxMetrics> metrics, String task) {
    try {
      return KafkaPluginGauges.register(pluginMetrics.get(), metrics);
    } catch (LinkageError e) {
      log.info("The worker has no Connect plugin metrics (KIP-877, Kafka 4.1 or newer) for {}; its metrics are "
          + "in the io.redisbridge MBeans only", task);
      return () -> { };
    } catch (RuntimeException e) {
      log.warn("Could not add the metrics of {} to Connect's plugin metrics; they are in the io.redisbridge "
          + "MBeans only: {}", task, e.toString());
      return () -> { };
    }
  }
}
