package io.redisbridge.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.redisbridge.testing.ConnectClusterExtension;
import io.redisbridge.testing.FaultProxy;
import io.redisbridge.testing.LocalRedisProcess;
import io.redisbridge.testing.RedisServerExtension;
import io.redisbridge.testing.StreamContents;
import io.redisbridge.testing.TaskThreadsInProcess;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.UnifiedJedis;

/**
 * The sink reaches Redis through a {@link FaultProxy}: a half-open cut in the middle of its XADD pipelines
 * and of its exactly-once MULTI/EXEC, resets, 50 ms of latency, a Redis frozen with SIGSTOP, a Redis out
 * of memory, and a delete while Redis is silent. Each time it stays RUNNING, reports the stall, and every
 * record arrives (exactly once stays exactly once).
 */
class SinkConnectorRedisFaultsIT {

  private static final int SOCKET_TIMEOUT_MS = 2_000;
  private static final int BACKOFF_MAX_MS = 2_000;
  /** After a heal: the call in flight ends within the socket timeout, Connect redelivers within the backoff. */
  private static final Duration RECOVERY_BOUND = Duration.ofMillis(SOCKET_TIMEOUT_MS + BACKOFF_MAX_MS)
      .plusSeconds(30);

  @RegisterExtension
  @Order(1)
  static final RedisServerExtension redisServer = new RedisServerExtension();

  @RegisterExtension
  @Order(2)
  static final ConnectClusterExtension connect = new ConnectClusterExtension();

  private FaultProxy proxy;
  private UnifiedJedis redis;

  @BeforeEach
  void startProxy() {
    proxy = FaultProxy.to(redisServer.server().port());
    redis = redisServer.client();
  }

  @AfterEach
  void closeProxy() {
    proxy.close();
  }

  private Map<String, String> throughProxy(String topic) {
    Map<String, String> config = new HashMap<>();
    config.put("connector.class", RedisStreamsSinkConnector.class.getName());
    config.put("tasks.max", "1");
    config.put("topics", topic);
    config.put("redis.uri", "redis://127.0.0.1:" + proxy.port());
    config.put("redis.stream", topic + "-copy");
    config.put("trim.strategy", "none");
    config.put("redis.socket.timeout.ms", Integer.toString(SOCKET_TIMEOUT_MS));
    config.put("redis.retry.backoff.max.ms", Integer.toString(BACKOFF_MAX_MS));
    config.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
    config.put("value.converter", "org.apache.kafka.connect.storage.StringConverter");
    return config;
  }

  private static List<String> produce(String topic, int count) {
    List<String> values = new ArrayList<>(count);
    try (KafkaProducer<byte[], byte[]> producer = connect.cluster().kafka().createProducer(Map.of(
        "linger.ms", 20, "batch.size", 262_144, "acks", "all"))) {
      for (int n = 0; n < count; n++) {
        String value = "record-" + n;
        values.add(value);
        producer.send(new ProducerRecord<>(topic, null, value.getBytes(StandardCharsets.UTF_8)));
      }
      producer.flush();
    }
    return values;
  }

  /** The value field of every entry of {@code stream}, read in pages. */
  private List<String> values(String stream) {
    return StreamContents.values(redis, stream, "value");
  }

  /** Waits until the stream holds every value; returns how long that took. */
  private Duration awaitAllWritten(String stream, List<String> expected, Duration timeout) {
    long started = System.nanoTime();
    Set<String> wanted = new HashSet<>(expected);
    await("every record in " + stream).atMost(timeout).pollInterval(Duration.ofMillis(200))
        .until(() -> new HashSet<>(values(stream)).containsAll(wanted));
    return Duration.ofNanos(System.nanoTime() - started);
  }

  private static long metric(String connector, String attribute) throws Exception {
    return TaskThreadsInProcess.metric("sink-task-metrics", connector, attribute);
  }

  private static void awaitStallReported(String connector) {
    await("the task reports the stall").atMost(Duration.ofSeconds(60)).ignoreExceptions()
        .until(() -> metric(connector, "redis-stalls") >= 1);
  }

  /**
   * Produces {@code count} records, deploys the sink on them through the proxy and returns them once the
   * stream holds {@code written}, so the fault meets a transfer under way.
   */
  private List<String> startTransfer(String topic, Map<String, String> config, int count, int written) {
    connect.createTopic(topic, 1);
    List<String> records = produce(topic, count);
    connect.deployAndAwaitRunning(topic, config, 1);
    awaitWritten(topic, written);
    return records;
  }

  private void awaitWritten(String topic, int written) {
    await("the transfer is under way").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
        .until(() -> redis.exists(topic + "-copy") && redis.xlen(topic + "-copy") >= written);
  }

  private void cutMidTransferAndHeal(String topic, Map<String, String> config, int count) {
    List<String> records = startTransfer(topic, config, count, 5_000);

    proxy.cut();
    awaitStallReported(topic);
    connect.awaitRunning(topic, 1);
    proxy.heal();

    Duration took = awaitAllWritten(topic + "-copy", records, RECOVERY_BOUND.plusSeconds(60));
    System.out.printf("sink %s: half-open cut mid-transfer, every record written %d ms after the heal%n", topic,
        took.toMillis());
    connect.awaitRunning(topic, 1);
  }

  @Test
  void aHalfOpenCutInTheMiddleOfItsPipelinesIsReportedAndLosesNothing() {
    cutMidTransferAndHeal("cut-pipeline", throughProxy("cut-pipeline"), 60_000);
    connect.delete("cut-pipeline");
  }

  @Test
  void aHalfOpenCutInTheMiddleOfItsTransactionsKeepsExactlyOnce() {
    Map<String, String> config = throughProxy("cut-multi");
    config.put("exactly.once.enabled", "true");
    cutMidTransferAndHeal("cut-multi", config, 60_000);
    List<String> written = values("cut-multi-copy");
    assertThat(written).hasSize(60_000);
    assertThat(new HashSet<>(written)).hasSize(60_000);
    connect.delete("cut-multi");
  }

  @Test
  void connectionsResetInTheMiddleOfItsPipelinesLoseNothing() {
    String topic = "reset-pipeline";
    List<String> records = startTransfer(topic, throughProxy(topic), 40_000, 5_000);
    proxy.resetAll();
    awaitWritten(topic, 20_000);
    proxy.resetAll();

    awaitAllWritten(topic + "-copy", records, RECOVERY_BOUND.plusSeconds(60));
    connect.awaitRunning(topic, 1);
    connect.delete(topic);
  }

  @Test
  void fiftyMillisecondsOfLatencyPerRoundTripSlowsButLosesNothing() {
    String topic = "latency";
    connect.createTopic(topic, 1);
    List<String> records = produce(topic, 50_000);
    proxy.latency(50);
    long started = System.nanoTime();
    connect.deployAndAwaitRunning(topic, throughProxy(topic), 1);

    awaitAllWritten(topic + "-copy", records, Duration.ofMinutes(3));
    double seconds = (System.nanoTime() - started) / 1e9;
    System.out.printf("sink, 50 ms per round trip: %d records written in %.1f s (%.0f records/s)%n", records.size(),
        seconds, records.size() / seconds);
    connect.awaitRunning(topic, 1);
    connect.delete(topic);
  }

  @Test
  void aRedisFrozenForThirtySecondsIsReportedAndNothingIsLost() {
    String topic = "frozen";
    List<String> records = startTransfer(topic, throughProxy(topic), 40_000, 5_000);

    LocalRedisProcess server = (LocalRedisProcess) redisServer.server();
    server.pause();
    try {
      awaitStallReported(topic);
      await("frozen for 30 s as the task sees it").atMost(Duration.ofSeconds(60)).ignoreExceptions()
          .until(() -> metric(topic, "redis-stall-ms") >= 30_000);
      connect.awaitRunning(topic, 1);
    } finally {
      server.resume();
    }

    awaitAllWritten(topic + "-copy", records, RECOVERY_BOUND.plusSeconds(30));
    connect.awaitRunning(topic, 1);
    connect.delete(topic);
  }

  @Test
  void atTheMemoryLimitItWaitsAndWritesEverythingOnceMemoryIsFreed() {
    String topic = "oom";
    connect.createTopic(topic, 1);
    List<String> records = produce(topic, 5_000);
    redis.configSet("maxmemory-policy", "noeviction");
    redis.configSet("maxmemory", "1");
    try {
      connect.deployAndAwaitRunning(topic, throughProxy(topic), 1);
      await("nothing written, the task running, while Redis refuses writes").during(Duration.ofSeconds(5))
          .atMost(Duration.ofSeconds(15)).until(() -> !redis.exists(topic + "-copy"));
      connect.awaitRunning(topic, 1);
    } finally {
      redis.configSet("maxmemory", "0");
    }
    Duration took = awaitAllWritten(topic + "-copy", records, RECOVERY_BOUND);
    assertThat(values(topic + "-copy")).hasSize(records.size());
    System.out.printf("sink at the memory limit: every record written %d ms after memory was freed%n",
        took.toMillis());
    connect.delete(topic);
  }

  @Test
  void aSinkDeletedWhileRedisIsSilentIsGoneWithinTheGracefulTimeoutAndLeavesNoThread() {
    String topic = "silent-delete";
    connect.createTopic(topic, 1);
    List<String> first = produce(topic, 100);
    Map<String, String> config = throughProxy(topic);
    // Connect's default timeouts (10 s socket timeout), so stopping cannot rely on a call ending by itself.
    config.remove("redis.socket.timeout.ms");
    connect.deployAndAwaitRunning(topic, config, 1);
    awaitAllWritten(topic + "-copy", first, Duration.ofSeconds(60));

    proxy.cut();
    produce(topic, 100);
    await("a write waits on the silent connection").atMost(Duration.ofSeconds(10)).ignoreExceptions()
        .until(() -> metric(topic, "redis-stall-ms") > 0);
    long started = System.nanoTime();
    connect.delete(topic);

    // task.shutdown.graceful.timeout.ms is 5 s by default.
    await("no thread of the deleted task is left").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
        .untilAsserted(() -> assertThat(TaskThreadsInProcess.of(topic))
            .as(TaskThreadsInProcess.whereAre(topic)).isEmpty());
    System.out.printf("sink deleted while Redis was silent: its threads ended %d ms after the delete%n",
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
  }
}
