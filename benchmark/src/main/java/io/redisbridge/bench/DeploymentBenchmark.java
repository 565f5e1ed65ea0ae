package io.redisbridge.bench;

import static io.redisbridge.bench.BenchStack.log;
import static io.redisbridge.bench.BenchStack.warmupCount;

import io.redisbridge.quickstart.LocalServices;
import io.redisbridge.quickstart.ApicurioRegistry;
import io.redisbridge.quickstart.MavenJars;
import io.redisbridge.testing.LocalRedisCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;

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
 * or only source or sink; latency, heap, scaling, many-streams, exactly-once, typed, per-key,
 * cluster, typed-avro; default all), {@code bench.profile} (a
 * flight recording of the worker per phase). Writes {@code benchmark/target/deploy-bench/results.md},
 * {@code .json} and {@code chart.svg}.
 */
public final class DeploymentBenchmark {

  /** The Avro schema of the article's items, as config/source-orders-typed.json declares it. */
  private static final String ITEMS_SCHEMA = "{\"items\":{\"type\":\"array\",\"items\":{\"type\":\"record\","
      + "\"name\":\"Item\",\"fields\":[{\"name\":\"sku\",\"type\":\"string\"},{\"name\":\"qty\",\"type\":\"int\"},"
      + "{\"name\":\"price\",\"type\":\"double\"}]}}}";

  /** The article's orders as a struct of strings, and typed with items as structure (of ITEMS_SCHEMA). */
  private static final String ARTICLE_STRINGS = "order_id,customer_id,total,items,timestamp";
  private static final String ARTICLE_TYPED =
      "order_id!,customer_id:int64!,total:float64~,items:json,timestamp:timestamp";
  /** The benchmark's own orders typed: a required ID, a long and a decimal. */
  private static final String ORDER_TYPED = "order_id!,customer_id:int64,product,action,amount:decimal(10,2)";

  private final BenchStack stack;
  private final SourcePhases source;
  private final SinkPhases sink;
  private final int n;
  /** Apicurio's registry for the typed-avro phase, or null when that phase is not selected. */
  private final ApicurioRegistry registry;

  private DeploymentBenchmark(BenchStack stack, ApicurioRegistry registry) {
    this.stack = stack;
    this.source = new SourcePhases(stack);
    this.sink = new SinkPhases(stack);
    this.n = stack.n;
    this.registry = registry;
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
      BenchStack stack = new BenchStack(services, root, out, plugins, n);
      ApicurioRegistry registry = null;
      try {
        Map<String, String> worker = Map.of();
        if (selected("typed-avro")) {
          MavenJars jars = new MavenJars(root);
          jars.addApicurioConverterTo(plugins);
          registry = ApicurioRegistry.start(jars.apicurioRegistryApp(), runDir);
          // Apicurio's converter jars carry no ServiceLoader manifest, so service_load alone would not find it.
          worker = Map.of("plugin.discovery", "hybrid_warn");
        }
        stack.startWorker(worker);
        new DeploymentBenchmark(stack, registry).run();
      } finally {
        // What finished is reported even when a later phase failed.
        new DeploymentReport(stack.results, stack.sections, n, redisVersion(services)).write(out);
        if (registry != null) {
          registry.close();
        }
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
    source.run("warmup-source", "warm-up", warmup, 1, 1, Map.of());
    sink.run("warmup-sink", "warm-up", warmup, Map.of());
    stack.results.clear();
    stack.runs.clear();
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
      source.run("source", "source, defaults", n, 1, 1, Map.of());
      source.ceiling("source-ceiling", "source loop, same headers, Connect's producer defaults", true, Map.of());
      source.run("source-no-headers", "source, defaults, record.headers empty", n, 1, 1, Map.of("record.headers", ""));
      source.run("source-all-headers", "source, defaults, all three record.headers", n, 1, 1,
          Map.of("record.headers", "redis.stream,redis.entry.id,redis.delivery.count"));
      // The article's orders (seven fields, items as JSON text, a trace context) with nothing configured.
      source.withEntries(Workload::articleOrder).run("source-article", "source, defaults, article orders", n, 1, 1,
          Map.of());
      source.ceiling("source-ceiling-no-headers", "source loop, no headers, Connect's producer defaults", false,
          Map.of());
      source.run("source-tuned", "source, tuned", n, 1, 1, SourcePhases.TUNED);
      source.ceiling("source-ceiling-tuned", "source loop, same headers, tuned producer", true,
          Map.of("linger.ms", "20", "batch.size", "524288"));
      Map<String, String> tunedWithoutHeaders = new HashMap<>(SourcePhases.TUNED);
      tunedWithoutHeaders.put("record.headers", "");
      source.run("source-tuned-no-headers", "source, tuned, record.headers empty", n, 1, 1, tunedWithoutHeaders);
      source.ceiling("source-ceiling-tuned-no-headers", "source loop, no headers, tuned producer", false,
          Map.of("linger.ms", "20", "batch.size", "524288"));
    }
    if (selected("throughput") || selected("sink")) {
      sink.run("sink", "sink, defaults (MAXLEN ~ " + SinkPhases.MAXLEN + ")", n, Map.of());
      sink.run("sink-tuned", "sink, tuned", n, SinkPhases.TUNED);
      sink.ceiling("sink-ceiling", "sink loop");
    }
  }

  private void otherPhases() throws Exception {
    if (selected("heap")) {
      for (int backlog : List.of(100_000, 1_000_000)) {
        String size = backlog / 1000 + "k";
        source.run("heap-source-" + size, String.format(Locale.ROOT, "source, defaults, %,d backlog", backlog), backlog,
            1, 1, Map.of(), true);
        sink.run("heap-sink-" + size, String.format(Locale.ROOT, "sink, defaults, %,d backlog", backlog), backlog,
            Map.of(), true);
      }
    }
    if (selected("latency")) {
      int rate = Integer.getInteger("bench.rate", 10_000);
      int seconds = Integer.getInteger("bench.latency.seconds", 20);
      source.latency(rate, seconds);
      sink.latency(rate, seconds);
    }
    if (selected("scaling")) {
      for (int streams : List.of(1, 4)) {
        for (int tasks : List.of(1, 2, 4)) {
          source.run("scaling-" + tasks + "x" + streams, "source, tuned, " + tasks + " task(s), " + streams
              + " stream(s)", n, streams, tasks, SourcePhases.TUNED);
        }
      }
    }
    if (selected("many-streams")) {
      // The same entries in one stream and spread over 1,000 streams found by a pattern, in rounds, since
      // the first phase after the warm-up runs slow: the medians compare.
      for (int round = 1; round <= Integer.getInteger("bench.repeat", 3); round++) {
        log("many streams, round " + round);
        source.run("streams-1", "source, defaults, 1 stream", n, 1, 1, Map.of());
        source.run("streams-1000", "source, defaults, 1,000 streams by pattern", n, 1000, 1, Map.of(), false, true);
        source.run("streams-1-4-tasks", "source, defaults, 1 stream, 4 tasks", n, 1, 4, Map.of());
        source.run("streams-1000-4-tasks", "source, defaults, 1,000 streams by pattern, 4 tasks", n, 1000, 4,
            Map.of(), false, true);
      }
    }
    if (selected("typed")) {
      // The same order entries as a struct of strings and as typed fields (long, decimal), in rounds. The
      // warm-up ran schemaless maps: one unreported run of each struct shape compiles the struct paths first.
      Map<String, String> orderTyped = Map.of("value.format", "struct", "value.struct.fields", ORDER_TYPED);
      Map<String, String> articleTyped = Map.of("value.format", "struct", "value.struct.fields", ARTICLE_TYPED,
          "value.json.schemas", ITEMS_SCHEMA);
      SourcePhases articles = source.withEntries(Workload::articleOrder);
      source.run("warmup-struct", "warm-up", warmupCount(), 1, 1, orderTyped);
      articles.run("warmup-article-typed", "warm-up", warmupCount(), 1, 1, articleTyped);
      stack.forget("warmup-struct", "warmup-article-typed");
      for (int round = 1; round <= Integer.getInteger("bench.repeat", 3); round++) {
        log("typed fields, round " + round);
        source.run("struct-strings", "source, struct of strings", n, 1, 1, Map.of("value.format", "struct",
            "value.struct.fields", "order_id,customer_id,product,action,amount"));
        source.run("struct-typed", "source, struct with typed fields", n, 1, 1, orderTyped);
        // The article's orders: items as text, and as structure (json with its schema, as the typed example).
        articles.run("article-strings", "source, article orders, struct of strings", n, 1, 1, Map.of(
            "value.format", "struct", "value.struct.fields", ARTICLE_STRINGS));
        articles.run("article-typed", "source, article orders, typed with items as json", n, 1, 1, articleTyped);
      }
    }
    if (selected("typed") || selected("typed-avro")) {
      log("typed fields: the mapper and the JSON converter in one JVM");
      stack.sections.add(new MappingCost().table(ARTICLE_STRINGS, ARTICLE_TYPED, ITEMS_SCHEMA));
    }
    if (selected("typed-avro")) {
      // The article's orders as Avro through Apicurio's converter (Confluent wire format): strings against types.
      Map<String, String> avro = Map.of(
          "value.converter", "io.apicurio.registry.utils.converter.AvroConverter",
          "value.converter.apicurio.registry.url", registry.registryApiUrl(),
          "value.converter.apicurio.registry.as-confluent", "true",
          "value.converter.apicurio.registry.use-id", "contentId",
          "value.converter.apicurio.registry.headers.enabled", "false",
          "value.converter.apicurio.registry.auto-register", "true",
          "value.format", "struct");
      Map<String, String> typed = with(avro, "value.struct.fields", ARTICLE_TYPED, "value.json.schemas", ITEMS_SCHEMA);
      SourcePhases articles = source.withEntries(Workload::articleOrder);
      // The worker has not run the Avro converter yet: one unreported typed run compiles both phases' paths.
      articles.run("warmup-avro", "warm-up", warmupCount(), 1, 1, typed);
      stack.forget("warmup-avro");
      for (int round = 1; round <= Integer.getInteger("bench.repeat", 3); round++) {
        log("typed fields in Avro, round " + round);
        articles.run("avro-strings", "source, article orders, Avro, struct of strings", n, 1, 1, with(avro,
            "value.struct.fields", ARTICLE_STRINGS));
        articles.run("avro-typed", "source, article orders, Avro, typed with items as json", n, 1, 1, typed);
      }
    }
    if (selected("cluster")) {
      // Every stream of a pattern over 3 primaries sits in a slot of its own: reads go out per slot group.
      try (LocalRedisCluster redisCluster = LocalRedisCluster.start(0, "5000")) {
        SourcePhases onCluster = source.onCluster(redisCluster);
        // The worker has not run the cluster client's code yet: one unreported run compiles it.
        onCluster.run("warmup-cluster", "warm-up", warmupCount(), 250, 1, Map.of(), false, true);
        stack.forget("warmup-cluster");
        for (int round = 1; round <= Integer.getInteger("bench.repeat", 3); round++) {
          log("Redis Cluster, round " + round);
          onCluster.run("cluster-1", "source, defaults, Redis Cluster, 1 stream", n, 1, 1, Map.of());
          onCluster.run("cluster-250", "source, defaults, Redis Cluster, 250 streams by pattern", n, 250, 1,
              Map.of(), false, true);
          onCluster.run("cluster-1000-4-tasks", "source, defaults, Redis Cluster, 1,000 streams by pattern, 4 tasks",
              n, 1000, 4, Map.of(), false, true);
        }
      }
      // The same across a slow link (every reply 1 ms late, as between hosts): where a round trip per slot costs.
      try (LocalRedisCluster distant = LocalRedisCluster.start(0, "5000")) {
        SourcePhases across = source.onCluster(distant.behindLatency(1));
        int entries = Math.max(1, n / 5);
        for (int round = 1; round <= Integer.getInteger("bench.repeat", 3); round++) {
          log("Redis Cluster 1 ms away, round " + round);
          across.run("cluster-slow-1", "source, defaults, Redis Cluster 1 ms away, 1 stream", entries, 1, 1,
              Map.of());
          across.run("cluster-slow-250", "source, defaults, Redis Cluster 1 ms away, 250 streams by pattern", entries,
              250, 1, Map.of(), false, true);
        }
      }
    }
    if (selected("per-key")) {
      // One stream per record key (the ${key} template) with an expiry, against one stream, in rounds.
      for (int round = 1; round <= Integer.getInteger("bench.repeat", 3); round++) {
        log("streams per key, round " + round);
        sink.run("sink-one-stream", "sink, defaults, one stream", n, Map.of("redis.stream.ttl.ms", "600000"));
        sink.runPerKey("sink-per-key", "sink, 100,000 keys to 100,000 streams, TTL 10 min", n, 100_000,
            Duration.ofMinutes(10));
      }
    }
    if (selected("exactly-once")) {
      // At-least-once at defaults on the plain worker: what exactly once is compared with, in the same run.
      // The first source run after the warm-up runs slow: one unreported run first, as for exactly once below.
      source.run("warmup-source-alo", "warm-up", warmupCount(), 1, 1, Map.of());
      stack.forget("warmup-source-alo");
      source.run("source-alo-reference", "source, at least once, defaults (reference)", n, 1, 1, Map.of());
      sink.run("sink-eos", "sink, exactly once", n, Map.of("exactly.once.enabled", "true"));
      // Exactly-once source needs a worker with it enabled (which also makes every source task transactional).
      log("replacing the worker with one that has exactly.once.source.support=enabled");
      stack.services.killLatestWorker();
      stack.startWorker(Map.of("exactly.once.source.support", "enabled"));
      source.run("warmup-source-eos", "warm-up", warmupCount(), 1, 1,
          Map.of("exactly.once.support", "required"));
      stack.forget("warmup-source-eos");
      source.run("source-eos", "source, exactly once", n, 1, 1, Map.of("exactly.once.support", "required"));
      // Entries are confirmed only when their transaction commits: the in-flight cap must hold a whole interval.
      source.run("source-eos-interval", "source, exactly once, 1 s transactions, 200,000 in flight", n, 1, 1, Map.of(
          "exactly.once.support", "required", "transaction.boundary", "interval",
          "transaction.boundary.interval.ms", "1000", "max.in.flight.entries", "200000"));
      // The connector's own boundaries at its defaults: nothing to tune.
      source.run("source-eos-connector", "source, exactly once, transaction.boundary=connector, defaults", n, 1, 1,
          Map.of("exactly.once.support", "required", "transaction.boundary", "connector"));
    }
  }

  /** {@code base} with {@code pairs} (key, value, key, value...) added. */
  private static Map<String, String> with(Map<String, String> base, String... pairs) {
    Map<String, String> config = new java.util.HashMap<>(base);
    for (int i = 0; i < pairs.length; i += 2) {
      config.put(pairs[i], pairs[i + 1]);
    }
    return config;
  }

  private static boolean selected(String group) {
    String phases = System.getProperty("bench.phases", "");
    return phases.isBlank() || List.of(phases.split(",")).contains(group);
  }
}
