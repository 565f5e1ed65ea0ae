package io.redisbridge.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.XAddParams;
import redis.clients.jedis.params.XReadGroupParams;
import redis.clients.jedis.params.XReadParams;
import redis.clients.jedis.resps.StreamEntry;

/** The benchmark's phases: each sets up its own stream or topic so phases do not share data. */
final class Phases {

  static String redisVersion = "?";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int PARTITIONS = 3;
  private static final String GROUP = "bench";
  static final int WARMUP_SECONDS = Integer.getInteger("bench.latency.warmup.seconds", 5);

  private final UnifiedJedis redis;
  private final String redisUri;
  private final EmbeddedConnectCluster connect;
  private final int n;

  Phases(UnifiedJedis redis, String redisUri, EmbeddedConnectCluster connect, int n) {
    this.redis = redis;
    this.redisUri = redisUri;
    this.connect = connect;
    this.n = n;
    for (String line : redis.info("server").split("\r?\n")) {
      if (line.startsWith("redis_version:")) {
        redisVersion = line.substring("redis_version:".length()).trim();
      }
    }
  }

  /** An order event of about 150 bytes in five fields. */
  static Map<String, String> order(long number) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("order_id", "order-" + number);
    fields.put("customer_id", Long.toString(number % 10_007));
    fields.put("product", "vps-basic-monthly-2vcpu-4gb-80gb-ssd-frankfurt-eu-central-1");
    fields.put("action", (number & 1) == 0 ? "purchase" : "renew");
    fields.put("amount", String.format(java.util.Locale.ROOT, "%d.%02d", 5 + number % 300, number % 100));
    return fields;
  }

  private void fillStream(String stream, int count) {
    XAddParams params = XAddParams.xAddParams();
    for (int from = 0; from < count; from += 10_000) {
      try (AbstractPipeline pipeline = redis.pipelined()) {
        for (int i = from; i < Math.min(count, from + 10_000); i++) {
          pipeline.xadd(stream, params, order(i));
        }
        pipeline.sync();
      }
    }
    redis.xgroupCreate(stream, GROUP, new StreamEntryID(0, 0), false);
  }

  private void fillTopic(String topic, int count) throws Exception {
    connect.kafka().createTopic(topic, PARTITIONS);
    try (KafkaProducer<byte[], byte[]> producer = connect.kafka().createProducer(Map.of(
        "linger.ms", 20, "batch.size", 524_288, "acks", "1"))) {
      for (int i = 0; i < count; i++) {
        producer.send(new ProducerRecord<>(topic, bytes("k" + (i % 10_007)),
            JSON.writeValueAsBytes(order(i))));
      }
      producer.flush();
    }
  }

  Result sourceCeiling() throws Exception {
    String stream = "ceiling-src";
    fillStream(stream, n);
    connect.kafka().createTopic(stream, PARTITIONS);
    Benchmark.resetPeakHeap();
    ConcurrentLinkedQueue<byte[]> confirmed = new ConcurrentLinkedQueue<>();
    long start = System.nanoTime();
    long acked = 0;
    // The producer settings a Connect worker uses by default, so both sides send alike.
    try (KafkaProducer<byte[], byte[]> producer = connect.kafka().createProducer(Map.of("acks", "all"))) {
      boolean drained = false;
      while (acked < n) {
        if (!drained) {
          Object reply = redis.xreadGroup(bytes(GROUP), bytes("ceiling"),
              XReadGroupParams.xReadGroupParams().count(1000), Map.entry(bytes(stream), bytes(">")));
          List<?> streams = (List<?>) reply;
          if (streams == null || ((List<?>) ((List<?>) streams.get(0)).get(1)).isEmpty()) {
            drained = true;
            producer.flush();
          } else {
            for (Object item : (List<?>) ((List<?>) streams.get(0)).get(1)) {
              List<?> entry = (List<?>) item;
              byte[] id = (byte[]) entry.get(0);
              producer.send(new ProducerRecord<>(stream, id, jsonOf((List<?>) entry.get(1))),
                  (metadata, error) -> {
                    if (error == null) {
                      confirmed.add(id);
                    }
                  });
            }
          }
        }
        acked += ackAll(stream, confirmed);
        if (drained && acked < n) {
          Thread.sleep(1); // waiting for the last producer callbacks
        }
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return Result.throughput("source ceiling", n, seconds, Benchmark.peakHeapBytes());
  }

  private int ackAll(String stream, ConcurrentLinkedQueue<byte[]> confirmed) {
    List<byte[]> ids = new ArrayList<>();
    for (byte[] id = confirmed.poll(); id != null; id = confirmed.poll()) {
      ids.add(id);
    }
    if (ids.isEmpty()) {
      return 0;
    }
    try (AbstractPipeline pipeline = redis.pipelined()) {
      for (int from = 0; from < ids.size(); from += 1000) {
        pipeline.xack(bytes(stream), bytes(GROUP), ids.subList(from, Math.min(ids.size(), from + 1000))
            .toArray(new byte[0][]));
      }
      pipeline.sync();
    }
    return ids.size();
  }

  /** The same schemaless JSON the connector's JsonConverter writes for value.format=map. */
  private static byte[] jsonOf(List<?> flatFields) throws Exception {
    Map<String, String> fields = new LinkedHashMap<>();
    for (int i = 0; i + 1 < flatFields.size(); i += 2) {
      fields.put(new String((byte[]) flatFields.get(i), StandardCharsets.UTF_8),
          new String((byte[]) flatFields.get(i + 1), StandardCharsets.UTF_8));
    }
    return JSON.writeValueAsBytes(fields);
  }

  Result sourceConnector() throws Exception {
    return sourceConnector("source connector", "connector-src", Map.of());
  }

  /** The source with exactly.once.support=required; the worker must run source connectors exactly once. */
  Result sourceConnectorExactlyOnce() throws Exception {
    return sourceConnector("source connector, exactly once", "connector-src-eos",
        Map.of("exactly.once.support", "required"));
  }

  private Result sourceConnector(String name, String stream, Map<String, String> extra) throws Exception {
    fillStream(stream, n);
    connect.kafka().createTopic(stream, PARTITIONS);
    Benchmark.resetPeakHeap();
    Map<String, String> config = sourceConfig(stream);
    config.putAll(extra);
    connect.configureConnector("bench-source", config);
    // Timed from the first entry read, like the ceiling: connector start-up is not throughput.
    long start = awaitFirstRead(stream);
    awaitGroupDone(stream, n);
    double seconds = (System.nanoTime() - start) / 1e9;
    long heap = Benchmark.peakHeapBytes();
    connect.deleteConnector("bench-source");
    return Result.throughput(name, n, seconds, heap);
  }

  private Map<String, String> sourceConfig(String stream) {
    Map<String, String> config = new HashMap<>();
    config.put("connector.class", "io.redisbridge.source.RedisStreamsSourceConnector");
    config.put("tasks.max", "1");
    config.put("redis.uri", redisUri);
    config.put("redis.streams", stream);
    config.put("redis.consumer.group", GROUP);
    config.put("key.mode", "id");
    config.put("value.format", "map");
    config.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
    config.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
    config.put("value.converter.schemas.enable", "false");
    return config;
  }

  private long awaitFirstRead(String stream) throws InterruptedException {
    while (!(redis.xinfoGroups(stream).get(0).getGroupInfo().get("entries-read") instanceof Long read && read > 0)) {
      Thread.sleep(1); // polling Redis for progress is the measurement itself
    }
    return System.nanoTime();
  }

  /** Waits until the group has read every entry and none is pending: all acknowledged. */
  private void awaitGroupDone(String stream, long count) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(20).toNanos();
    while (System.nanoTime() < deadline) {
      Object read = redis.xinfoGroups(stream).get(0).getGroupInfo().get("entries-read");
      if (read instanceof Long entriesRead && entriesRead >= count && redis.xpending(stream, GROUP).getTotal() == 0) {
        return;
      }
      Thread.sleep(20); // polling Redis for progress is the measurement itself
    }
    throw new IllegalStateException("source phase on " + stream + " did not finish in 20 minutes");
  }

  Result sinkCeiling() throws Exception {
    String topic = "ceiling-sink";
    fillTopic(topic, n);
    Benchmark.resetPeakHeap();
    XAddParams params = XAddParams.xAddParams().maxLen(n * 2L).approximateTrimming();
    long start = System.nanoTime();
    long written = 0;
    Map<String, Object> props = new HashMap<>();
    props.put("group.id", "ceiling-sink");
    props.put("auto.offset.reset", "earliest");
    props.put("max.poll.records", 500); // Connect's sink consumer default
    props.put("enable.auto.commit", false);
    long nextCommit = 0;
    try (KafkaConsumer<byte[], byte[]> consumer = connect.kafka().createConsumerAndSubscribeTo(props, topic)) {
      while (written < n) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
        if (records.isEmpty()) {
          continue;
        }
        try (AbstractPipeline pipeline = redis.pipelined()) {
          for (ConsumerRecord<byte[], byte[]> record : records) {
            @SuppressWarnings("unchecked")
            Map<String, Object> value = JSON.readValue(record.value(), Map.class);
            Map<byte[], byte[]> fields = new LinkedHashMap<>();
            value.forEach((k, v) -> fields.put(bytes(k), bytes(String.valueOf(v))));
            pipeline.xadd(bytes(topic), params, fields);
          }
          pipeline.sync();
        }
        written += records.count();
        if (System.nanoTime() > nextCommit) {
          consumer.commitAsync(); // offsets once a second, as a sink task's offset flush would
          nextCommit = System.nanoTime() + 1_000_000_000L;
        }
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return Result.throughput("sink ceiling", n, seconds, Benchmark.peakHeapBytes());
  }

  Result sinkConnector() throws Exception {
    return sinkConnector("sink connector", "connector-sink", Map.of());
  }

  /** The sink with exactly.once.enabled: a MULTI/EXEC per batch that also stores the offsets. */
  Result sinkConnectorExactlyOnce() throws Exception {
    return sinkConnector("sink connector, exactly once", "connector-sink-eos", Map.of("exactly.once.enabled", "true"));
  }

  private Result sinkConnector(String name, String topic, Map<String, String> extra) throws Exception {
    fillTopic(topic, n);
    Benchmark.resetPeakHeap();
    Map<String, String> config = sinkConfig(topic, n * 2L);
    config.putAll(extra);
    connect.configureConnector("bench-sink", config);
    while (!redis.exists(topic)) {
      Thread.sleep(1); // timed from the first write, like the ceiling: start-up is not throughput
    }
    long start = System.nanoTime();
    long deadline = System.nanoTime() + Duration.ofMinutes(20).toNanos();
    while ((!redis.exists(topic) || redis.xlen(topic) < n) && System.nanoTime() < deadline) {
      Thread.sleep(20); // polling Redis for progress is the measurement itself
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    long heap = Benchmark.peakHeapBytes();
    connect.deleteConnector("bench-sink");
    return Result.throughput(name, n, seconds, heap);
  }

  private Map<String, String> sinkConfig(String topic, long maxLen) {
    Map<String, String> config = new HashMap<>();
    config.put("connector.class", "io.redisbridge.sink.RedisStreamsSinkConnector");
    config.put("tasks.max", "1");
    config.put("topics", topic);
    config.put("redis.uri", redisUri);
    config.put("trim.strategy", "maxlen");
    config.put("trim.maxlen", Long.toString(maxLen));
    config.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
    config.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
    config.put("value.converter.schemas.enable", "false");
    return config;
  }

  /** Entry written to Redis until its record is readable in Kafka, at a fixed rate. */
  Result sourceLatency(int rate, int seconds) throws Exception {
    String stream = "latency-src";
    redis.xgroupCreate(stream, GROUP, StreamEntryID.XGROUP_LAST_ENTRY, true);
    connect.kafka().createTopic(stream, PARTITIONS);
    connect.configureConnector("latency-source", sourceConfig(stream));
    awaitConsumerRegistered(stream);
    int total = rate * (seconds + WARMUP_SECONDS);
    List<Long> latencies = new ArrayList<>(total);
    AtomicBoolean producing = new AtomicBoolean(true);
    Thread producer = new Thread(() -> paced(rate, total, batch -> {
      try (AbstractPipeline pipeline = redis.pipelined()) {
        for (int i = 0; i < batch; i++) {
          Map<String, String> fields = order(i);
          fields.put("sent", Long.toString(System.nanoTime()));
          pipeline.xadd(stream, XAddParams.xAddParams(), fields);
        }
        pipeline.sync();
      }
    }), "latency-producer");
    Map<String, Object> props = new HashMap<>();
    props.put("group.id", "latency-reader");
    props.put("auto.offset.reset", "earliest");
    try (KafkaConsumer<byte[], byte[]> consumer = connect.kafka().createConsumerAndSubscribeTo(props, stream)) {
      producer.start();
      long deadline = System.nanoTime() + Duration.ofSeconds(seconds + 60L).toNanos();
      while (latencies.size() < total && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(50))) {
          long now = System.nanoTime();
          long sent = Long.parseLong((String) JSON.readValue(record.value(), Map.class).get("sent"));
          latencies.add(now - sent);
        }
      }
    } finally {
      producing.set(false);
      producer.join();
      connect.deleteConnector("latency-source");
    }
    return Result.latency("source latency", sorted(afterWarmup(latencies, rate)), seconds);
  }

  private void awaitConsumerRegistered(String stream) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (redis.xinfoConsumers(stream, GROUP).isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(50); // the task registers its consumer on its first read
    }
  }

  /** Record written to Kafka until its entry is in the Redis stream, at a fixed rate. */
  Result sinkLatency(int rate, int seconds) throws Exception {
    String topic = "latency-sink";
    connect.kafka().createTopic(topic, PARTITIONS);
    connect.configureConnector("latency-sink", sinkConfig(topic, 1_000_000));
    // Wait until the sink's consumer owns the partitions: a first record must arrive.
    try (KafkaProducer<byte[], byte[]> warmup = connect.kafka().createProducer(Map.of())) {
      warmup.send(new ProducerRecord<>(topic, JSON.writeValueAsBytes(Map.of("sent", "0")))).get();
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!redis.exists(topic) && System.nanoTime() < deadline) {
      Thread.sleep(50); // the connector's first write tells it is assigned
    }
    int total = rate * (seconds + WARMUP_SECONDS);
    List<Long> latencies = new ArrayList<>(total);
    try (KafkaProducer<byte[], byte[]> kafka = connect.kafka().createProducer(Map.of("linger.ms", 1, "acks", "1"))) {
      Thread producer = new Thread(() -> paced(rate, total, batch -> {
        for (int i = 0; i < batch; i++) {
          Map<String, String> fields = order(i);
          fields.put("sent", Long.toString(System.nanoTime()));
          try {
            kafka.send(new ProducerRecord<>(topic, JSON.writeValueAsBytes(fields)));
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }
      }), "latency-kafka-producer");
      StreamEntryID last = redis.xrevrange(topic, "+", "-", 1).get(0).getID();
      producer.start();
      long end = System.nanoTime() + Duration.ofSeconds(seconds + 60L).toNanos();
      while (latencies.size() < total && System.nanoTime() < end) {
        List<Map.Entry<String, List<StreamEntry>>> read = redis.xread(XReadParams.xReadParams().count(5000).block(100),
            Map.of(topic, last));
        if (read == null || read.isEmpty()) {
          continue;
        }
        long now = System.nanoTime();
        for (StreamEntry entry : read.get(0).getValue()) {
          latencies.add(now - Long.parseLong(entry.getFields().get("sent")));
          last = entry.getID();
        }
      }
      producer.join();
    } finally {
      connect.deleteConnector("latency-sink");
    }
    return Result.latency("sink latency", sorted(afterWarmup(latencies, rate)), seconds);
  }

  /** Calls {@code send} with batches so that {@code total} items go out at {@code rate} per second. */
  static void paced(int rate, int total, java.util.function.IntConsumer send) {
    long start = System.nanoTime();
    int sent = 0;
    while (sent < total) {
      long due = Math.min(total, (System.nanoTime() - start) * rate / 1_000_000_000L);
      if (due > sent) {
        send.accept((int) (due - sent));
        sent = (int) due;
      } else {
        java.util.concurrent.locks.LockSupport.parkNanos(500_000);
      }
    }
  }

  /** Drops the samples of the first seconds, while the JIT is still compiling the paths measured. */
  static List<Long> afterWarmup(List<Long> latencies, int rate) {
    int skip = Math.min(latencies.size(), rate * WARMUP_SECONDS);
    return latencies.subList(skip, latencies.size());
  }

  static long[] sorted(List<Long> values) {
    return values.stream().mapToLong(Long::longValue).sorted().toArray();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
