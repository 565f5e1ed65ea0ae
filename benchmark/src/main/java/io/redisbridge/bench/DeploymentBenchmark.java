package io.redisbridge.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.redisbridge.quickstart.LocalServices;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.XAddParams;
import redis.clients.jedis.params.XReadParams;
import redis.clients.jedis.resps.StreamEntry;
import redis.clients.jedis.resps.StreamGroupInfo;

/**
 * Throughput as users deploy the plugin: redis-server, a KRaft broker and a distributed Connect worker
 * as separate processes (the quick start's services), the worker loading the unpacked plugin archive,
 * and the hand-written {@link Ceiling} loops as their own JVM against the same Redis and broker. Every
 * phase moves the same order entries and is timed from the outside the same way: from the first entry
 * moved to the last one acknowledged (source) or added (sink).
 *
 * <p>Before measuring, each connector moves a warm-up batch in the same worker, as a long-running worker
 * would have compiled its hot paths long before; the warm-up is not reported.
 *
 * <p>Run from the project root ({@code ./bench-deploy.sh}). System properties: {@code bench.n} (entries
 * per phase, default 1,000,000), {@code bench.warmup} (300,000), {@code bench.rate} (latency phases,
 * 10,000/s), {@code bench.latency.seconds} (20), {@code bench.phases} (comma-separated groups: throughput,
 * or only source or sink; latency, heap, scaling, many-streams, exactly-once; default all), {@code bench.profile} (a
 * flight recording of the worker per phase). Writes {@code benchmark/target/deploy-bench/results.md},
 * {@code .json} and {@code chart.svg}.
 */
public final class DeploymentBenchmark {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String GROUP = "bench";
  private static final int PARTITIONS = 3;
  /** The sink phases trim with MAXLEN ~ to this length, so trimming happens throughout. */
  static final long SINK_MAXLEN = 100_000;

  /** The documented tuned profile (docs/performance.md, "Tuning"; config/*-orders*-tuned.json). */
  static final Map<String, String> SOURCE_TUNED = Map.of(
      "producer.override.linger.ms", "20",
      "producer.override.batch.size", "524288",
      "redis.read.count", "5000");
  static final Map<String, String> SINK_TUNED = Map.of(
      "consumer.override.max.poll.records", "5000",
      "consumer.override.fetch.min.bytes", "65536");

  private final LocalServices services;
  private final Path root;
  private final Path out;
  private final Path plugins;
  private final int n;
  private final Map<String, PhaseResult> results = new LinkedHashMap<>();
  private GcLog gcLog;
  private int workers;
  /** Numbers each phase's streams, topics and connector, so repeated phases never meet a topic being deleted. */
  private int phaseCount;
  /** Every run of each phase; {@link #results} holds the median one. */
  private final Map<String, List<PhaseResult>> runs = new LinkedHashMap<>();

  private DeploymentBenchmark(LocalServices services, Path root, Path out, Path plugins, int n) {
    this.services = services;
    this.root = root;
    this.out = out;
    this.plugins = plugins;
    this.n = n;
  }

  public static void main(String[] args) throws Exception {
    int n = Integer.getInteger("bench.n", 1_000_000);
    Path root = Path.of("").toAbsolutePath();
    Path out = root.resolve("benchmark/target/deploy-bench");
    Path runDir = out.resolve("run-" + System.currentTimeMillis());
    Files.createDirectories(runDir);
    try (LocalServices services = new LocalServices(runDir,
        Files.readString(root.resolve("quickstart/target/runtime-classpath.txt")).trim())) {
      Path plugins = LocalServices.unpackBuiltPlugin(root, runDir.resolve("plugins"));
      log("starting redis-server, a KRaft broker and a Connect worker in " + runDir);
      // AOF as in the quick start, without automatic rewrites: a rewrite forks a child that would compete
      // for the cores in the middle of whichever phase it hit. The AOF is compacted between phases instead.
      services.startRedis("--auto-aof-rewrite-percentage", "0");
      services.startKafka();
      DeploymentBenchmark bench = new DeploymentBenchmark(services, root, out, plugins, n);
      bench.startWorker(Map.of());
      try {
        bench.run();
      } finally {
        // What finished is reported even when a later phase failed.
        new DeploymentReport(bench.results, n, redisVersion(services)).write(out);
      }
    }
    if (!Boolean.getBoolean("bench.keep")) {
      // Broker logs and Redis's AOF of a full run take gigabytes; -Dbench.keep=true keeps them for a look.
      deleteTree(runDir);
    }
    System.exit(0);
  }

  private static void deleteTree(Path dir) throws java.io.IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
    }
  }

  /**
   * Rewrites Redis's AOF between phases, once the phase's streams are gone: the log of every XADD, XACK
   * and delivery otherwise grows by gigabytes per phase. Outside the measured time, so no fork competes.
   */
  private static void compactAof(UnifiedJedis redis) throws Exception {
    redis.sendCommand(Protocol.Command.BGREWRITEAOF);
    awaitNanos(() -> redis.info("persistence").contains("aof_rewrite_in_progress:0")
        && !redis.info("persistence").contains("aof_rewrite_scheduled:1"));
  }

  private static String redisVersion(LocalServices services) {
    try (UnifiedJedis redis = RedisClient.create("127.0.0.1", services.redisPort())) {
      for (String line : redis.info("server").split("\r?\n")) {
        if (line.startsWith("redis_version:")) {
          return line.substring("redis_version:".length()).trim();
        }
      }
    }
    return "?";
  }

  private void run() throws Exception {
    int warmup = warmupCount();
    log("warm-up: " + warmup + " entries through each connector (not reported)");
    source("warmup-source", "warm-up", warmup, 1, 1, Map.of());
    sink("warmup-sink", "warm-up", warmup, Map.of());
    results.clear();
    runs.clear();
    int repeat = Integer.getInteger("bench.repeat", 3);
    for (int round = 1; round <= repeat; round++) {
      log("throughput, round " + round + " of " + repeat);
      throughput();
    }
    otherPhases();
  }

  /** The throughput phases, connector and loop side by side; run {@code bench.repeat} times. */
  private void throughput() throws Exception {
    if (selected("throughput") || selected("source")) {
      source("source", "source, defaults", n, 1, 1, Map.of());
      sourceCeiling("source-ceiling", "source loop, same headers, Connect's producer defaults", true, Map.of());
      source("source-no-headers", "source, defaults, record.headers empty", n, 1, 1, Map.of("record.headers", ""));
      sourceCeiling("source-ceiling-no-headers", "source loop, no headers, Connect's producer defaults", false,
          Map.of());
      source("source-tuned", "source, tuned", n, 1, 1, SOURCE_TUNED);
      sourceCeiling("source-ceiling-tuned", "source loop, same headers, tuned producer", true,
          Map.of("linger.ms", "20", "batch.size", "524288"));
      Map<String, String> tunedWithoutHeaders = new HashMap<>(SOURCE_TUNED);
      tunedWithoutHeaders.put("record.headers", "");
      source("source-tuned-no-headers", "source, tuned, record.headers empty", n, 1, 1, tunedWithoutHeaders);
      sourceCeiling("source-ceiling-tuned-no-headers", "source loop, no headers, tuned producer", false,
          Map.of("linger.ms", "20", "batch.size", "524288"));
    }
    if (selected("throughput") || selected("sink")) {
      sink("sink", "sink, defaults (MAXLEN ~ " + SINK_MAXLEN + ")", n, Map.of());
      sink("sink-tuned", "sink, tuned", n, SINK_TUNED);
      sinkCeiling("sink-ceiling", "sink loop");
    }
  }

  private void otherPhases() throws Exception {
    if (selected("heap")) {
      for (int backlog : List.of(100_000, 1_000_000)) {
        String size = backlog / 1000 + "k";
        source("heap-source-" + size, String.format(Locale.ROOT, "source, defaults, %,d backlog", backlog), backlog,
            1, 1, Map.of(), true);
        sink("heap-sink-" + size, String.format(Locale.ROOT, "sink, defaults, %,d backlog", backlog), backlog,
            Map.of(), true);
      }
    }
    if (selected("latency")) {
      int rate = Integer.getInteger("bench.rate", 10_000);
      int seconds = Integer.getInteger("bench.latency.seconds", 20);
      sourceLatency(rate, seconds);
      sinkLatency(rate, seconds);
    }
    if (selected("scaling")) {
      for (int streams : List.of(1, 4)) {
        for (int tasks : List.of(1, 2, 4)) {
          source("scaling-" + tasks + "x" + streams, "source, tuned, " + tasks + " task(s), " + streams
              + " stream(s)", n, streams, tasks, SOURCE_TUNED);
        }
      }
    }
    if (selected("many-streams")) {
      // The same entries in one stream and spread over 1,000 streams found by a pattern, in rounds, since
      // the first phase after the warm-up runs slow: the medians compare.
      for (int round = 1; round <= Integer.getInteger("bench.repeat", 3); round++) {
        log("many streams, round " + round);
        source("streams-1", "source, defaults, 1 stream", n, 1, 1, Map.of());
        source("streams-1000", "source, defaults, 1,000 streams by pattern", n, 1000, 1, Map.of(), false, true);
        source("streams-1-4-tasks", "source, defaults, 1 stream, 4 tasks", n, 1, 4, Map.of());
        source("streams-1000-4-tasks", "source, defaults, 1,000 streams by pattern, 4 tasks", n, 1000, 4,
            Map.of(), false, true);
      }
    }
    if (selected("exactly-once")) {
      sink("sink-eos", "sink, exactly once", n, Map.of("exactly.once.enabled", "true"));
      // Exactly-once source needs a worker with it enabled (which also makes every source task transactional).
      log("replacing the worker with one that has exactly.once.source.support=enabled");
      services.killLatestWorker();
      startWorker(Map.of("exactly.once.source.support", "enabled"));
      source("warmup-source-eos", "warm-up", warmupCount(), 1, 1,
          Map.of("exactly.once.support", "required"));
      results.remove("warmup-source-eos");
      runs.remove("warmup-source-eos");
      source("source-eos", "source, exactly once", n, 1, 1, Map.of("exactly.once.support", "required"));
      // Entries are confirmed only when their transaction commits: the in-flight cap must hold a whole interval.
      source("source-eos-interval", "source, exactly once, 1 s transactions, 200,000 in flight", n, 1, 1, Map.of(
          "exactly.once.support", "required", "transaction.boundary", "interval",
          "transaction.boundary.interval.ms", "1000", "max.in.flight.entries", "200000"));
    }
  }

  private static int warmupCount() {
    return Integer.getInteger("bench.warmup", 300_000);
  }

  private static boolean selected(String group) {
    String phases = System.getProperty("bench.phases", "");
    return phases.isBlank() || List.of(phases.split(",")).contains(group);
  }

  private void startWorker(Map<String, String> overrides) throws Exception {
    gcLog = new GcLog(out.resolve("worker-" + workers++ + "-gc.log"));
    Files.deleteIfExists(out.resolve("worker-" + (workers - 1) + "-gc.log"));
    services.workerJvmOptions(List.of(gcLog.jvmOption()));
    services.startConnect(root.resolve("config/connect-distributed.properties"), plugins, overrides);
  }

  private UnifiedJedis redis() {
    return RedisClient.create("127.0.0.1", services.redisPort());
  }

  /** Writes {@code entries} orders round-robin over the streams; returns each stream's last ID. */
  private Map<String, StreamEntryID> fillStreams(List<String> streams, int entries) {
    Map<String, StreamEntryID> last = new LinkedHashMap<>();
    try (UnifiedJedis redis = redis()) {
      XAddParams params = XAddParams.xAddParams();
      for (int from = 0; from < entries; from += 10_000) {
        try (AbstractPipeline pipeline = redis.pipelined()) {
          for (int i = from; i < Math.min(entries, from + 10_000); i++) {
            pipeline.xadd(streams.get(i % streams.size()), params, Phases.order(i));
          }
          pipeline.sync();
        }
      }
      for (String stream : streams) {
        last.put(stream, redis.xrevrange(stream, "+", "-", 1).get(0).getID());
        redis.xgroupCreate(stream, GROUP, new StreamEntryID(0, 0), false);
      }
    }
    return last;
  }

  private Map<String, String> sourceConfig(String name, List<String> streams, int tasks) {
    Map<String, String> config = new HashMap<>();
    config.put("connector.class", "io.redisbridge.source.RedisStreamsSourceConnector");
    config.put("tasks.max", Integer.toString(tasks));
    config.put("redis.uri", "redis://127.0.0.1:" + services.redisPort());
    config.put("redis.streams", String.join(",", streams));
    config.put("redis.consumer.group", GROUP);
    config.put("topic", name);
    config.put("value.format", "map");
    config.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
    config.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
    config.put("value.converter.schemas.enable", "false");
    return config;
  }

  private void source(String id, String label, int entries, int streamCount, int tasks, Map<String, String> extra)
      throws Exception {
    source(id, label, entries, streamCount, tasks, extra, false);
  }

  private void source(String id, String label, int entries, int streamCount, int tasks, Map<String, String> extra,
      boolean liveHeap) throws Exception {
    source(id, label, entries, streamCount, tasks, extra, liveHeap, false);
  }

  /** With {@code byPattern} the connector finds its streams with redis.streams.pattern instead of a list. */
  private void source(String id, String label, int entries, int streamCount, int tasks, Map<String, String> extra,
      boolean liveHeap, boolean byPattern) throws Exception {
    String name = id + "-" + (++phaseCount);
    log(label + ": " + entries + " entries");
    List<String> streams = new ArrayList<>();
    for (int i = 0; i < streamCount; i++) {
      streams.add(name + (streamCount == 1 ? "" : "-" + i));
    }
    Map<String, StreamEntryID> last = fillStreams(streams, entries);
    services.createTopic(name, PARTITIONS);
    Map<String, String> config = sourceConfig(name, streams, tasks);
    if (byPattern) {
      config.remove("redis.streams");
      config.put("redis.streams.pattern", name + "-*");
    }
    config.putAll(extra);
    try (UnifiedJedis redis = redis()) {
      measure(id, label, entries, null, () -> services.putConnector(name, JSON.writeValueAsString(config)),
          () -> streams.stream().anyMatch(s -> !group(redis, s).getLastDeliveredId().equals(new StreamEntryID(0, 0))),
          () -> streams.stream().allMatch(s -> {
            StreamGroupInfo group = group(redis, s);
            return group.getLastDeliveredId().equals(last.get(s)) && group.getPending() == 0;
          }),
          () -> streams.stream().mapToLong(s -> ((Number) group(redis, s).getGroupInfo().get("entries-read"))
              .longValue()).sum(), liveHeap);
      services.deleteConnector(name);
      redis.unlink(streams.toArray(new String[0]));
      compactAof(redis);
      services.deleteTopic(name);
    }
  }

  private void sourceCeiling(String id, String label, boolean headers, Map<String, String> producerOverrides)
      throws Exception {
    String name = id + "-" + (++phaseCount);
    log(label + ": " + n + " entries");
    String warmup = name + "-warmup";
    fillStreams(List.of(warmup), warmupCount());
    services.createTopic(warmup, PARTITIONS);
    StreamEntryID last = fillStreams(List.of(name), n).get(name);
    services.createTopic(name, PARTITIONS);
    List<String> args = new ArrayList<>(List.of("source", Integer.toString(services.redisPort()),
        services.bootstrapServers(), GROUP, warmup, name, Boolean.toString(headers)));
    producerOverrides.forEach((key, value) -> args.add(key + "=" + value));
    try (UnifiedJedis redis = redis()) {
      Process[] ceiling = new Process[1];
      measure(id, label, n, ceiling, () -> ceiling[0] = startCeiling(args),
          () -> !group(redis, name).getLastDeliveredId().equals(new StreamEntryID(0, 0)),
          () -> {
            StreamGroupInfo group = group(redis, name);
            return group.getLastDeliveredId().equals(last) && group.getPending() == 0;
          }, null, false);
      awaitExit(ceiling[0]);
      redis.unlink(name, warmup);
      compactAof(redis);
      services.deleteTopic(name);
      services.deleteTopic(warmup);
    }
  }

  private static StreamGroupInfo group(UnifiedJedis redis, String stream) {
    return redis.xinfoGroups(stream).get(0);
  }

  private void fillTopic(String topic, int records) throws Exception {
    services.createTopic(topic, PARTITIONS);
    // Every send is checked: a record the broker never took would leave its phase waiting forever.
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps(20))) {
      List<java.util.concurrent.Future<?>> sends = new ArrayList<>(records);
      for (int i = 0; i < records; i++) {
        sends.add(producer.send(new ProducerRecord<>(topic, ("k" + (i % 10_007)).getBytes(StandardCharsets.UTF_8),
            JSON.writeValueAsBytes(Phases.order(i)))));
      }
      producer.flush();
      for (java.util.concurrent.Future<?> send : sends) {
        send.get();
      }
    }
  }

  private Map<String, Object> producerProps(int lingerMs) {
    return Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, services.bootstrapServers(),
        ProducerConfig.LINGER_MS_CONFIG, lingerMs, ProducerConfig.BATCH_SIZE_CONFIG, 524_288,
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
  }

  private Map<String, String> sinkConfig(String topic) {
    Map<String, String> config = new HashMap<>();
    config.put("connector.class", "io.redisbridge.sink.RedisStreamsSinkConnector");
    config.put("tasks.max", "1");
    config.put("topics", topic);
    config.put("redis.uri", "redis://127.0.0.1:" + services.redisPort());
    config.put("trim.strategy", "maxlen");
    config.put("trim.maxlen", Long.toString(SINK_MAXLEN));
    config.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
    config.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
    config.put("value.converter.schemas.enable", "false");
    return config;
  }

  private void sink(String id, String label, int records, Map<String, String> extra) throws Exception {
    sink(id, label, records, extra, false);
  }

  private void sink(String id, String label, int records, Map<String, String> extra, boolean liveHeap)
      throws Exception {
    String name = id + "-" + (++phaseCount);
    log(label + ": " + records + " records");
    fillTopic(name, records);
    Map<String, String> config = sinkConfig(name);
    config.putAll(extra);
    try (UnifiedJedis redis = redis()) {
      measure(id, label, records, null, () -> services.putConnector(name, JSON.writeValueAsString(config)),
          () -> redis.exists(name), () -> entriesAdded(redis, name) >= records, () -> entriesAdded(redis, name),
          liveHeap);
      services.deleteConnector(name);
      redis.unlink(name);
      compactAof(redis);
      services.deleteTopic(name);
    }
  }

  private void sinkCeiling(String id, String label) throws Exception {
    String name = id + "-" + (++phaseCount);
    log(label + ": " + n + " records");
    String warmup = name + "-warmup";
    fillTopic(warmup, warmupCount());
    fillTopic(name, n);
    try (UnifiedJedis redis = redis()) {
      Process[] ceiling = new Process[1];
      measure(id, label, n, ceiling, () -> ceiling[0] = startCeiling(List.of("sink",
              Integer.toString(services.redisPort()), services.bootstrapServers(), warmup,
              Integer.toString(warmupCount()), name, Integer.toString(n), Long.toString(SINK_MAXLEN))),
          () -> redis.exists(name), () -> entriesAdded(redis, name) >= n, null, false);
      awaitExit(ceiling[0]);
      redis.unlink(name, warmup);
      compactAof(redis);
      services.deleteTopic(name);
      services.deleteTopic(warmup);
    }
  }

  /** Entries ever added to the stream: its length would stop growing once trimming starts. */
  private static long entriesAdded(UnifiedJedis redis, String stream) {
    if (!redis.exists(stream)) {
      return 0;
    }
    return ((Number) redis.xinfoStream(stream).getStreamInfo().get("entries-added")).longValue();
  }

  private interface Start {
    void run() throws Exception;
  }

  /**
   * Starts a phase and times it from {@code started} to {@code done}, with the CPU each process used
   * meanwhile, the worker's heap (connector phases) and, with {@code bench.profile}, a flight recording.
   * With {@code liveHeap}, the worker is made to collect all garbage (a full GC) once {@code progress}
   * reaches half the entries: what is left is the heap the connector needs while it works.
   */
  private void measure(String id, String label, int entries, Process[] ceiling, Start start, Callable<Boolean> started,
      Callable<Boolean> done, Callable<Long> progress, boolean liveHeap) throws Exception {
    start.run();
    long first = awaitNanos(started);
    Map<String, Long> pids = new LinkedHashMap<>(services.pids());
    if (ceiling != null) {
      pids.remove("connect-worker");
      pids.put("ceiling", ceiling[0].pid());
    }
    Map<String, Double> cpuBefore = ProcessCpu.snapshot(pids);
    long gcMark = gcLog.mark();
    Profile profile = Profile.start(ceiling == null && Boolean.getBoolean("bench.profile")
        ? pids.get("connect-worker") : -1, out.resolve(id + ".jfr"));
    GcLog.Heap live = null;
    if (liveHeap) {
      awaitNanos(() -> progress.call() >= entries / 2);
      long fullGcMark = gcLog.mark();
      Profile.jcmd(pids.get("connect-worker"), "GC.run");
      live = gcLog.since(fullGcMark);
    }
    long last = awaitNanos(done);
    Map<String, Double> cpu = ProcessCpu.since(cpuBefore, pids);
    profile.stop();
    GcLog.Heap heap = ceiling == null ? gcLog.since(gcMark) : null;
    if (live != null) {
      heap = new GcLog.Heap(heap.collections(), heap.peakMb(), live.afterGcMaxMb());
    }
    List<PhaseResult> phaseRuns = runs.computeIfAbsent(id, key -> new ArrayList<>());
    phaseRuns.add(PhaseResult.throughput(label, entries, (last - first) / 1e9, cpu, heap, liveHeap));
    results.put(id, PhaseResult.median(phaseRuns));
  }

  private Process startCeiling(List<String> args) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xms128m", "-Xmx512m", "-XX:+UseG1GC", "-cp", System.getProperty("java.class.path"),
        Ceiling.class.getName()));
    command.addAll(args);
    return new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(out.resolve("ceiling.log").toFile()).start();
  }

  private void awaitExit(Process process) throws Exception {
    if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("the ceiling loop did not stop; see " + out.resolve("ceiling.log"));
    }
  }

  /** Entry written to Redis until its record is readable in Kafka, at a fixed rate, through the source at defaults. */
  private void sourceLatency(int rate, int seconds) throws Exception {
    String id = "latency-source";
    log("source latency at " + rate + "/s for " + seconds + " s");
    try (UnifiedJedis redis = redis()) {
      redis.xgroupCreate(id, GROUP, StreamEntryID.XGROUP_LAST_ENTRY, true);
      services.createTopic(id, PARTITIONS);
      services.putConnector(id, JSON.writeValueAsString(sourceConfig(id, List.of(id), 1)));
      awaitNanos(() -> !redis.xinfoConsumers(id, GROUP).isEmpty());
      int total = rate * (seconds + Phases.WARMUP_SECONDS);
      List<Long> latencies = new ArrayList<>(total);
      Thread writer = new Thread(() -> Phases.paced(rate, total, batch -> {
        try (AbstractPipeline pipeline = redis.pipelined()) {
          for (int i = 0; i < batch; i++) {
            Map<String, String> fields = Phases.order(i);
            fields.put("sent", Long.toString(System.nanoTime()));
            pipeline.xadd(id, XAddParams.xAddParams(), fields);
          }
          pipeline.sync();
        }
      }), "latency-writer");
      try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
          ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, services.bootstrapServers(),
          ConsumerConfig.GROUP_ID_CONFIG, "latency-reader", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
          ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
          ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
        consumer.subscribe(List.of(id));
        writer.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds + 60L).toNanos();
        while (latencies.size() < total && System.nanoTime() < deadline) {
          for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(20))) {
            long now = System.nanoTime();
            latencies.add(now - Long.parseLong((String) JSON.readValue(record.value(), Map.class).get("sent")));
          }
        }
      } finally {
        writer.join();
        services.deleteConnector(id);
      }
      results.put(id, PhaseResult.latency("source at " + rate + "/s, defaults",
          Result.latency(id, Phases.sorted(Phases.afterWarmup(latencies, rate)), seconds), total));
    }
  }

  /** Record written to Kafka until its entry is in the Redis stream, at a fixed rate, through the sink at defaults. */
  private void sinkLatency(int rate, int seconds) throws Exception {
    String id = "latency-sink";
    log("sink latency at " + rate + "/s for " + seconds + " s");
    services.createTopic(id, PARTITIONS);
    try (UnifiedJedis redis = redis();
        KafkaProducer<byte[], byte[]> kafka = new KafkaProducer<>(producerProps(1))) {
      services.putConnector(id, JSON.writeValueAsString(sinkConfig(id)));
      // The sink's consumer owns the partitions once a first record arrives.
      kafka.send(new ProducerRecord<>(id, JSON.writeValueAsBytes(Map.of("sent", "0")))).get();
      awaitNanos(() -> redis.exists(id));
      StreamEntryID lastSeen = redis.xrevrange(id, "+", "-", 1).get(0).getID();
      int total = rate * (seconds + Phases.WARMUP_SECONDS);
      List<Long> latencies = new ArrayList<>(total);
      Thread writer = new Thread(() -> Phases.paced(rate, total, batch -> {
        for (int i = 0; i < batch; i++) {
          Map<String, String> fields = Phases.order(i);
          fields.put("sent", Long.toString(System.nanoTime()));
          try {
            kafka.send(new ProducerRecord<>(id, JSON.writeValueAsBytes(fields)));
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }
      }), "latency-kafka-writer");
      writer.start();
      try {
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds + 60L).toNanos();
        while (latencies.size() < total && System.nanoTime() < deadline) {
          List<Map.Entry<String, List<StreamEntry>>> read = redis.xread(
              XReadParams.xReadParams().count(5000).block(20), Map.of(id, lastSeen));
          if (read == null || read.isEmpty()) {
            continue;
          }
          long now = System.nanoTime();
          for (StreamEntry entry : read.get(0).getValue()) {
            latencies.add(now - Long.parseLong(entry.getFields().get("sent")));
            lastSeen = entry.getID();
          }
        }
      } finally {
        writer.join();
        services.deleteConnector(id);
      }
      results.put(id, PhaseResult.latency("sink at " + rate + "/s, defaults",
          Result.latency(id, Phases.sorted(Phases.afterWarmup(latencies, rate)), seconds), total));
    }
  }

  /** Polls {@code done} every 20 ms (polling Redis is the measurement itself); returns when it held. */
  private static long awaitNanos(Callable<Boolean> done) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
    while (!done.call()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("a phase did not finish in 10 minutes");
      }
      Thread.sleep(20);
    }
    return System.nanoTime();
  }

  static void log(String message) {
    System.err.println("[deploy-bench] " + message);
  }
}
