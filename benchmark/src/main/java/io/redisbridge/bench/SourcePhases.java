package io.redisbridge.bench;

import static io.redisbridge.bench.BenchStack.GROUP;
import static io.redisbridge.bench.BenchStack.JSON;
import static io.redisbridge.bench.BenchStack.PARTITIONS;
import static io.redisbridge.bench.BenchStack.awaitNanos;
import static io.redisbridge.bench.BenchStack.compactAof;
import static io.redisbridge.bench.BenchStack.group;
import static io.redisbridge.bench.BenchStack.log;

import io.redisbridge.common.redis.Pipelines;
import io.redisbridge.testing.LocalRedisCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.XAddParams;
import redis.clients.jedis.resps.StreamGroupInfo;

/**
 * The source connector's phases: throughput from a backlog (one stream or many, by list or by pattern, over
 * one or more tasks), the hand-written source loop on the same backlog, and latency at a fixed rate.
 */
final class SourcePhases {

  /** The documented tuned profile (docs/performance.md, "Tuning"; config/*-orders*-tuned.json). */
  static final Map<String, String> TUNED = Map.of(
      "producer.override.linger.ms", "20",
      "producer.override.batch.size", "524288",
      "redis.read.count", "5000");

  private final BenchStack stack;
  /** The entries the phases fill their streams with. */
  private final java.util.function.LongFunction<Map<String, String>> shape;
  /** The Redis Cluster the phases read from, or null for the stack's redis-server. */
  private final LocalRedisCluster cluster;

  SourcePhases(BenchStack stack) {
    this(stack, Workload::order, null);
  }

  private SourcePhases(BenchStack stack, java.util.function.LongFunction<Map<String, String>> shape,
      LocalRedisCluster cluster) {
    this.stack = stack;
    this.shape = shape;
    this.cluster = cluster;
  }

  /** The same phases over entries of another shape, e.g. {@link Workload#articleOrder}. */
  SourcePhases withEntries(java.util.function.LongFunction<Map<String, String>> entries) {
    return new SourcePhases(stack, entries, cluster);
  }

  /** The same phases reading from {@code redisCluster} (redis.mode=cluster) instead of the stack's redis-server. */
  SourcePhases onCluster(LocalRedisCluster redisCluster) {
    return new SourcePhases(stack, shape, redisCluster);
  }

  private UnifiedJedis redis() {
    return cluster == null ? stack.redis() : cluster.newClient();
  }

  Map<String, String> config(String name, List<String> streams, int tasks) {
    Map<String, String> config = new HashMap<>();
    config.put("connector.class", "io.redisbridge.source.RedisStreamsSourceConnector");
    config.put("tasks.max", Integer.toString(tasks));
    if (cluster == null) {
      config.put("redis.uri", "redis://127.0.0.1:" + stack.services.redisPort());
    } else {
      config.put("redis.uri", cluster.uri());
      config.put("redis.mode", "cluster");
    }
    config.put("redis.streams", String.join(",", streams));
    config.put("redis.consumer.group", GROUP);
    config.put("topic", name);
    config.put("value.format", "map");
    config.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
    config.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
    config.put("value.converter.schemas.enable", "false");
    return config;
  }

  void run(String id, String label, int entries, int streamCount, int tasks, Map<String, String> extra)
      throws Exception {
    run(id, label, entries, streamCount, tasks, extra, false);
  }

  void run(String id, String label, int entries, int streamCount, int tasks, Map<String, String> extra,
      boolean liveHeap) throws Exception {
    run(id, label, entries, streamCount, tasks, extra, liveHeap, false);
  }

  /** With {@code byPattern} the connector finds its streams with redis.streams.pattern instead of a list. */
  void run(String id, String label, int entries, int streamCount, int tasks, Map<String, String> extra,
      boolean liveHeap, boolean byPattern) throws Exception {
    String name = stack.nameFor(id);
    log(label + ": " + entries + " entries");
    List<String> streams = new ArrayList<>();
    for (int i = 0; i < streamCount; i++) {
      streams.add(name + (streamCount == 1 ? "" : "-" + i));
    }
    Map<String, StreamEntryID> last = BenchStack.fillStreams(redis(), streams, entries, shape);
    stack.services.createTopic(name, PARTITIONS);
    Map<String, String> config = config(name, streams, tasks);
    if (byPattern) {
      config.remove("redis.streams");
      config.put("redis.streams.pattern", name + "-*");
    }
    config.putAll(extra);
    stack.countRedisCpuOf(cluster == null ? List.of() : cluster.pids());
    try (UnifiedJedis redis = redis()) {
      stack.measure(id, label, entries, null, () -> stack.putConnector(name, config),
          () -> groups(redis, streams).values().stream()
              .anyMatch(group -> !group.getLastDeliveredId().equals(new StreamEntryID(0, 0))),
          () -> groups(redis, streams).entrySet().stream().allMatch(stream ->
              stream.getValue().getLastDeliveredId().equals(last.get(stream.getKey()))
                  && stream.getValue().getPending() == 0),
          () -> groups(redis, streams).values().stream()
              .mapToLong(group -> ((Number) group.getGroupInfo().get("entries-read")).longValue()).sum(), liveHeap);
      stack.services.deleteConnector(name);
      streams.forEach(redis::unlink); // one key per command: a cluster's keys need not share a slot
      if (cluster == null) {
        compactAof(redis);
      }
      stack.services.deleteTopic(name);
    } finally {
      stack.countRedisCpuOf(List.of());
    }
  }

  /**
   * The bench group of each stream, asked in one pipeline: polling 1,000 streams one command after the other
   * (or 250 across a slow link) would add its own time to the phase's end.
   */
  private static Map<String, StreamGroupInfo> groups(UnifiedJedis redis, List<String> streams) {
    Map<String, Response<List<StreamGroupInfo>>> replies = new java.util.LinkedHashMap<>();
    try (AbstractPipeline pipeline = Pipelines.open(redis)) {
      streams.forEach(stream -> replies.put(stream, pipeline.xinfoGroups(stream)));
      pipeline.sync();
    }
    Map<String, StreamGroupInfo> groups = new java.util.LinkedHashMap<>();
    replies.forEach((stream, reply) -> groups.put(stream, reply.get().get(0)));
    return groups;
  }

  void ceiling(String id, String label, boolean headers, Map<String, String> producerOverrides)
      throws Exception {
    String name = stack.nameFor(id);
    log(label + ": " + stack.n + " entries");
    String warmup = name + "-warmup";
    stack.fillStreams(List.of(warmup), BenchStack.warmupCount());
    stack.services.createTopic(warmup, PARTITIONS);
    StreamEntryID last = stack.fillStreams(List.of(name), stack.n).get(name);
    stack.services.createTopic(name, PARTITIONS);
    List<String> args = new ArrayList<>(List.of("source", Integer.toString(stack.services.redisPort()),
        stack.services.bootstrapServers(), GROUP, warmup, name, Boolean.toString(headers)));
    producerOverrides.forEach((key, value) -> args.add(key + "=" + value));
    try (UnifiedJedis redis = stack.redis()) {
      Process[] ceiling = new Process[1];
      stack.measure(id, label, stack.n, ceiling, () -> ceiling[0] = stack.startCeiling(args),
          () -> !group(redis, name).getLastDeliveredId().equals(new StreamEntryID(0, 0)),
          () -> {
            StreamGroupInfo group = group(redis, name);
            return group.getLastDeliveredId().equals(last) && group.getPending() == 0;
          }, null, false);
      stack.dropCeiling(ceiling[0], redis, name, warmup);
    }
  }

  /** Entry written to Redis until its record is readable in Kafka, at a fixed rate, through the source at defaults. */
  void latency(int rate, int seconds) throws Exception {
    String id = "latency-source";
    log("source latency at " + rate + "/s for " + seconds + " s");
    try (UnifiedJedis redis = stack.redis()) {
      redis.xgroupCreate(id, GROUP, StreamEntryID.XGROUP_LAST_ENTRY, true);
      stack.services.createTopic(id, PARTITIONS);
      stack.putConnector(id, config(id, List.of(id), 1));
      awaitNanos(() -> !redis.xinfoConsumers(id, GROUP).isEmpty());
      int total = rate * (seconds + Workload.WARMUP_SECONDS);
      List<Long> latencies = new ArrayList<>(total);
      Thread writer = new Thread(() -> Workload.paced(rate, total, batch -> {
        try (AbstractPipeline pipeline = redis.pipelined()) {
          for (int i = 0; i < batch; i++) {
            Map<String, String> fields = Workload.order(i);
            fields.put("sent", Long.toString(System.nanoTime()));
            pipeline.xadd(id, XAddParams.xAddParams(), fields);
          }
          pipeline.sync();
        }
      }), "latency-writer");
      try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
          ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.services.bootstrapServers(),
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
        stack.services.deleteConnector(id);
      }
      stack.results.put(id, PhaseResult.latency("source at " + rate + "/s, defaults",
          Result.latency(id, Workload.sorted(Workload.afterWarmup(latencies, rate)), seconds), total));
    }
  }
}
