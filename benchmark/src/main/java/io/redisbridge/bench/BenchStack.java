package io.redisbridge.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.redisbridge.quickstart.LocalServices;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.XAddParams;
import redis.clients.jedis.resps.StreamGroupInfo;

/**
 * What every phase of the deployment-mode benchmark shares: the separate processes (redis-server, a KRaft
 * broker, a Connect worker loading the plugin archive), filling streams and topics with the same order
 * entries, starting the hand-written {@link Ceiling} loops, and timing a phase from the outside
 * ({@link #measure}) into the results the report prints.
 */
final class BenchStack {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String GROUP = "bench";
  static final int PARTITIONS = 3;
  /** The name CPU figures give Redis by. */
  private static final String REDIS = "redis-server";

  final LocalServices services;
  final int n;
  private final Path root;
  private final Path out;
  private final Path plugins;
  /** The median run of each phase, as reported. */
  final Map<String, PhaseResult> results = new LinkedHashMap<>();
  /** Tables of measurements besides the phases, for the report. */
  final List<String> sections = new ArrayList<>();
  /** Every run of each phase; {@link #results} holds the median one. */
  final Map<String, List<PhaseResult>> runs = new LinkedHashMap<>();
  private GcLog gcLog;
  /** The processes whose CPU a phase reports as Redis's: the stack's redis-server unless a phase reads a cluster. */
  private List<Long> redisPids = List.of();
  private int workers;
  /** Numbers each phase's streams, topics and connector, so repeated phases never meet a topic being deleted. */
  private int phaseCount;

  BenchStack(LocalServices services, Path root, Path out, Path plugins, int n) {
    this.services = services;
    this.root = root;
    this.out = out;
    this.plugins = plugins;
    this.n = n;
  }

  /** A name for a phase's stream, topic and connector that no earlier phase used. */
  String nameFor(String id) {
    return id + "-" + (++phaseCount);
  }

  static int warmupCount() {
    return Integer.getInteger("bench.warmup", 300_000);
  }

  /** Connector phases start their connector this way. */
  void putConnector(String name, Map<String, String> config) throws Exception {
    services.putConnector(name, JSON.writeValueAsString(config));
  }

  /** Drops the runs of {@code ids} from the report: unreported warm-ups. */
  void forget(String... ids) {
    for (String id : ids) {
      results.remove(id);
      runs.remove(id);
    }
  }

  /** Until called again with an empty list, phases report the CPU of these processes as Redis's. */
  void countRedisCpuOf(List<Long> pids) {
    this.redisPids = List.copyOf(pids);
  }

  void startWorker(Map<String, String> overrides) throws Exception {
    gcLog = new GcLog(out.resolve("worker-" + workers++ + "-gc.log"));
    Files.deleteIfExists(out.resolve("worker-" + (workers - 1) + "-gc.log"));
    services.workerJvmOptions(List.of(gcLog.jvmOption()));
    services.startConnect(root.resolve("config/connect-distributed.properties"), plugins, overrides);
  }

  UnifiedJedis redis() {
    return RedisClient.create("127.0.0.1", services.redisPort());
  }

  /** Writes {@code entries} orders round-robin over the streams; returns each stream's last ID. */
  Map<String, StreamEntryID> fillStreams(List<String> streams, int entries) {
    return fillStreams(streams, entries, Workload::order);
  }

  /** Writes {@code entries} entries of {@code shape} round-robin over the streams; returns each stream's last ID. */
  Map<String, StreamEntryID> fillStreams(List<String> streams, int entries,
      java.util.function.LongFunction<Map<String, String>> shape) {
    return fillStreams(redis(), streams, entries, shape);
  }

  /** {@link #fillStreams(List, int, java.util.function.LongFunction)} through {@code client}, which it closes. */
  static Map<String, StreamEntryID> fillStreams(UnifiedJedis client, List<String> streams, int entries,
      java.util.function.LongFunction<Map<String, String>> shape) {
    Map<String, StreamEntryID> last = new LinkedHashMap<>();
    try (UnifiedJedis redis = client) {
      XAddParams params = XAddParams.xAddParams();
      for (int from = 0; from < entries; from += 10_000) {
        try (AbstractPipeline pipeline = redis.pipelined()) {
          for (int i = from; i < Math.min(entries, from + 10_000); i++) {
            pipeline.xadd(streams.get(i % streams.size()), params, shape.apply(i));
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

  static StreamGroupInfo group(UnifiedJedis redis, String stream) {
    return redis.xinfoGroups(stream).get(0);
  }

  void fillTopic(String topic, int records) throws Exception {
    fillTopic(topic, records, 10_007);
  }

  /** Fills {@code topic} with {@code records} orders whose keys take {@code keys} values in turn. */
  void fillTopic(String topic, int records, int keys) throws Exception {
    services.createTopic(topic, PARTITIONS);
    // Every send is checked: a record the broker never took would leave its phase waiting forever.
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps(20))) {
      List<java.util.concurrent.Future<?>> sends = new ArrayList<>(records);
      for (int i = 0; i < records; i++) {
        sends.add(producer.send(new ProducerRecord<>(topic, ("k" + (i % keys)).getBytes(StandardCharsets.UTF_8),
            JSON.writeValueAsBytes(Workload.order(i)))));
      }
      producer.flush();
      for (java.util.concurrent.Future<?> send : sends) {
        send.get();
      }
    }
  }

  Map<String, Object> producerProps(int lingerMs) {
    return Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, services.bootstrapServers(),
        ProducerConfig.LINGER_MS_CONFIG, lingerMs, ProducerConfig.BATCH_SIZE_CONFIG, 524_288,
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
  }

  /** Entries ever added to the stream: its length would stop growing once trimming starts. */
  static long entriesAdded(UnifiedJedis redis, String stream) {
    if (!redis.exists(stream)) {
      return 0;
    }
    return ((Number) redis.xinfoStream(stream).getStreamInfo().get("entries-added")).longValue();
  }

  /**
   * Starts a phase and times it from {@code started} to {@code done}, with the CPU each process used
   * meanwhile, the worker's heap (connector phases) and, with {@code bench.profile}, a flight recording.
   * With {@code liveHeap}, the worker is made to collect all garbage (a full GC) once {@code progress}
   * reaches half the entries: what is left is the heap the connector needs while it works.
   */
  void measure(String id, String label, int entries, Process[] ceiling, Start start, Callable<Boolean> started,
      Callable<Boolean> done, Callable<Long> progress, boolean liveHeap) throws Exception {
    start.run();
    long first = awaitNanos(started);
    Map<String, Long> pids = new LinkedHashMap<>(services.pids());
    if (!redisPids.isEmpty()) {
      pids.remove(REDIS);
      redisPids.forEach(pid -> pids.put(REDIS + "-" + pid, pid));
    }
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
    Map<String, Double> cpu = foldRedisNodes(ProcessCpu.since(cpuBefore, pids));
    profile.stop();
    GcLog.Heap heap = ceiling == null ? gcLog.since(gcMark) : null;
    if (live != null) {
      heap = new GcLog.Heap(heap.collections(), heap.peakMb(), live.afterGcMaxMb());
    }
    List<PhaseResult> phaseRuns = runs.computeIfAbsent(id, key -> new ArrayList<>());
    phaseRuns.add(PhaseResult.throughput(label, entries, (last - first) / 1e9, cpu, heap, liveHeap));
    results.put(id, PhaseResult.median(phaseRuns));
  }

  /** The CPU of a cluster's nodes as one figure, under the name the report reads Redis's CPU by. */
  private static Map<String, Double> foldRedisNodes(Map<String, Double> cpu) {
    Map<String, Double> folded = new LinkedHashMap<>();
    cpu.forEach((process, seconds) -> folded.merge(process.startsWith(REDIS) ? REDIS : process, seconds, Double::sum));
    return folded;
  }

  Process startCeiling(List<String> args) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xms128m", "-Xmx512m", "-XX:+UseG1GC", "-cp", System.getProperty("java.class.path"),
        Ceiling.class.getName()));
    command.addAll(args);
    return new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(out.resolve("ceiling.log").toFile()).start();
  }

  void awaitExit(Process process) throws Exception {
    if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("the ceiling loop did not stop; see " + out.resolve("ceiling.log"));
    }
  }

  /**
   * Rewrites Redis's AOF between phases, once the phase's streams are gone: the log of every XADD, XACK
   * and delivery otherwise grows by gigabytes per phase. Outside the measured time, so no fork competes.
   */
  static void compactAof(UnifiedJedis redis) throws Exception {
    redis.sendCommand(Protocol.Command.BGREWRITEAOF);
    awaitNanos(() -> redis.info("persistence").contains("aof_rewrite_in_progress:0")
        && !redis.info("persistence").contains("aof_rewrite_scheduled:1"));
  }

  /** Polls {@code done} every 20 ms (polling Redis is the measurement itself); returns when it held. */
  static long awaitNanos(Callable<Boolean> done) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
    while (!done.call()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("a phase did not finish in 10 minutes");
      }
      Thread.sleep(20);
    }
    return System.nanoTime();
  }

  /** After a loop's phase: waits for the loop to exit, then removes its streams and topics (measured and warm-up). */
  void dropCeiling(Process ceiling, UnifiedJedis redis, String name, String warmup) throws Exception {
    awaitExit(ceiling);
    redis.unlink(name, warmup);
    compactAof(redis);
    services.deleteTopic(name);
    services.deleteTopic(warmup);
  }

  /** How a phase starts what it measures. */
  interface Start {
    void run() throws Exception;
  }

  static void log(String message) {
    System.err.println("[deploy-bench] " + message);
  }
}
