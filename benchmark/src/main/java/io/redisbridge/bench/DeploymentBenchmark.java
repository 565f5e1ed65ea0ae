package io.redisbridge.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.redisbridge.quickstart.LocalServices;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.XAddParams;
import redis.clients.jedis.resps.StreamGroupInfo;

/**
 * Throughput as users deploy the plugin: redis-server, a KRaft broker and a distributed Connect worker
 * as separate processes (the quick start's services), the worker loading the unpacked plugin archive.
 * Each connector runs at its defaults (one task, schemaless JSON values) and exactly once, on the same
 * order entries; reported are entries per second from the first entry moved to the last, the CPU
 * seconds each process used meanwhile (from /proc) and the worker's CPU per entry.
 *
 * <p>Run from the project root ({@code ./bench-deploy.sh}). System property {@code bench.n}: entries per
 * phase, default 1,000,000. Writes {@code benchmark/target/deploy-bench/results.md} and {@code .json}.
 */
public final class DeploymentBenchmark {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String GROUP = "bench";

  private final LocalServices services;
  private final Path plugins;
  private final int n;
  private final List<Row> rows = new ArrayList<>();

  /** One phase's outcome. */
  record Row(String phase, int entries, double seconds, Map<String, Double> cpuSeconds) {
    double throughput() {
      return entries / seconds;
    }

    double workerMicrosPerEntry() {
      return cpuSeconds.get("connect-worker") * 1e6 / entries;
    }
  }

  private DeploymentBenchmark(LocalServices services, Path plugins, int n) {
    this.services = services;
    this.plugins = plugins;
    this.n = n;
  }

  public static void main(String[] args) throws Exception {
    int n = Integer.getInteger("bench.n", 1_000_000);
    Path root = Path.of("").toAbsolutePath();
    Path out = root.resolve("benchmark/target/deploy-bench");
    Path runDir = out.resolve("run-" + System.currentTimeMillis());
    Files.createDirectories(runDir);
    Path archive;
    try (Stream<Path> files = Files.list(root.resolve("plugin/target"))) {
      archive = files.filter(f -> f.getFileName().toString().endsWith(".zip")).findFirst().orElseThrow();
    }
    try (LocalServices services = new LocalServices(runDir,
        Files.readString(root.resolve("quickstart/target/runtime-classpath.txt")).trim())) {
      Path plugins = LocalServices.unzip(archive, runDir.resolve("plugins"));
      log("starting redis-server, a KRaft broker and a Connect worker in " + runDir);
      services.startRedis();
      services.startKafka();
      Path worker = root.resolve("config/connect-distributed.properties");
      services.startConnect(worker, plugins);
      DeploymentBenchmark bench = new DeploymentBenchmark(services, plugins, n);
      bench.source("source, defaults", Map.of());
      bench.sink("sink, defaults", Map.of());
      bench.sink("sink, exactly once", Map.of("exactly.once.enabled", "true"));
      // Exactly-once source needs a worker with it enabled (which also makes every source task transactional).
      log("replacing the worker with one that has exactly.once.source.support=enabled");
      services.killLatestWorker();
      services.startConnect(worker, plugins, Map.of("exactly.once.source.support", "enabled"));
      bench.source("source, exactly once", Map.of("exactly.once.support", "required"));
      // Entries are confirmed only when their transaction commits: the in-flight cap must hold a whole interval.
      bench.source("source, exactly once, 1 s transactions, 200,000 in flight", Map.of(
          "exactly.once.support", "required", "transaction.boundary", "interval",
          "transaction.boundary.interval.ms", "1000", "max.in.flight.entries", "200000"));
      bench.report(out);
    }
    System.exit(0);
  }

  private UnifiedJedis redis() {
    return RedisClient.create("127.0.0.1", services.redisPort());
  }

  private void source(String phase, Map<String, String> extra) throws Exception {
    String stream = "src-" + rows.size();
    log(phase + ": " + n + " entries from stream " + stream);
    try (UnifiedJedis redis = redis()) {
      XAddParams params = XAddParams.xAddParams();
      for (int from = 0; from < n; from += 10_000) {
        try (AbstractPipeline pipeline = redis.pipelined()) {
          for (int i = from; i < Math.min(n, from + 10_000); i++) {
            pipeline.xadd(stream, params, Phases.order(i));
          }
          pipeline.sync();
        }
      }
      StreamEntryID last = redis.xrevrange(stream, "+", "-", 1).get(0).getID();
      redis.xgroupCreate(stream, GROUP, new StreamEntryID(0, 0), false);
      services.createTopic(stream, 3);
      Map<String, String> config = new HashMap<>();
      config.put("connector.class", "io.redisbridge.source.RedisStreamsSourceConnector");
      config.put("tasks.max", "1");
      config.put("redis.uri", "redis://127.0.0.1:" + services.redisPort());
      config.put("redis.streams", stream);
      config.put("redis.consumer.group", GROUP);
      config.put("value.format", "map");
      config.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
      config.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
      config.put("value.converter.schemas.enable", "false");
      config.putAll(extra);
      Map<String, Long> pids = services.pids();
      Map<String, Double> cpuBefore = ProcessCpu.snapshot(pids);
      services.putConnector(stream, JSON.writeValueAsString(config));
      long start = awaitNanos(() -> !group(redis, stream).getLastDeliveredId().equals(new StreamEntryID(0, 0)));
      long end = awaitNanos(() -> {
        StreamGroupInfo group = group(redis, stream);
        return group.getLastDeliveredId().equals(last) && group.getPending() == 0;
      });
      rows.add(new Row(phase, n, (end - start) / 1e9, ProcessCpu.since(cpuBefore, pids)));
      services.deleteConnector(stream);
    }
  }

  private static StreamGroupInfo group(UnifiedJedis redis, String stream) {
    return redis.xinfoGroups(stream).get(0);
  }

  private void sink(String phase, Map<String, String> extra) throws Exception {
    String topic = "sink-" + rows.size();
    log(phase + ": " + n + " records from topic " + topic);
    services.createTopic(topic, 3);
    Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, services.bootstrapServers(),
        ProducerConfig.LINGER_MS_CONFIG, 20, ProducerConfig.BATCH_SIZE_CONFIG, 524_288,
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
      for (int i = 0; i < n; i++) {
        producer.send(new ProducerRecord<>(topic, ("k" + (i % 10_007)).getBytes(StandardCharsets.UTF_8),
            JSON.writeValueAsBytes(Phases.order(i))));
      }
      producer.flush();
    }
    Map<String, String> config = new HashMap<>();
    config.put("connector.class", "io.redisbridge.sink.RedisStreamsSinkConnector");
    config.put("tasks.max", "1");
    config.put("topics", topic);
    config.put("redis.uri", "redis://127.0.0.1:" + services.redisPort());
    config.put("trim.strategy", "maxlen");
    config.put("trim.maxlen", Long.toString(2L * n));
    config.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
    config.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
    config.put("value.converter.schemas.enable", "false");
    config.putAll(extra);
    try (UnifiedJedis redis = redis()) {
      Map<String, Long> pids = services.pids();
      Map<String, Double> cpuBefore = ProcessCpu.snapshot(pids);
      services.putConnector(topic, JSON.writeValueAsString(config));
      long start = awaitNanos(() -> redis.exists(topic));
      long end = awaitNanos(() -> redis.xlen(topic) >= n);
      rows.add(new Row(phase, n, (end - start) / 1e9, ProcessCpu.since(cpuBefore, pids)));
      services.deleteConnector(topic);
    }
  }

  /** Polls {@code done} every 20 ms (polling Redis is the measurement itself); returns when it held. */
  private static long awaitNanos(java.util.concurrent.Callable<Boolean> done) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(20).toNanos();
    while (!done.call()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("a phase did not finish in 20 minutes");
      }
      Thread.sleep(20);
    }
    return System.nanoTime();
  }

  private void report(Path out) throws Exception {
    StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
        "Deployment mode: N = %,d entries per phase, %d cores, Java %s, separate redis-server, KRaft broker and "
            + "distributed worker (one task)%n%n", n, Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version")));
    table.append("| Phase | Entries/s | Worker CPU µs/entry | CPU s: worker / broker / Redis |\n|---|---|---|---|\n");
    ArrayNode json = JSON.createArrayNode();
    for (Row row : rows) {
      table.append(String.format(Locale.ROOT, "| %s | %,.0f | %.1f | %.1f / %.1f / %.1f |%n", row.phase(),
          row.throughput(), row.workerMicrosPerEntry(), row.cpuSeconds().get("connect-worker"),
          row.cpuSeconds().get("kafka-broker"), row.cpuSeconds().get("redis-server")));
      ObjectNode node = json.addObject();
      node.put("phase", row.phase());
      node.put("entries", row.entries());
      node.put("seconds", row.seconds());
      node.put("entriesPerSecond", row.throughput());
      node.put("workerMicrosPerEntry", row.workerMicrosPerEntry());
      row.cpuSeconds().forEach((process, seconds) -> node.put(process + "CpuSeconds", seconds));
    }
    System.out.println();
    System.out.print(table);
    Files.createDirectories(out);
    Files.writeString(out.resolve("results.md"), table);
    JSON.writerWithDefaultPrettyPrinter().writeValue(out.resolve("results.json").toFile(), json);
    System.out.println("\nWritten to " + out.resolve("results.md"));
  }

  private static void log(String message) {
    System.err.println("[deploy-bench] " + message);
  }
}
