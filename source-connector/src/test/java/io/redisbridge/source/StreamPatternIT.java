package io.redisbridge.source;

import static io.redisbridge.testing.DeliveryAssertions.assertDeliveredExactly;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.redisbridge.testing.ConnectClusterExtension;
import io.redisbridge.testing.RedisClusterExtension;
import io.redisbridge.testing.RedisServerExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.XAddParams;
import redis.clients.jedis.resps.StreamGroupInfo;

/**
 * The source over every stream that matches a pattern, on a standalone Redis and a 3-node Redis Cluster:
 * 1,000 streams spread over 4 tasks, streams created while it runs, keys that do not match or are not
 * streams, a stream deleted mid-read, a worker restart, and topic names made legal.
 */
class StreamPatternIT {

  private static final int STREAMS = 1_000;
  private static final int ENTRIES = 100;
  private static final long SCAN_INTERVAL_MS = 3_000;

  @RegisterExtension
  @org.junit.jupiter.api.Order(1)
  static final RedisServerExtension redisServer = new RedisServerExtension();

  @RegisterExtension
  @org.junit.jupiter.api.Order(2)
  static final RedisClusterExtension redisCluster = new RedisClusterExtension();

  @RegisterExtension
  @org.junit.jupiter.api.Order(3)
  static final ConnectClusterExtension connect = new ConnectClusterExtension();

  private static Map<String, String> patternConfig(String uri, String pattern, String group) {
    Map<String, String> config = SourceConnectorDeliveryIT.baseConfig(uri, "", group);
    config.remove("redis.streams");
    config.put("redis.streams.pattern", pattern);
    config.put("redis.streams.pattern.scan.interval.ms", Long.toString(SCAN_INTERVAL_MS));
    config.put("record.headers", "redis.stream,redis.entry.id");
    // Entries a stopped task left unconfirmed while its successor already replayed its history wait for a
    // claim: soon, here, rather than after the default minute.
    config.put("redis.claim.min.idle.ms", "5000");
    config.put("redis.claim.interval.ms", "1000");
    return config;
  }

  /** Adds {@code entries} entries to each stream, pipelined; their "stream/id" names. */
  private static List<String> fill(UnifiedJedis redis, List<String> streams, int entries) {
    List<Response<StreamEntryID>> replies = new ArrayList<>();
    List<String> names = new ArrayList<>();
    try (AbstractPipeline pipeline = redis.pipelined()) {
      for (String stream : streams) {
        for (int n = 0; n < entries; n++) {
          replies.add(pipeline.xadd(stream, XAddParams.xAddParams(), Map.of("order_id", stream + "-" + n)));
          names.add(stream);
        }
      }
      pipeline.sync();
    }
    List<String> ids = new ArrayList<>(replies.size());
    for (int i = 0; i < replies.size(); i++) {
      ids.add(names.get(i) + "/" + replies.get(i).get());
    }
    return ids;
  }

  private static List<String> names(String prefix, int from, int to) {
    List<String> names = new ArrayList<>();
    for (int n = from; n < to; n++) {
      names.add(prefix + n);
    }
    return names;
  }

  /** "stream/id" of every record on the topic, expecting {@code expected}. */
  private static List<String> delivered(String topic, long expected, Duration timeout) {
    List<String> delivered = new ArrayList<>();
    connect.consume(topic, expected, timeout, record -> delivered.add(streamAndId(record)));
    return delivered;
  }

  private static String streamAndId(ConsumerRecord<byte[], byte[]> record) {
    return new String(record.headers().lastHeader("redis.stream").value(), StandardCharsets.UTF_8) + "/"
        + StreamTestData.entryId(record);
  }

  /** Pending entries of the group over all {@code streams}, and how many consumers each stream's group saw. */
  private static long pendingOver(UnifiedJedis redis, List<String> streams, String group, Set<Long> consumers) {
    long pending = 0;
    for (String stream : streams) {
      StreamGroupInfo info = redis.xinfoGroups(stream).stream().filter(g -> g.getName().equals(group))
          .findFirst().orElseThrow();
      pending += info.getPending();
      consumers.add(info.getConsumers());
    }
    return pending;
  }

  private void readsEveryMatchingStreamSpreadOverFourTasks(UnifiedJedis redis, String uri, String mode,
      String prefix) {
    String topic = prefix + "orders";
    connect.createTopic(topic, 4);
    List<String> streams = names(prefix + "orders:", 0, STREAMS);
    List<String> expected = fill(redis, streams, ENTRIES);
    // Keys the pattern matches that are not streams, and a stream it does not match.
    redis.set(prefix + "orders:not-a-stream", "x");
    redis.hset(prefix + "orders:a-hash", "field", "value");
    fill(redis, List.of(prefix + "invoices:1"), 10);

    Map<String, String> config = patternConfig(uri, prefix + "orders:*", prefix + "group");
    config.put("tasks.max", "4");
    config.put("redis.mode", mode);
    config.put("topic", topic);
    connect.deployAndAwaitRunning(prefix + "source", config, 4);

    assertDeliveredExactly(delivered(topic, expected.size(), Duration.ofMinutes(4)), expected);
    Set<Long> consumersPerStream = new HashSet<>();
    await("every entry acknowledged").atMost(Duration.ofSeconds(60)).untilAsserted(() ->
        assertThat(pendingOver(redis, streams, prefix + "group", consumersPerStream)).isZero());
    assertThat(consumersPerStream).as("spread: each stream is read by one task's consumer").containsOnly(1L);
    assertThat(redis.type(prefix + "orders:not-a-stream")).isEqualTo("string");
    assertThat(redis.xinfoGroups(prefix + "invoices:1")).isEmpty();

    // New matching streams while it runs: read within the scan interval plus 10 s.
    List<String> fresh = names(prefix + "orders:new-", 0, 50);
    List<String> freshIds = fill(redis, fresh, 10);
    List<String> all = new ArrayList<>(expected);
    all.addAll(freshIds);
    long deadline = SCAN_INTERVAL_MS + 10_000;
    assertDeliveredExactly(delivered(topic, all.size(), Duration.ofMillis(deadline)), all);

    // A worker restart: every task starts again on a new worker and goes on where its streams' group stands.
    connect.replaceWorkers();
    connect.awaitRunning(prefix + "source", 4);
    List<String> more = fill(redis, streams.subList(0, 100), 1);
    all.addAll(more);
    List<String> after = delivered(topic, all.size(), Duration.ofMinutes(2));
    assertThat(after).as("nothing read twice after the restart").hasSize(all.size());
    assertDeliveredExactly(after, all);
    connect.delete(prefix + "source");
  }

  @Test
  void readsEveryMatchingStreamOnAStandaloneRedis() {
    readsEveryMatchingStreamSpreadOverFourTasks(redisServer.client(), redisServer.server().uri(), "standalone",
        "solo-");
  }

  @Test
  void readsEveryMatchingStreamOnEveryPrimaryOfARedisCluster() {
    try (UnifiedJedis cluster = redisCluster.newClient()) {
      readsEveryMatchingStreamSpreadOverFourTasks(cluster, redisCluster.uri(), "cluster", "cl-");
    }
  }

  @Test
  void goesOnWithTheOtherStreamsWhenOneIsDeletedAndMakesTopicNamesLegal() {
    UnifiedJedis redis = redisServer.client();
    List<String> streams = List.of("region:eu", "region:us", "region:apac");
    fill(redis, streams, 50);
    Map<String, String> config = patternConfig(redisServer.server().uri(), "region:*", "regions");
    // No scan before the deletion: the task itself must notice it.
    config.put("redis.streams.pattern.scan.interval.ms", "600000");
    config.put("topic", "${stream}");
    // Connect creates each topic, and would refuse an illegal name.
    config.put("topic.creation.default.replication.factor", "1");
    config.put("topic.creation.default.partitions", "1");
    config.put("redis.read.count", "10");
    connect.deployAndAwaitRunning("region-source", config, 1);

    assertThat(delivered("region_eu", 50, Duration.ofSeconds(60))).hasSize(50);
    redis.del("region:us");
    List<String> later = fill(redis, List.of("region:eu", "region:apac"), 20);
    await("entries after the deletion").atMost(Duration.ofSeconds(60)).until(() ->
        delivered("region_eu", 70, Duration.ofSeconds(5)).size() == 70
            && delivered("region_apac", 70, Duration.ofSeconds(5)).size() == 70);
    connect.awaitRunning("region-source", 1);
    assertThat(later).hasSize(40);
    assertThat(redis.exists("region:us")).as("not created again").isFalse();
    connect.delete("region-source");
  }

  @Test
  void readsAListedStreamAgainAfterItWasDeletedAndWrittenAgain() {
    UnifiedJedis redis = redisServer.client();
    fill(redis, List.of("listed-a", "listed-b"), 30);
    connect.createTopic("listed", 1);
    Map<String, String> config = SourceConnectorDeliveryIT.baseConfig(redisServer.server().uri(),
        "listed-a,listed-b", "listed");
    config.put("topic", "listed");
    config.put("record.headers", "redis.stream,redis.entry.id"); // two streams feed one topic
    connect.deployAndAwaitRunning("listed-source", config, 1);
    assertThat(delivered("listed", 60, Duration.ofSeconds(60))).hasSize(60);

    redis.del("listed-a");
    await("the task noticed and made the group again").atMost(Duration.ofSeconds(30)).ignoreExceptions()
        .until(() -> redis.xinfoGroups("listed-a").size() == 1);
    List<String> again = fill(redis, List.of("listed-a", "listed-b"), 5);
    List<String> all = delivered("listed", 70, Duration.ofSeconds(60));
    assertThat(all).hasSize(70).containsAll(again);
    connect.awaitRunning("listed-source", 1);
    connect.delete("listed-source");
  }
}
