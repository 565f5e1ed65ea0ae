package io.redisbridge.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The deployment-mode benchmark's results as a Markdown table, JSON and an SVG chart. */
final class DeploymentReport {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, PhaseResult> results;
  private final int n;
  private final String redisVersion;
  /** Tables of measurements that are not phases of the deployment, e.g. {@link MappingCost}'s. */
  private final List<String> sections;

  DeploymentReport(Map<String, PhaseResult> results, List<String> sections, int n, String redisVersion) {
    this.results = results;
    this.sections = sections;
    this.n = n;
    this.redisVersion = redisVersion;
  }

  /**
   * The ceiling each phase is compared with: the hand-written loop doing the same work the same way. Phases
   * with other entries, other settings or another Redis (typed, cluster, exactly once, per key) have none.
   */
  static String ceilingOf(String id) {
    return switch (id) {
      case "sink", "sink-tuned" -> "sink-ceiling";
      case "source", "streams-1" -> "source-ceiling";
      case "source-no-headers" -> "source-ceiling-no-headers";
      case "source-tuned" -> "source-ceiling-tuned";
      case "source-tuned-no-headers" -> "source-ceiling-tuned-no-headers";
      default -> id.startsWith("scaling") ? "source-ceiling-tuned" : null;
    };
  }

  void write(Path out) throws Exception {
    String markdown = markdown();
    System.out.println();
    System.out.print(markdown);
    Files.createDirectories(out);
    Files.writeString(out.resolve("results.md"), markdown);
    Files.writeString(out.resolve("chart.svg"), svg());
    JSON.writerWithDefaultPrettyPrinter().writeValue(out.resolve("results.json").toFile(), json());
    System.out.println("\nWritten to " + out.resolve("results.md") + ", results.json and chart.svg");
  }

  private Double ratio(String id) {
    String ceiling = ceilingOf(id);
    PhaseResult against = ceiling == null ? null : results.get(ceiling);
    return against == null ? null : results.get(id).throughput() / against.throughput();
  }

  String markdown() {
    StringBuilder md = new StringBuilder(String.format(Locale.ROOT,
        "Deployment mode: %,d entries per phase, %d cores, Java %s, Redis %s; redis-server, a KRaft broker and "
            + "a distributed worker as separate processes, the worker warmed up; one task unless stated.%n%n",
        n, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), redisVersion));
    md.append("| Phase | Entries/s (median) | Runs: min–max | Of loop | CPU µs/entry: worker (or loop) / all | "
        + "CPU s: worker (or loop) / broker / Redis | Worker heap peak MB |\n|---|---|---|---|---|---|---|\n");
    results.forEach((id, row) -> {
      if (row.isLatency() || row.liveHeap() || id.startsWith("scaling") || id.startsWith("streams-")) {
        return;
      }
      Double ratio = ratio(id);
      md.append(String.format(Locale.ROOT, "| %s | %,.0f | %s | %s | %.1f / %.1f | %.1f / %.1f / %.1f | %s |%n",
          row.label(), row.throughput(), range(row),
          ratio == null ? "" : String.format(Locale.ROOT, "%.0f%%", ratio * 100),
          row.moverMicrosPerEntry(), row.totalMicrosPerEntry(), row.cpuSeconds().get(row.mover()),
          row.cpuSeconds().get("kafka-broker"), row.cpuSeconds().get("redis-server"),
          row.heap() == null || row.heap().collections() == 0 ? "" : Long.toString(row.heap().peakMb())));
    });
    List<PhaseResult> heaps = results.values().stream().filter(PhaseResult::liveHeap).toList();
    if (!heaps.isEmpty()) {
      md.append("\n| Worker heap (-Xmx512m) | Entries/s | Live heap mid-run MB (after a full GC) | Peak MB |\n"
          + "|---|---|---|---|\n");
      for (PhaseResult row : heaps) {
        md.append(String.format(Locale.ROOT, "| %s | %,.0f | %d | %d |%n", row.label(), row.throughput(),
            row.heap().afterGcMaxMb(), row.heap().peakMb()));
      }
    }
    List<PhaseResult> latencies = results.values().stream().filter(PhaseResult::isLatency).toList();
    if (!latencies.isEmpty()) {
      md.append("\n| Latency | p50 ms | p99 ms | max ms |\n|---|---|---|---|\n");
      for (PhaseResult row : latencies) {
        md.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.1f |%n", row.label(), row.latency().p50Ms(),
            row.latency().p99Ms(), row.latency().maxMs()));
      }
    }
    if (results.keySet().stream().anyMatch(id -> id.startsWith("scaling"))) {
      md.append("\n| Source, tuned: entries/s | 1 stream | 4 streams |\n|---|---|---|\n");
      for (int tasks : List.of(1, 2, 4)) {
        md.append(String.format(Locale.ROOT, "| %d task%s | %s | %s |%n", tasks, tasks == 1 ? "" : "s",
            scaling(tasks, 1), scaling(tasks, 4)));
      }
    }
    if (results.keySet().stream().anyMatch(id -> id.startsWith("streams-"))) {
      md.append("\n| Source, defaults: entries/s | 1 stream | 1,000 streams (pattern) | 1,000 of 1 |\n"
          + "|---|---|---|---|\n");
      manyStreams(md, "1 task", "streams-1", "streams-1000");
      manyStreams(md, "4 tasks", "streams-1-4-tasks", "streams-1000-4-tasks");
    }
    if (results.keySet().stream().anyMatch(id -> id.startsWith("cluster-"))) {
      md.append("\n| Source, defaults, 3-primary Redis Cluster: entries/s | 1 stream, 1 task | 250 streams per task "
          + "(pattern) | Of 1 stream |\n|---|---|---|---|\n");
      manyStreams(md, "1 task, 250 streams", "cluster-1", "cluster-250");
      manyStreams(md, "4 tasks, 1,000 streams", "cluster-1", "cluster-1000-4-tasks");
      manyStreams(md, "1 task, 250 streams, every reply 1 ms late", "cluster-slow-1", "cluster-slow-250");
    }
    sections.forEach(md::append);
    return md.toString();
  }

  private void manyStreams(StringBuilder md, String label, String one, String many) {
    PhaseResult single = results.get(one);
    PhaseResult spread = results.get(many);
    if (single == null || spread == null) {
      return;
    }
    md.append(String.format(Locale.ROOT, "| %s | %,.0f | %,.0f | %.0f%% |%n", label, single.throughput(),
        spread.throughput(), 100 * spread.throughput() / single.throughput()));
  }

  private static String range(PhaseResult row) {
    if (row.runThroughputs().size() < 2) {
      return "";
    }
    double min = row.runThroughputs().stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    double max = row.runThroughputs().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    return String.format(Locale.ROOT, "%,.0f–%,.0f (%d)", min, max, row.runThroughputs().size());
  }

  private String scaling(int tasks, int streams) {
    PhaseResult row = results.get("scaling-" + tasks + "x" + streams);
    return row == null ? "" : String.format(Locale.ROOT, "%,.0f", row.throughput());
  }

  private ArrayNode json() {
    ArrayNode json = JSON.createArrayNode();
    results.forEach((id, row) -> {
      ObjectNode node = json.addObject();
      node.put("id", id);
      node.put("phase", row.label());
      node.put("entries", row.entries());
      if (row.isLatency()) {
        node.put("p50Ms", row.latency().p50Ms());
        node.put("p99Ms", row.latency().p99Ms());
        node.put("maxMs", row.latency().maxMs());
        return;
      }
      node.put("seconds", row.seconds());
      node.put("entriesPerSecond", row.throughput());
      ArrayNode runs = node.putArray("runsEntriesPerSecond");
      row.runThroughputs().forEach(runs::add);
      Double ratio = ratio(id);
      if (ratio != null) {
        node.put("ofCeiling", ratio);
      }
      node.put("moverMicrosPerEntry", row.moverMicrosPerEntry());
      node.put("allProcessesMicrosPerEntry", row.totalMicrosPerEntry());
      row.cpuSeconds().forEach((process, seconds) -> node.put(process + "CpuSeconds", seconds));
      if (row.heap() != null) {
        node.put("workerHeapPeakMb", row.heap().peakMb());
        if (row.liveHeap()) {
          node.put("workerLiveHeapMidRunMb", row.heap().afterGcMaxMb());
        }
      }
    });
    return json;
  }

  /** Horizontal bars: throughput of each phase (ceilings in grey), then latency percentiles. */
  String svg() {
    List<Map.Entry<String, PhaseResult>> bars = results.entrySet().stream()
        .filter(e -> !e.getValue().isLatency() && !e.getValue().liveHeap()).toList();
    List<PhaseResult> latencies = results.values().stream().filter(PhaseResult::isLatency).toList();
    int labelWidth = 390;
    int barWidth = 330;
    int rowHeight = 22;
    int height = 60 + bars.size() * rowHeight + (latencies.isEmpty() ? 0 : 50 + latencies.size() * 2 * rowHeight);
    double max = bars.stream().mapToDouble(e -> e.getValue().throughput()).max().orElse(1);
    StringBuilder svg = new StringBuilder(String.format(Locale.ROOT,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" "
            + "font-size=\"12\">%n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>%n"
            + "<text x=\"10\" y=\"22\" font-size=\"14\" font-weight=\"bold\">Entries per second, deployment mode "
            + "(%,d per phase; grey: hand-written loop)</text>%n", labelWidth + barWidth + 100, height, n));
    int y = 40;
    for (Map.Entry<String, PhaseResult> bar : bars) {
      double value = bar.getValue().throughput();
      boolean ceiling = bar.getKey().contains("ceiling");
      svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n"
              + "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>%n"
              + "<text x=\"%.1f\" y=\"%d\">%,.0f</text>%n",
          labelWidth - 8, y + 14, escape(bar.getValue().label()), labelWidth, y + 3, barWidth * value / max,
          rowHeight - 6, ceiling ? "#9e9e9e" : "#1f6fb2", labelWidth + barWidth * value / max + 5, y + 14, value));
      y += rowHeight;
    }
    if (!latencies.isEmpty()) {
      y += 20;
      svg.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"%d\" font-size=\"14\" font-weight=\"bold\">"
          + "Latency at a fixed rate, ms (p50 light, p99 dark)</text>%n", y));
      y += 15;
      double maxMs = latencies.stream().mapToDouble(r -> r.latency().p99Ms()).max().orElse(1);
      for (PhaseResult row : latencies) {
        for (boolean p99 : new boolean[] {false, true}) {
          double ms = p99 ? row.latency().p99Ms() : row.latency().p50Ms();
          svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s, %s</text>%n"
                  + "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>%n"
                  + "<text x=\"%.1f\" y=\"%d\">%.1f</text>%n",
              labelWidth - 8, y + 14, escape(row.label()), p99 ? "p99" : "p50", labelWidth, y + 3,
              barWidth * ms / maxMs, rowHeight - 6, p99 ? "#b25f1f" : "#e0a370",
              labelWidth + barWidth * ms / maxMs + 5, y + 14, ms));
          y += rowHeight;
        }
      }
    }
    return svg.append("</svg>\n").toString();
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
