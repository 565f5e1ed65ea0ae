package io.redisbridge.source;

import static io.redisbridge.testing.DeliveryAssertions.assertDeliveredEvery;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.redisbridge.testing.ConnectClusterExtension;
import io.redisbridge.testing.FaultProxy;
import io.redisbridge.testing.LocalRedisProcess;
import io.redisbridge.testing.RedisServerExtension;
import io.redisbridge.testing.TaskThreadsInProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.XAddParams;

/**
 * The source reaches Redis through a {@link FaultProxy} and meets what networks and servers do: a
 * half-open cut while its read blocks and while entries and acknowledgements are on the wire, resets,
 * 50 ms of latency, a Redis frozen with SIGSTOP, a Redis out of memory, and a delete while Redis is
 * silent. Each time it stays RUNNING, reports the stall (metric and WARN), and loses nothing.
 */
class SourceConnectorRedisFaultsIT {

  /** Short timeouts so a stall shows in seconds; the recovery bound below follows from them. */
  private static final int SOCKET_TIMEOUT_MS = 2_000;
  private static final int BLOCK_MS = 500;
  private static final int BACKOFF_MAX_MS = 2_000;
  /**
   * After a heal: the call in flight ends within its deadline (socket timeout plus block time), the next
   * attempt comes within the longest backoff; the rest is delivering the backlog.
   */
  private static final Duration RECOVERY_BOUND =
      Duration.ofMillis(SOCKET_TIMEOUT_MS + BLOCK_MS + BACKOFF_MAX_MS).plusSeconds(20);

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

  private Map<String, String> throughProxy(String stream) {
    Map<String, String> config = SourceConnectorDeliveryIT.baseConfig("redis://127.0.0.1:" + proxy.port(), stream,
        stream);
    config.put("redis.socket.timeout.ms", Integer.toString(SOCKET_TIMEOUT_MS));
    config.put("redis.read.block.ms", Integer.toString(BLOCK_MS));
    config.put("redis.retry.backoff.max.ms", Integer.toString(BACKOFF_MAX_MS));
    return config;
  }

  /** Waits until every one of {@code ids} is in {@code topic}; returns how long that took. */
  private static Duration awaitInTopic(String topic, List<String> ids, Duration timeout) {
    long started = System.nanoTime();
    Set<String> seen = new HashSet<>();
    Set<String> wanted = new HashSet<>(ids);
    connect.consumeUntil(topic, timeout, record -> seen.add(StreamTestData.entryId(record)),
        () -> seen.containsAll(wanted));
    assertDeliveredEvery(seen, ids);
    return Duration.ofNanos(System.nanoTime() - started);
  }

  private static long metric(String connector, String attribute) throws Exception {
    return TaskThreadsInProcess.metric("source-task-metrics", connector, attribute);
  }

  /** Waits until the task has reported a stall: the metric grew past the threshold and the WARN was counted. */
  private static void awaitStallReported(String connector) {
    await("the task reports the stall").atMost(Duration.ofSeconds(60)).ignoreExceptions()
        .until(() -> metric(connector, "redis-stalls") >= 1);
  }

  private void awaitDrained(String stream) {
    await("nothing left pending").atMost(Duration.ofSeconds(60))
        .until(() -> StreamTestData.pending(redis, stream, stream) == 0);
  }

  /**
   * Writes {@code count} entries, deploys the source on them through the proxy and returns their IDs once
   * the group has delivered some {@code delivered} of them, so the fault meets a transfer under way.
   */
  private List<String> startTransfer(String stream, int count, int delivered) {
    connect.createTopic(stream, 1);
    List<String> ids = StreamTestData.add(redis, stream, count, StreamTestData::order);
    connect.deployAndAwaitRunning(stream, throughProxy(stream), 1);
    awaitDelivered(stream, count, delivered);
    return ids;
  }

  private void awaitDelivered(String stream, int count, int delivered) {
    await("the transfer is under way").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
        .until(() -> StreamTestData.lag(redis, stream, stream) <= count - delivered);
  }

  /** After a fault: every entry is in Kafka, the task RUNNING and nothing pending; then the connector goes. */
  private void awaitEveryEntryAndDelete(String stream, List<String> ids, Duration within) {
    awaitInTopic(stream, ids, within);
    connect.awaitRunning(stream, 1);
    awaitDrained(stream);
    connect.delete(stream);
  }

  @Test
  void aHalfOpenCutDuringABlockedReadIsReportedAndEverythingWrittenAfterTheHealArrives() throws Exception {
    String stream = "cut-blocked";
    connect.createTopic(stream, 1);
    List<String> before = StreamTestData.add(redis, stream, 1_000, StreamTestData::order);
    connect.deployAndAwaitRunning(stream, throughProxy(stream), 1);
    awaitInTopic(stream, before, Duration.ofSeconds(60));

    // Caught up: the read blocks in XREADGROUP when its connection goes silent.
    proxy.cut();
    awaitStallReported(stream);
    assertThat(metric(stream, "redis-stall-ms")).isGreaterThan(2L * SOCKET_TIMEOUT_MS + BLOCK_MS);
    proxy.heal();
    List<String> after = StreamTestData.add(redis, stream, 10_000, StreamTestData::order);

    Duration took = awaitInTopic(stream, after, RECOVERY_BOUND);
    System.out.printf("half-open cut in a blocked read: 10,000 entries written after the heal arrived in %d ms%n",
        took.toMillis());
    connect.awaitRunning(stream, 1);
    awaitDrained(stream);
    await("the stall is over").atMost(Duration.ofSeconds(10)).ignoreExceptions()
        .until(() -> metric(stream, "redis-stall-ms") < 2L * SOCKET_TIMEOUT_MS);
    connect.delete(stream);
  }

  @Test
  void aHalfOpenCutWhileEntriesAndAcknowledgementsAreOnTheWireLosesNothing() {
    List<String> ids = startTransfer("cut-transfer", 60_000, 5_000);

    proxy.cut();
    awaitStallReported("cut-transfer");
    proxy.heal();

    awaitEveryEntryAndDelete("cut-transfer", ids, RECOVERY_BOUND.plusSeconds(60));
  }

  @Test
  void connectionsResetInTheMiddleOfTheTransferLoseNothing() {
    List<String> ids = startTransfer("reset-transfer", 40_000, 5_000);
    proxy.resetAll();
    awaitDelivered("reset-transfer", 40_000, 20_000);
    proxy.resetAll();

    awaitEveryEntryAndDelete("reset-transfer", ids, RECOVERY_BOUND.plusSeconds(60));
  }

  @Test
  void fiftyMillisecondsOfLatencyPerRoundTripSlowsButLosesNothing() {
    String stream = "latency";
    connect.createTopic(stream, 1);
    proxy.latency(50);
    List<String> ids = StreamTestData.add(redis, stream, 50_000, StreamTestData::order);
    long started = System.nanoTime();
    connect.deployAndAwaitRunning(stream, throughProxy(stream), 1);

    awaitInTopic(stream, ids, Duration.ofMinutes(3));
    awaitDrained(stream);
    double seconds = (System.nanoTime() - started) / 1e9;
    System.out.printf("50 ms per round trip: %d entries delivered and acknowledged in %.1f s (%.0f entries/s)%n",
        ids.size(), seconds, ids.size() / seconds);
    connect.awaitRunning(stream, 1);
    connect.delete(stream);
  }

  @Test
  void aRedisFrozenForThirtySecondsIsReportedAndNothingIsLost() throws Exception {
    String stream = "frozen";
    List<String> before = startTransfer(stream, 20_000, 5_000);

    LocalRedisProcess server = (LocalRedisProcess) redisServer.server();
    server.pause();
    try {
      awaitStallReported(stream);
      await("frozen for 30 s as the task sees it").atMost(Duration.ofSeconds(60)).ignoreExceptions()
          .until(() -> metric(stream, "redis-stall-ms") >= 30_000);
      connect.awaitRunning(stream, 1);
    } finally {
      server.resume();
    }
    List<String> after = StreamTestData.add(redis, stream, 5_000, StreamTestData::order);

    List<String> all = new ArrayList<>(before);
    all.addAll(after);
    awaitEveryEntryAndDelete(stream, all, RECOVERY_BOUND.plusSeconds(30));
  }

  @Test
  void aSourceDeletedWhileRedisIsSilentIsGoneWithinTheGracefulTimeoutAndLeavesNoThread() {
    String name = "silent-delete";
    connect.createTopic(name, 1);
    List<String> ids = StreamTestData.add(redis, name, 100, StreamTestData::order);
    // Connect's default timeouts (10 s socket timeout), so stopping cannot rely on a call ending by itself.
    Map<String, String> config = SourceConnectorDeliveryIT.baseConfig("redis://127.0.0.1:" + proxy.port(), name,
        name);
    connect.deployAndAwaitRunning(name, config, 1);
    awaitInTopic(name, ids, Duration.ofSeconds(60));
    assertThat(TaskThreadsInProcess.of(name)).isNotEmpty();

    proxy.cut();
    await("the task's calls go into the silence").atMost(Duration.ofSeconds(10))
        .until(() -> proxy.droppedBytes() > 0);
    long started = System.nanoTime();
    connect.delete(name);

    // task.shutdown.graceful.timeout.ms is 5 s by default.
    await("no thread of the deleted task is left").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
        .untilAsserted(() -> assertThat(TaskThreadsInProcess.of(name))
            .as(TaskThreadsInProcess.whereAre(name)).isEmpty());
    System.out.printf("source deleted while Redis was silent: its threads ended %d ms after the delete%n",
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
  }

  @Test
  void underMaxmemoryItWaitsToCreateItsGroupAndOwesDeadLettersUntilMemoryIsFreed() throws Exception {
    String early = "oom-group";
    String rejecting = "oom-dead-letters";
    connect.createTopic(early, 1);
    connect.createTopic(rejecting, 1);
    // The second source is caught up on an empty stream, then stopped while its entries are written.
    redis.xadd(rejecting, Map.of("seed", "0"), XAddParams.xAddParams());
    Map<String, String> rejectingConfig = throughProxy(rejecting);
    rejectingConfig.put("entry.max.bytes", "300");
    rejectingConfig.put("redis.dead.letter.stream", "${stream}:dead-letters");
    connect.deployAndAwaitRunning(rejecting, rejectingConfig, 1);
    awaitDrained(rejecting);
    connect.stop(rejecting);
    List<String> earlyIds = StreamTestData.add(redis, early, 500, StreamTestData::order);
    List<String> good = new ArrayList<>();
    List<String> oversized = new ArrayList<>();
    for (int n = 0; n < 60; n++) {
      Map<String, String> fields = StreamTestData.order(n);
      boolean tooBig = n % 6 == 0;
      if (tooBig) {
        fields.put("note", "x".repeat(400));
      }
      String id = redis.xadd(rejecting, fields, XAddParams.xAddParams()).toString();
      (tooBig ? oversized : good).add(id);
    }

    redis.configSet("maxmemory-policy", "noeviction");
    redis.configSet("maxmemory", "1");
    try {
      connect.deployAndAwaitRunning(early, throughProxy(early), 1);
      connect.resume(rejecting, 1);

      awaitInTopic(rejecting, good, Duration.ofSeconds(60));
      await("the oversized entries owe their dead letters").atMost(Duration.ofSeconds(30)).ignoreExceptions()
          .until(() -> metric(rejecting, "dead-letters-owed") == oversized.size());
      await("both tasks keep running while Redis refuses writes").during(Duration.ofSeconds(3))
          .atMost(Duration.ofSeconds(10)).until(() -> redis.xinfoGroups(early).isEmpty()
              && StreamTestData.pending(redis, rejecting, rejecting) == oversized.size());
      connect.awaitRunning(early, 1);
      connect.awaitRunning(rejecting, 1);
      assertThat(redis.exists(deadLetterStream(rejecting))).isFalse();
    } finally {
      redis.configSet("maxmemory", "0");
    }

    awaitInTopic(early, earlyIds, RECOVERY_BOUND);
    await("every dead letter written").atMost(RECOVERY_BOUND).ignoreExceptions()
        .until(() -> redis.xlen(deadLetterStream(rejecting)) == oversized.size());
    awaitDrained(rejecting);
    awaitDrained(early);
    assertThat(metric(rejecting, "dead-letters-owed")).isZero();
    connect.delete(early);
    connect.delete(rejecting);
  }

  private static String deadLetterStream(String stream) {
    return stream + ":dead-letters";
  }
}
