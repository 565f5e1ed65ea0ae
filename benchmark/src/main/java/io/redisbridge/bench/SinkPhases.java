package io.redisbridge.bench;

import static io.redisbridge.bench.BenchStack.JSON;
import static io.redisbridge.bench.BenchStack.PARTITIONS;
import static io.redisbridge.bench.BenchStack.awaitNanos;
import static io.redisbridge.bench.BenchStack.compactAof;
import static io.redisbridge.bench.BenchStack.entriesAdded;
import static io.redisbridge.bench.BenchStack.log;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.params.XReadParams;
import redis.clients.jedis.resps.ScanResult;
import redis.clients.jedis.resps.StreamEntry;

/**
 * The sink connector's phases: throughput from a topic backlog, the hand-written sink loop on the same
 * backlog, one stream per record key, and latency at a fixed rate.
 */
final class SinkPhases {

  /** The sink phases trim with MAXLEN ~ to this length, so trimming happens throughout. */
  static final long MAXLEN = 100_000;
  /** The documented tuned profile (docs/performance.md, "Tuning"; config/*-orders*-tuned.json). */
  static final Map<String, String> TUNED = Map.of(
      "consumer.override.max.poll.records", "5000",
      "consumer.override.fetch.min.bytes", "65536");

  private static final Pattern XADD_CALLS = Pattern.compile("cmdstat_xadd:calls=(\\d+)");

  private final BenchStack stack;

  SinkPhases(BenchStack stack) {
    this.stack = stack;
  }

  Map<String, String> config(String topic) {
    Map<String, String> config = new HashMap<>();
    config.put("connector.class", "io.redisbridge.sink.RedisStreamsSinkConnector");
    config.put("tasks.max", "1");
    config.put("topics", topic);
    config.put("redis.uri", "redis://127.0.0.1:" + stack.services.redisPort());
    config.put("trim.strategy", "maxlen");
    config.put("trim.maxlen", Long.toString(MAXLEN));
    config.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
    config.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
    config.put("value.converter.schemas.enable", "false");
    return config;
  }

  void run(String id, String label, int records, Map<String, String> extra) throws Exception {
    run(id, label, records, extra, false);
  }

  void run(String id, String label, int records, Map<String, String> extra, boolean liveHeap)
      throws Exception {
    String name = stack.nameFor(id);
    log(label + ": " + records + " records");
    stack.fillTopic(name, records);
    Map<String, String> config = config(name);
    config.putAll(extra);
    try (UnifiedJedis redis = stack.redis()) {
      stack.measure(id, label, records, null, () -> stack.putConnector(name, config),
          () -> redis.exists(name), () -> entriesAdded(redis, name) >= records, () -> entriesAdded(redis, name),
          liveHeap);
      stack.services.deleteConnector(name);
      redis.unlink(name);
      compactAof(redis);
      stack.services.deleteTopic(name);
    }
  }

  /**
   * The sink with a {@code ${key}} stream template: {@code records} records with {@code keys} distinct keys
   * become that many streams (one per customer, device, session), each expiring {@code ttl} after its last
   * write ({@code redis.stream.ttl.ms}). Timed by the XADDs Redis counted, since no single stream shows it.
   */
  void runPerKey(String id, String label, int records, int keys, Duration ttl) throws Exception {
    String name = stack.nameFor(id);
    log(label + ": " + records + " records, " + keys + " keys");
    stack.fillTopic(name, records, keys);
    Map<String, String> config = config(name);
    config.put("redis.stream", name + ":${key}");
    config.put("redis.stream.ttl.ms", Long.toString(ttl.toMillis()));
    try (UnifiedJedis redis = stack.redis()) {
      long before = xaddCalls(redis);
      stack.measure(id, label, records, null, () -> stack.putConnector(name, config),
          () -> xaddCalls(redis) > before, () -> xaddCalls(redis) - before >= records,
          () -> xaddCalls(redis) - before, false);
      stack.services.deleteConnector(name);
      unlinkMatching(redis, name + ":*");
      compactAof(redis);
      stack.services.deleteTopic(name);
    }
  }

  private static long xaddCalls(UnifiedJedis redis) {
    Matcher calls = XADD_CALLS.matcher(redis.info("commandstats"));
    return calls.find() ? Long.parseLong(calls.group(1)) : 0;
  }

  private static void unlinkMatching(UnifiedJedis redis, String pattern) {
    String cursor = ScanParams.SCAN_POINTER_START;
    do {
      ScanResult<String> page = redis.scan(cursor, new ScanParams().match(pattern).count(10_000));
      if (!page.getResult().isEmpty()) {
        redis.unlink(page.getResult().toArray(String[]::new));
      }
      cursor = page.getCursor();
    } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
  }

  void ceiling(String id, String label) throws Exception {
    String name = stack.nameFor(id);
    log(label + ": " + stack.n + " records");
    String warmup = name + "-warmup";
    stack.fillTopic(warmup, BenchStack.warmupCount());
    stack.fillTopic(name, stack.n);
    try (UnifiedJedis redis = stack.redis()) {
      Process[] ceiling = new Process[1];
      stack.measure(id, label, stack.n, ceiling, () -> ceiling[0] = stack.startCeiling(List.of("sink",
              Integer.toString(stack.services.redisPort()), stack.services.bootstrapServers(), warmup,
              Integer.toString(BenchStack.warmupCount()), name, Integer.toString(stack.n), Long.toString(MAXLEN))),
          () -> redis.exists(name), () -> entriesAdded(redis, name) >= stack.n, null, false);
      stack.dropCeiling(ceiling[0], redis, name, warmup);
    }
  }

  /** Record written to Kafka until its entry is in the Redis stream, at a fixed rate, through the sink at defaults. */
  void latency(int rate, int seconds) throws Exception {
    String id = "latency-sink";
    log("sink latency at " + rate + "/s for " + seconds + " s");
    stack.services.createTopic(id, PARTITIONS);
    try (UnifiedJedis redis = stack.redis();
        KafkaProducer<byte[], byte[]> kafka = new KafkaProducer<>(stack.producerProps(1))) {
      stack.putConnector(id, config(id));
      // The sink's consumer owns the partitions once a first record arrives.
      kafka.send(new ProducerRecord<>(id, JSON.writeValueAsBytes(Map.of("sent", "0")))).get();
      awaitNanos(() -> redis.exists(id));
      StreamEntryID lastSeen = redis.xrevrange(id, "+", "-", 1).get(0).getID();
      int total = rate * (seconds + Workload.WARMUP_SECONDS);
      List<Long> latencies = new ArrayList<>(total);
      Thread writer = new Thread(() -> Workload.paced(rate, total, batch -> {
        for (int i = 0; i < batch; i++) {
          Map<String, String> fields = Workload.order(i);
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
        stack.services.deleteConnector(id);
      }
      stack.results.put(id, PhaseResult.latency("sink at " + rate + "/s, defaults",
          Result.latency(id, Workload.sorted(Workload.afterWarmup(latencies, rate)), seconds), total));
    }
  }
}
