package io.redisbridge.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.redisbridge.testing.RedisServer;
import io.redisbridge.testing.RedisServerExtension;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import redis.clients.jedis.UnifiedJedis;

/**
 * One run, one machine: hand-written ceilings and the two connectors on the same private redis-server
 * and in-process Kafka broker and Connect worker. Prints a Markdown table and writes
 * {@code benchmark/target/bench/results.json}.
 *
 * <p>System properties: {@code bench.n} (entries per throughput phase, default 1,000,000),
 * {@code bench.rate} (latency phase rate per second, default 10,000), {@code bench.latency.seconds}
 * (default 10).
 */
public final class Benchmark {

  public static void main(String[] args) throws Exception {
    int n = Integer.getInteger("bench.n", 1_000_000);
    int rate = Integer.getInteger("bench.rate", 10_000);
    int latencySeconds = Integer.getInteger("bench.latency.seconds", 10);
    List<Result> results = new ArrayList<>();
    try (RedisServer redisServer = RedisServerExtension.startServer(List.of());
        UnifiedJedis redis = redisServer.newClient()) {
      Map<String, String> workerProps = new HashMap<>();
      workerProps.put("offset.flush.interval.ms", "10000");
      EmbeddedConnectCluster connect = new EmbeddedConnectCluster.Builder().name("bench").numWorkers(1)
          .numBrokers(1).brokerProps(new Properties()).workerProps(workerProps).build();
      connect.start();
      try {
        Phases phases = new Phases(redis, redisServer.uri(), connect, n);
        // Latency first, on a quiet broker and heap; then the throughput phases.
        log("latency at " + rate + "/s for " + latencySeconds + " s");
        results.add(phases.sourceLatency(rate, latencySeconds));
        results.add(phases.sinkLatency(rate, latencySeconds));
        log("source ceiling: " + n + " entries");
        results.add(phases.sourceCeiling());
        log("source connector: " + n + " entries");
        results.add(phases.sourceConnector());
        log("sink ceiling: " + n + " records");
        results.add(phases.sinkCeiling());
        log("sink connector: " + n + " records");
        results.add(phases.sinkConnector());
        log("sink connector, exactly once: " + n + " records");
        results.add(phases.sinkConnectorExactlyOnce());
      } finally {
        connect.stop();
      }
      // Exactly-once source needs a worker (and broker) set up for it; everything else is as above.
      workerProps.put("exactly.once.source.support", "enabled");
      Properties brokerProps = new Properties();
      brokerProps.put("transaction.state.log.replication.factor", "1");
      brokerProps.put("transaction.state.log.min.isr", "1");
      EmbeddedConnectCluster exactlyOnce = new EmbeddedConnectCluster.Builder().name("bench-eos").numWorkers(1)
          .numBrokers(1).brokerProps(brokerProps).workerProps(workerProps).build();
      exactlyOnce.start();
      try {
        log("source connector, exactly once: " + n + " entries");
        results.add(new Phases(redis, redisServer.uri(), exactlyOnce, n).sourceConnectorExactlyOnce());
      } finally {
        exactlyOnce.stop();
      }
    }
    report(results, n, rate);
    System.exit(0);
  }

  /** The used heap's peak since the last reset, summed over the heap pools. */
  static long peakHeapBytes() {
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    return peak;
  }

  static void resetPeakHeap() {
    System.gc();
    ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
  }

  static void log(String message) {
    System.err.println("[bench] " + message);
  }

  private static void report(List<Result> results, int n, int rate) throws Exception {
    Map<String, Result> byName = new HashMap<>();
    results.forEach(result -> byName.put(result.name(), result));
    StringBuilder table = new StringBuilder();
    table.append("| Measure | Ceiling | Connector | Ratio |\n|---|---|---|---|\n");
    for (String side : List.of("source", "sink")) {
      Result ceiling = byName.get(side + " ceiling");
      Result connector = byName.get(side + " connector");
      table.append(String.format(Locale.ROOT, "| %s throughput (entries/s) | %,.0f | %,.0f | %.0f%% |%n", side,
          ceiling.throughput(), connector.throughput(), 100 * connector.throughput() / ceiling.throughput()));
    }
    for (String side : List.of("source", "sink")) {
      Result ceiling = byName.get(side + " ceiling");
      Result connector = byName.get(side + " connector, exactly once");
      table.append(String.format(Locale.ROOT, "| %s throughput, exactly once (entries/s) | %,.0f | %,.0f | %.0f%% |%n",
          side, ceiling.throughput(), connector.throughput(), 100 * connector.throughput() / ceiling.throughput()));
    }
    for (String side : List.of("source", "sink")) {
      Result ceiling = byName.get(side + " ceiling");
      Result connector = byName.get(side + " connector");
      table.append(String.format(Locale.ROOT, "| %s peak heap (MB, whole JVM) | %,d | %,d | |%n", side,
          ceiling.peakHeapBytes() >> 20, connector.peakHeapBytes() >> 20));
    }
    for (String side : List.of("source", "sink")) {
      Result latency = byName.get(side + " latency");
      table.append(String.format(Locale.ROOT,
          "| %s latency at %,d/s: p50 / p99 / max (ms) | | %.1f / %.1f / %.1f | |%n",
          side, rate, latency.p50Ms(), latency.p99Ms(), latency.maxMs()));
    }
    String header = String.format(Locale.ROOT, "N = %,d entries, %d cores, Java %s, Kafka %s, Redis %s%n%n", n,
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
        org.apache.kafka.common.utils.AppInfoParser.getVersion(), Phases.redisVersion);
    System.out.println();
    System.out.print(header);
    System.out.print(table);

    ObjectMapper json = new ObjectMapper();
    ObjectNode root = json.createObjectNode();
    root.put("n", n);
    root.put("cores", Runtime.getRuntime().availableProcessors());
    root.put("java", System.getProperty("java.version"));
    root.put("kafka", org.apache.kafka.common.utils.AppInfoParser.getVersion());
    root.put("redis", Phases.redisVersion);
    root.put("bridge", io.redisbridge.common.BridgeVersion.get());
    ArrayNode rows = root.putArray("results");
    for (Result result : results) {
      ObjectNode row = rows.addObject();
      row.put("name", result.name());
      row.put("entries", result.entries());
      row.put("seconds", result.seconds());
      row.put("entriesPerSecond", result.throughput());
      row.put("peakHeapBytes", result.peakHeapBytes());
      row.put("p50Ms", result.p50Ms());
      row.put("p99Ms", result.p99Ms());
      row.put("maxMs", result.maxMs());
    }
    Path out = Path.of("benchmark/target/bench/results.json");
    Files.createDirectories(out.getParent());
    json.writerWithDefaultPrettyPrinter().writeValue(out.toFile(), root);
    Files.writeString(out.resolveSibling("results.md"), header + table);
    System.out.println("\nWritten to " + out.toAbsolutePath());
  }
}
