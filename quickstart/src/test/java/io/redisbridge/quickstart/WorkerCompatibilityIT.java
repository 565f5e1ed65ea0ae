package io.redisbridge.quickstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.params.XAddParams;

/**
 * The plugin as built, on workers of every Kafka version it claims (compat.kafka.versions, set in the
 * POM), each run as its own process from Maven Central jars against one broker: both connectors deploy,
 * move every entry and report their offsets, and the worker logs no linkage error from the plugin; the
 * metrics go through Connect's plugin metrics where the worker has them, and without them where not.
 */
class WorkerCompatibilityIT {

  private static final Path ROOT = Path.of(System.getProperty("project.root", "..")).toAbsolutePath().normalize();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int ORDERS = 2_000;
  private static LocalServices services;
  private static Path plugins;
  private static MavenJars jars;

  static List<String> versions() {
    return Arrays.stream(System.getProperty("compat.kafka.versions", "").split(","))
        .map(String::trim).filter(version -> !version.isEmpty()).toList();
  }

  @BeforeAll
  static void start() throws Exception {
    assertThat(versions()).as("compat.kafka.versions").isNotEmpty();
    jars = new MavenJars(ROOT);
    jars.resolveKafkaWorkers(versions());
    Path runDir = Files.createTempDirectory("compat-it-");
    services = new LocalServices(runDir,
        Files.readString(ROOT.resolve("quickstart/target/runtime-classpath.txt")).trim());
    plugins = LocalServices.unpackBuiltPlugin(ROOT, runDir.resolve("plugins"));
    services.startRedis();
    services.startKafka();
  }

  @AfterEach
  void stopWorker() throws InterruptedException {
    services.killLatestWorker();
  }

  @AfterAll
  static void stop() {
    if (services != null) {
      services.close();
    }
  }

  @ParameterizedTest(name = "Kafka {0} worker")
  @MethodSource("versions")
  void bothConnectorsMoveEveryEntryOnTheWorker(String version) throws Exception {
    String id = version.replace('.', '-');
    services.startConnect(ROOT.resolve("config/connect-distributed.properties"), plugins, Map.of(
        "group.id", "compat-" + id, "config.storage.topic", "compat-configs-" + id,
        "offset.storage.topic", "compat-offsets-" + id, "status.storage.topic", "compat-status-" + id),
        jars.kafkaWorkerClasspath(version));
    assertThat(JSON.readTree(services.get("/")).path("version").asText()).isEqualTo(version);

    // Names of their own per version: a killed worker's sink consumer stays in its group for a session timeout.
    String sourceName = "compat-source-" + id;
    String sinkName = "compat-sink-" + id;
    String stream = "compat-orders-" + id;
    String archive = "compat-archive-" + id;
    services.createTopic(stream, 1);
    Map<String, String> source = PipelineConfigs.source(services.redisPort(), stream, "compat",
        PipelineConfigs.JSON_VALUES);
    Map<String, String> sink = PipelineConfigs.sink(services.redisPort(), stream, archive,
        PipelineConfigs.JSON_VALUES);
    services.putConnector(sourceName, JSON.writeValueAsString(source));
    services.putConnector(sinkName, JSON.writeValueAsString(sink));

    List<String> orders = IntStream.range(0, ORDERS).mapToObj(n -> "order-" + n).toList();
    try (Jedis redis = new Jedis("127.0.0.1", services.redisPort())) {
      Pipeline pipeline = redis.pipelined();
      orders.forEach(order -> pipeline.xadd(stream, XAddParams.xAddParams(), Map.of("order_id", order)));
      pipeline.sync();

      await("every order through both connectors on Kafka " + version).atMost(Duration.ofSeconds(90))
          .until(() -> redis.xlen(archive) >= ORDERS && redis.xpending(stream, "compat").getTotal() == 0);
      assertThat(redis.xrange(archive, "-", "+").stream().map(entry -> entry.getFields().get("order_id")))
          .containsExactlyElementsOf(orders);
    }
    for (String connector : List.of(sourceName, sinkName)) {
      JsonNode status = JSON.readTree(services.get("/connectors/" + connector + "/status"));
      assertThat(status.path("connector").path("state").asText()).as(connector).isEqualTo("RUNNING");
      assertThat(status.path("tasks").get(0).path("state").asText()).as(connector).isEqualTo("RUNNING");
    }
    // The offsets API: the source's offset names the stream and the last entry it delivered.
    await("source offset committed").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(services.get("/connectors/" + sourceName + "/offsets")).contains(stream));

    services.deleteConnector(sourceName);
    services.deleteConnector(sinkName);
    String log = Files.readString(services.latestWorkerLog());
    assertThat(log).doesNotContain("NoSuchMethodError", "NoClassDefFoundError", "AbstractMethodError",
        "ClassNotFoundException: io.redisbridge");
    // Plugin metrics (KIP-877) from Kafka 4.1 on; before, each task says once that it goes on without them.
    String withoutPluginMetrics = "The worker has no Connect plugin metrics (KIP-877, Kafka 4.1 or newer) for ";
    if (offersPluginMetrics(version)) {
      assertThat(log).doesNotContain(withoutPluginMetrics);
    } else {
      assertThat(log).contains(withoutPluginMetrics + "source connector " + sourceName + " task 0",
          withoutPluginMetrics + "sink connector " + sinkName + " task 0");
    }
  }

  private static boolean offersPluginMetrics(String version) {
    String[] parts = version.split("\\.");
    int major = Integer.parseInt(parts[0]);
    return major > 4 || major == 4 && Integer.parseInt(parts[1]) >= 1;
  }
}
