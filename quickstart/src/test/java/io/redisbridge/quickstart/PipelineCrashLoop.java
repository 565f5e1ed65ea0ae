package io.redisbridge.quickstart;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.redisbridge.testing.StreamContents;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.resps.StreamEntry;
import redis.clients.jedis.resps.StreamGroupInfo;

/**
 * The order pipeline as users run it, as separate processes (redis-server, a KRaft broker, distributed
 * Connect workers loading the plugin archive): stream {@code loop-in} → source connector → topic
 * {@code loop} → sink connector → stream {@code loop-out}, while workers are killed with SIGKILL at
 * seeded random points of the transfer and replaced, a second worker joins, and Redis and the broker
 * are each killed and restarted once.
 */
final class PipelineCrashLoop implements AutoCloseable {

  static final Path ROOT = Path.of(System.getProperty("project.root", "..")).toAbsolutePath().normalize();
  static final String IN = "loop-in";
  static final String TOPIC = "loop";
  static final String OUT = "loop-out";
  static final String GROUP = "loop";

  private final boolean exactlyOnce;
  private final Path runDir;
  private final LocalServices services;
  private final Path plugins;
  private final Map<String, String> workerOverrides = new HashMap<>();
  /** The input stream's entry IDs in order, once seeded. */
  private List<StreamEntryID> input = List.of();

  PipelineCrashLoop(boolean exactlyOnce) throws Exception {
    this.exactlyOnce = exactlyOnce;
    runDir = Files.createTempDirectory(exactlyOnce ? "eos-loop-" : "alo-loop-");
    services = new LocalServices(runDir,
        Files.readString(ROOT.resolve("quickstart/target/runtime-classpath.txt")).trim());
    plugins = LocalServices.unpackBuiltPlugin(ROOT, runDir.resolve("plugins"));
    // Every XADD, XACK and offsets hash on disk before Redis answers: a kill -9 of Redis loses nothing.
    services.startRedis("--appendfsync", "always");
    // The broker outage needs a controller that outlives the broker (LocalServices says why).
    services.startKafkaWithOwnController();
    // A replacement worker gets the dead one's tasks at once, and dead members leave the groups quickly.
    workerOverrides.put("scheduled.rebalance.max.delay.ms", "0");
    workerOverrides.put("session.timeout.ms", "6000");
    workerOverrides.put("heartbeat.interval.ms", "1500");
    if (exactlyOnce) {
      workerOverrides.put("exactly.once.source.support", "enabled");
    }
    startWorker();
  }

  private void startWorker() throws Exception {
    services.startConnect(ROOT.resolve("config/connect-distributed.properties"), plugins, workerOverrides);
  }

  UnifiedJedis redis() {
    return RedisClient.create("127.0.0.1", services.redisPort());
  }

  /** Adds {@code count} order entries to the input stream. */
  void seed(int count) {
    try (UnifiedJedis redis = redis()) {
      for (int from = 0; from < count; from += 10_000) {
        try (AbstractPipeline pipeline = redis.pipelined()) {
          for (int n = from; n < Math.min(count, from + 10_000); n++) {
            pipeline.xadd(IN, StreamEntryID.NEW_ENTRY, Map.of("order_id", "o-" + n, "customer_id",
                Integer.toString(n % 97), "product", "vps-basic", "amount", "9.99"));
          }
          pipeline.sync();
        }
      }
    }
    input = inputIds().stream().map(StreamEntryID::new).toList();
  }

  void deployConnectors() throws Exception {
    services.createTopic(TOPIC, 3);
    Map<String, String> source = new HashMap<>();
    source.put("connector.class", "io.redisbridge.source.RedisStreamsSourceConnector");
    source.put("tasks.max", "2");
    source.put("redis.uri", "redis://127.0.0.1:" + services.redisPort());
    source.put("redis.streams", IN);
    source.put("redis.consumer.group", GROUP);
    source.put("redis.consumer.group.start.id", "0");
    source.put("topic", TOPIC);
    source.put("value.format", "map");
    source.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
    source.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
    source.put("value.converter.schemas.enable", "false");
    Map<String, String> sink = new HashMap<>();
    sink.put("connector.class", "io.redisbridge.sink.RedisStreamsSinkConnector");
    sink.put("tasks.max", "2");
    sink.put("topics", TOPIC);
    sink.put("redis.uri", "redis://127.0.0.1:" + services.redisPort());
    sink.put("redis.stream", OUT);
    sink.put("trim.strategy", "none");
    sink.put("headers.include", "redis.entry.id");
    sink.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
    sink.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
    sink.put("value.converter.schemas.enable", "false");
    sink.put("consumer.override.session.timeout.ms", "6000");
    sink.put("consumer.override.heartbeat.interval.ms", "1500");
    if (exactlyOnce) {
      source.put("exactly.once.support", "required");
      // A killed task's open transaction holds every read_committed reader, a new worker's read of the
      // offsets topic included, until it times out (60 s by default); the README recommends the same.
      source.put("producer.override.transaction.timeout.ms", "10000");
      // The connector's own boundaries (a transaction per 50,000 entries or second), as docs/source.md advises.
      source.put("transaction.boundary", "connector");
      sink.put("exactly.once.enabled", "true");
      // Only records of committed source transactions: an aborted one is re-sent by the source.
      sink.put("consumer.override.isolation.level", "read_committed");
    }
    ObjectMapper json = new ObjectMapper();
    services.putConnector("loop-source", json.writeValueAsString(source));
    services.putConnector("loop-sink", json.writeValueAsString(sink));
  }

  /** What happens at one point of the crash loop. */
  enum Disruption { WORKER_KILL, SECOND_WORKER_JOINS, REDIS_CRASH, BROKER_OUTAGE }

  /**
   * At seeded random points of the transfer (progress being entries read from the input plus entries
   * written to the output, over twice the count): {@code kills} SIGKILLs of the newest worker, each
   * followed by a replacement; early on a second worker joining (a rebalance, after which a kill takes
   * only some of the tasks and the survivor picks them up); a kill -9 and restart of Redis; and a
   * SIGKILL and restart of the broker. Returns when the last disruption is over.
   */
  void crash(long seed, int kills, int count) throws Exception {
    Random random = new Random(seed);
    List<Double> points = new ArrayList<>();
    for (int i = 0; i < kills + 3; i++) {
      points.add(0.02 + 0.9 * random.nextDouble());
    }
    points.sort(Double::compare);
    List<Disruption> plan = new ArrayList<>(Collections.nCopies(points.size(), Disruption.WORKER_KILL));
    plan.set(1, Disruption.SECOND_WORKER_JOINS);
    plan.set(points.size() / 3, Disruption.REDIS_CRASH);
    plan.set(2 * points.size() / 3, Disruption.BROKER_OUTAGE);
    try (UnifiedJedis redis = redis()) {
      for (int i = 0; i < points.size(); i++) {
        double point = points.get(i);
        Disruption disruption = plan.get(i);
        awaitOrExplain("progress " + Math.round(point * 100) + "% before " + disruption, Duration.ofMinutes(4),
            Duration.ofMillis(100), () -> progress(redis, count) >= point);
        System.out.printf("crash loop: %s at %.0f%% progress%n", disruption, point * 100);
        switch (disruption) {
          case WORKER_KILL -> {
            services.killLatestWorker();
            startWorker();
          }
          case SECOND_WORKER_JOINS -> startWorker();
          case REDIS_CRASH -> services.killAndRestartRedis();
          case BROKER_OUTAGE -> services.killAndRestartKafka();
          default -> throw new IllegalStateException("unknown disruption " + disruption);
        }
      }
    }
  }

  /**
   * Entries the group has read (up to its last-delivered ID; the group's entries-read counter is not
   * kept exactly across a Redis restart) plus entries written to the output, over twice the count.
   */
  private double progress(UnifiedJedis redis, int count) {
    long written = redis.exists(OUT) ? Math.min(count, redis.xlen(OUT)) : 0;
    return (readSoFar(redis) + written) / (2.0 * count);
  }

  private long readSoFar(UnifiedJedis redis) {
    List<StreamGroupInfo> groups = redis.xinfoGroups(IN);
    if (groups.isEmpty()) {
      return 0;
    }
    int at = Collections.binarySearch(input, groups.get(0).getLastDeliveredId());
    return at >= 0 ? at + 1 : -at - 1;
  }

  /**
   * Waits until the source has read and acknowledged every entry, reads the topic as a read_committed
   * consumer, then waits until the sink's consumer group has committed past the last record of every
   * partition (transaction markers after it never get a commit). Returns the redis.entry.id header of
   * every record in the topic: the pipeline is idle and everything that will arrive has.
   */
  List<String> awaitDrained(int count) {
    try (UnifiedJedis redis = redis()) {
      awaitOrExplain("every entry of " + IN + " read and acknowledged", Duration.ofMinutes(5), Duration.ofMillis(250),
          () -> readSoFar(redis) >= count && redis.xpending(IN, GROUP).getTotal() == 0);
    }
    Map<TopicPartition, Long> lastRecord = new HashMap<>();
    List<String> ids = committedEntryIds(lastRecord);
    awaitOrExplain("the sink caught up with topic " + TOPIC, Duration.ofMinutes(5), Duration.ofMillis(250),
        () -> sinkCaughtUp(lastRecord));
    return ids;
  }

  /** Awaits {@code done}; on a timeout, fails with both connectors' status and where the logs are. */
  private void awaitOrExplain(String what, Duration timeout, Duration poll, Callable<Boolean> done) {
    try {
      await(what).atMost(timeout).pollInterval(poll).ignoreExceptions().until(done);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      String status;
      try {
        status = services.get("/connectors/loop-source/status") + "\n" + services.get("/connectors/loop-sink/status");
      } catch (Exception statusError) {
        status = "(no status: " + statusError + ")";
      }
      throw new AssertionError(e.getMessage() + "\n" + status + "\nlogs in " + runDir, e);
    }
  }

  private boolean sinkCaughtUp(Map<TopicPartition, Long> lastRecord) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, services.bootstrapServers()))) {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin.listConsumerGroupOffsets("connect-loop-sink").partitionsToOffsetAndMetadata().get();
      for (Map.Entry<TopicPartition, Long> last : lastRecord.entrySet()) {
        OffsetAndMetadata at = committed.get(last.getKey());
        if (at == null || at.offset() <= last.getValue()) {
          return false;
        }
      }
      return true;
    }
  }

  /**
   * The redis.entry.id header of every record in the topic, as a read_committed consumer sees them;
   * fills {@code lastRecord} with the offset of each partition's last record.
   */
  private List<String> committedEntryIds(Map<TopicPartition, Long> lastRecord) {
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, services.bootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "loop-check-" + System.nanoTime());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    List<String> ids = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
      List<TopicPartition> partitions = List.of(new TopicPartition(TOPIC, 0), new TopicPartition(TOPIC, 1),
          new TopicPartition(TOPIC, 2));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p)) && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          ids.add(new String(record.headers().lastHeader("redis.entry.id").value(), StandardCharsets.UTF_8));
          lastRecord.merge(new TopicPartition(record.topic(), record.partition()), record.offset(), Math::max);
        }
      }
    }
    return ids;
  }

  /** Every entry of the output stream. */
  List<StreamEntry> output() {
    return entries(OUT);
  }

  /** The IDs of every entry of the input stream, in order. */
  List<String> inputIds() {
    return entries(IN).stream().map(entry -> entry.getID().toString()).toList();
  }

  /** Every entry of {@code stream}, read in pages. */
  private List<StreamEntry> entries(String stream) {
    try (UnifiedJedis redis = redis()) {
      return StreamContents.entries(redis, stream);
    }
  }

  long pending() {
    try (UnifiedJedis redis = redis()) {
      return redis.xpending(IN, GROUP).getTotal();
    }
  }

  boolean deadLettersWritten() {
    try (UnifiedJedis redis = redis()) {
      return redis.exists(IN + "-dlq");
    }
  }

  @Override
  public void close() {
    services.close();
  }
}
