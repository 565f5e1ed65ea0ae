package io.redisbridge.quickstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.XAddParams;

/**
 * Both connectors on a worker that runs as its own process with remote JMX and the Prometheus JMX
 * exporter agent, read over JMX while data flows and once it has: the numbers move, and end where the
 * data says they must; the exporter, with config/prometheus-jmx-exporter.yml, shows them named and labelled.
 */
class MetricsOverJmxIT {

  private static final Path ROOT = Path.of(System.getProperty("project.root", "..")).toAbsolutePath().normalize();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int ORDERS = 20_000;
  private static LocalServices services;
  private static int jmxPort;
  private static int prometheusPort;

  @BeforeAll
  static void start() throws Exception {
    Path runDir = Files.createTempDirectory("metrics-it-");
    services = new LocalServices(runDir,
        Files.readString(ROOT.resolve("quickstart/target/runtime-classpath.txt")).trim());
    Path plugins = LocalServices.unpackBuiltPlugin(ROOT, runDir.resolve("plugins"));
    try (ServerSocket socket = new ServerSocket(0); ServerSocket other = new ServerSocket(0)) {
      jmxPort = socket.getLocalPort();
      prometheusPort = other.getLocalPort();
    }
    Path agent = ROOT.resolve("quickstart/target/agents/jmx_prometheus_javaagent.jar");
    services.workerJvmOptions(List.of(
        "-javaagent:" + agent + "=127.0.0.1:" + prometheusPort + ":"
            + ROOT.resolve("config/prometheus-jmx-exporter.yml"),
        "-Dcom.sun.management.jmxremote.port=" + jmxPort,
        "-Dcom.sun.management.jmxremote.rmi.port=" + jmxPort, "-Dcom.sun.management.jmxremote.authenticate=false",
        "-Dcom.sun.management.jmxremote.ssl=false", "-Dcom.sun.management.jmxremote.local.only=false",
        "-Djava.rmi.server.hostname=127.0.0.1"));
    services.startRedis();
    services.startKafka();
    services.startConnect(ROOT.resolve("config/connect-distributed.properties"), plugins);
  }

  @AfterAll
  static void stop() {
    if (services != null) {
      services.close();
    }
  }

  private static double read(MBeanServerConnection jmx, String name, String attribute) throws Exception {
    Object value = jmx.getAttribute(new ObjectName(name), attribute);
    return value == null ? -1 : ((Number) value).doubleValue();
  }

  @Test
  void sourceAndSinkNumbersMoveWithTheDataAndEndWhereItDoes() throws Exception {
    services.createTopic("jmx-orders", 1);
    Map<String, String> source = PipelineConfigs.source(services.redisPort(), "jmx-orders", "jmx",
        PipelineConfigs.JSON_VALUES);
    Map<String, String> sink = PipelineConfigs.sink(services.redisPort(), "jmx-orders", "jmx-archive",
        PipelineConfigs.JSON_VALUES);
    services.putConnector("jmx-source", JSON.writeValueAsString(source));
    services.putConnector("jmx-sink", JSON.writeValueAsString(sink));

    String sourceTask = "io.redisbridge:type=source-task-metrics,connector=jmx-source,task=0";
    String sourceStream = "io.redisbridge:type=source-stream-metrics,connector=jmx-source,task=0,stream=jmx-orders";
    String sinkTask = "io.redisbridge:type=sink-task-metrics,connector=jmx-sink,task=0";
    JMXServiceURL url = new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + jmxPort + "/jmxrmi");
    try (JMXConnector connector = JMXConnectorFactory.connect(url); Jedis redis = new Jedis("127.0.0.1",
        services.redisPort())) {
      MBeanServerConnection jmx = connector.getMBeanServerConnection();
      await("the tasks' metrics registered").atMost(Duration.ofSeconds(60)).until(() ->
          jmx.queryNames(new ObjectName("io.redisbridge:*"), null).size() == 3);
      assertThat(jmx.queryNames(new ObjectName("io.redisbridge:*"), null)).extracting(ObjectName::toString)
          .containsExactlyInAnyOrder(sourceTask, sourceStream, sinkTask);

      // While orders arrive, in rounds: every number moves.
      for (int round = 0; round < 4; round++) {
        for (int n = round * ORDERS / 4; n < (round + 1) * ORDERS / 4; n++) {
          redis.xadd("jmx-orders", XAddParams.xAddParams(), Map.of("order_id", "o-" + n, "amount", "9.99"));
        }
        int delivered = (round + 1) * ORDERS / 4;
        await("round " + round).atMost(Duration.ofSeconds(60)).until(() ->
            read(jmx, sourceTask, "entries-read") >= delivered && read(jmx, sinkTask, "records-written") > 0);
      }
      await("everything acknowledged, written and sampled").atMost(Duration.ofSeconds(90)).until(() ->
          read(jmx, sourceTask, "entries-acknowledged") == ORDERS && read(jmx, sinkTask, "records-written") == ORDERS
              && read(jmx, sourceStream, "group-lag") == 0 && read(jmx, sourceStream, "group-pending") == 0);
      assertThat(read(jmx, sourceTask, "entries-read")).isEqualTo(ORDERS);
      assertThat(read(jmx, sourceTask, "entries-in-flight")).isZero();
      assertThat(read(jmx, sourceTask, "entries-dead-lettered")).isZero();
      assertThat(read(jmx, sinkTask, "batches")).isBetween(1.0, (double) ORDERS);
      assertThat(read(jmx, sinkTask, "batch-time-avg-ms")).isPositive();
      assertThat(read(jmx, sinkTask, "batch-retries")).isZero();
      assertThat(redis.xlen("jmx-archive")).isEqualTo(ORDERS);

      // The same gauges through Connect's plugin metrics (KIP-877), which this 4.x worker offers.
      String pluginSource = "kafka.connect:type=plugins,connector=jmx-source,task=0";
      String pluginStream = pluginSource + ",stream=jmx-orders";
      String pluginSink = "kafka.connect:type=plugins,connector=jmx-sink,task=0";
      assertThat(read(jmx, pluginSource, "entries-acknowledged")).isEqualTo(ORDERS);
      assertThat(read(jmx, pluginSource, "entries-in-flight")).isZero();
      assertThat(read(jmx, pluginStream, "group-pending")).isZero();
      assertThat(read(jmx, pluginSink, "records-written")).isEqualTo(ORDERS);
      assertThat(read(jmx, pluginSink, "batches")).isEqualTo(read(jmx, sinkTask, "batches"));

      // The same numbers through the Prometheus exporter with config/prometheus-jmx-exporter.yml.
      String scraped = scrape();
      assertThat(scraped).contains(
          sample("source_entries_read_total", "jmx-source", null, "20000.0"),
          sample("source_entries_acknowledged_total", "jmx-source", null, "20000.0"),
          sample("source_entries_in_flight", "jmx-source", null, "0.0"),
          sample("source_group_lag", "jmx-source", "jmx-orders", "0.0"),
          sample("source_group_pending", "jmx-source", "jmx-orders", "0.0"),
          sample("sink_records_written_total", "jmx-sink", null, "20000.0"),
          sample("sink_batch_retries_total", "jmx-sink", null, "0.0"),
          sample("source_dead_letters_owed", "jmx-source", null, "0.0"),
          sample("source_redis_stalls_total", "jmx-source", null, "0.0"),
          sample("sink_redis_stalls_total", "jmx-sink", null, "0.0"));
      assertThat(scraped).containsPattern(
          "redis_kafka_bridge_source_redis_stall_ms\\{connector=\"jmx-source\",task=\"0\"} [0-9.]+");
      assertThat(scraped).containsPattern(
          "redis_kafka_bridge_sink_redis_stall_ms\\{connector=\"jmx-sink\",task=\"0\"} [0-9.]+");
      assertThat(scraped).doesNotContain("redis_kafka_bridge_sink_redis_stall_ms_total");
      assertThat(scraped).containsPattern(
          "redis_kafka_bridge_sink_batch_time_avg_ms\\{connector=\"jmx-sink\",task=\"0\"} [0-9.]+");
      assertDashboardUsesOnly(scraped);

      // A deleted connector leaves no metrics behind.
      services.deleteConnector("jmx-sink");
      await("the sink's metrics unregistered").atMost(Duration.ofSeconds(60)).until(() ->
          jmx.queryNames(new ObjectName("io.redisbridge:*"), null).stream().map(ObjectName::toString)
              .noneMatch(name -> name.contains("jmx-sink")));
      assertThat(Set.copyOf(jmx.queryNames(new ObjectName("io.redisbridge:type=source-task-metrics,*"), null)))
          .hasSize(1);
      await("the sink's plugin metrics removed").atMost(Duration.ofSeconds(60)).until(() ->
          jmx.queryNames(new ObjectName(pluginSink + ",*"), null).isEmpty()
              && jmx.queryNames(new ObjectName(pluginSink), null).isEmpty());
      assertThat(jmx.queryNames(new ObjectName(pluginSource), null)).hasSize(1);
    }
  }

  /**
   * Every series the Grafana dashboard (deploy/grafana/redis-kafka-bridge.json) queries is one the exporter
   * rules produce, so the dashboard cannot drift from the metric names.
   */
  private static void assertDashboardUsesOnly(String scraped) throws Exception {
    java.nio.file.Path file = PipelineCrashLoop.ROOT.resolve("deploy/grafana/redis-kafka-bridge.json");
    com.fasterxml.jackson.databind.JsonNode dashboard = new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(java.nio.file.Files.readString(file));
    Set<String> exported = new java.util.TreeSet<>();
    java.util.regex.Matcher sampleName = java.util.regex.Pattern.compile("(?m)^(redis_kafka_bridge_[a-z0-9_]+)[{ ]")
        .matcher(scraped);
    while (sampleName.find()) {
      exported.add(sampleName.group(1));
    }
    Set<String> queried = new java.util.TreeSet<>();
    int expressions = 0;
    for (com.fasterxml.jackson.databind.JsonNode panel : dashboard.get("panels")) {
      for (com.fasterxml.jackson.databind.JsonNode target : panel.get("targets")) {
        java.util.regex.Matcher name = java.util.regex.Pattern.compile("redis_kafka_bridge_[a-z0-9_]+")
            .matcher(target.get("expr").asText());
        expressions++;
        while (name.find()) {
          queried.add(name.group());
        }
      }
    }
    for (com.fasterxml.jackson.databind.JsonNode variable : dashboard.get("templating").get("list")) {
      java.util.regex.Matcher name = java.util.regex.Pattern.compile("redis_kafka_bridge_[a-z0-9_]+")
          .matcher(variable.path("definition").asText());
      while (name.find()) {
        queried.add(name.group());
      }
    }
    assertThat(expressions).isGreaterThanOrEqualTo(15);
    assertThat(exported).as("what the exporter serves").containsAll(queried);
    assertThat(queried).as("the dashboard shows reading, acknowledging, writing, lag, dead letters and stalls")
        .contains("redis_kafka_bridge_source_entries_read_total", "redis_kafka_bridge_source_group_lag",
            "redis_kafka_bridge_sink_records_written_total", "redis_kafka_bridge_sink_memory_guard_waits_total",
            "redis_kafka_bridge_source_redis_stall_ms");
  }

  /** One line of the exporter's text format, labels in the order it writes them. */
  private static String sample(String name, String connector, String stream, String value) {
    return "redis_kafka_bridge_" + name + "{connector=\"" + connector + "\","
        + (stream == null ? "" : "stream=\"" + stream + "\",") + "task=\"0\"} " + value;
  }

  private static String scrape() throws Exception {
    java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + prometheusPort + "/metrics"))
            .timeout(Duration.ofSeconds(30)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }
}
