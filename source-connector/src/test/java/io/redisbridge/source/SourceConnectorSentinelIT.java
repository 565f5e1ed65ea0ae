package io.redisbridge.source;

import static io.redisbridge.testing.DeliveryAssertions.assertDeliveredEvery;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.redisbridge.testing.ConnectClusterExtension;
import io.redisbridge.testing.FaultProxy;
import io.redisbridge.testing.RedisSentinelExtension;
import io.redisbridge.testing.RedisSentinelSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XAddParams;

/**
 * The source against a primary, a replica and three sentinels: it follows a SENTINEL FAILOVER and a
 * SIGKILL of the primary mid-run, stays RUNNING, and every entry reaches Kafka, its pending entries read
 * again from the promoted replica.
 */
class SourceConnectorSentinelIT {

  @RegisterExtension
  static final ConnectClusterExtension connect = new ConnectClusterExtension();

  @RegisterExtension
  static final RedisSentinelExtension sentinels = new RedisSentinelExtension();

  /**
   * Adds {@code count} entries on the current primary and waits until the replica has them: what the
   * test counts as written must survive the primary (Redis replicates asynchronously).
   */
  private static List<String> addReplicated(String stream, int from, int count) {
    List<String> ids = new ArrayList<>(count);
    try (Jedis primary = sentinels.set().primaryClient()) {
      for (int start = from; start < from + count; start += 5_000) {
        List<Response<StreamEntryID>> replies = new ArrayList<>();
        Pipeline pipeline = primary.pipelined();
        for (int n = start; n < Math.min(from + count, start + 5_000); n++) {
          replies.add(pipeline.xadd(stream, XAddParams.xAddParams(), StreamTestData.order(n)));
        }
        pipeline.sync();
        replies.forEach(reply -> ids.add(reply.get().toString()));
      }
      assertThat(primary.waitReplicas(1, 10_000)).isEqualTo(1);
    }
    return ids;
  }

  @Test
  void followsAFailoverAndTheKillOfThePrimaryAndLosesNothing() {
    connect.createTopic("ha-orders", 1);
    List<String> written = new ArrayList<>(addReplicated("ha-orders", 0, 20_000));
    Map<String, String> config = SourceConnectorDeliveryIT.baseConfig(sentinels.set().sentinelUri(), "ha-orders", "ha");
    config.put("redis.mode", "sentinel");
    config.put("redis.sentinel.master", RedisSentinelSet.MASTER_NAME);
    config.put("redis.sentinel.password", RedisSentinelSet.SENTINEL_PASSWORD);
    config.put("redis.password", RedisSentinelSet.DATA_PASSWORD);
    config.put("redis.retry.backoff.max.ms", "1000");
    config.put("redis.read.count", "200");
    connect.deployAndAwaitRunning("ha-source", config, 1);

    Set<String> seen = new HashSet<>();
    await().atMost(Duration.ofSeconds(60)).until(() -> deliveredSoFar() >= 2_000);
    sentinels.set().failover();
    written.addAll(addReplicated("ha-orders", 20_000, 20_000));
    await().atMost(Duration.ofSeconds(90)).until(() -> deliveredSoFar() >= 25_000);
    HostAndPort killed = sentinels.set().primary();
    sentinels.set().killPrimary();
    // The new primary has no replica until the killed node comes back as one.
    sentinels.set().restartNode(killed.getPort());
    written.addAll(addReplicated("ha-orders", 40_000, 20_000));

    // Acknowledged means in Kafka: once the group has delivered the last entry and nothing is pending,
    // the topic holds every entry (some twice, where an ack was lost with the primary).
    String last = written.get(written.size() - 1);
    await().atMost(Duration.ofMinutes(3)).ignoreExceptions().until(() -> {
      try (Jedis primary = sentinels.set().primaryClient()) {
        return primary.xinfoGroups("ha-orders").get(0).getLastDeliveredId().toString().equals(last)
            && primary.xpending("ha-orders", "ha").getTotal() == 0;
      }
    });
    long records = endOffset("ha-orders");
    assertThat(connect.consume("ha-orders", records, Duration.ofMinutes(1),
        record -> seen.add(StreamTestData.entryId(record)))).isEqualTo(records);
    assertDeliveredEvery(seen, written);
    connect.awaitRunning("ha-source", 1);
    connect.delete("ha-source");
  }

  /**
   * Jedis learns of a failover from subscriptions to the sentinels that wait without a deadline. Here
   * every one of them is left half-open before the failover, so no failover message reaches the task: it
   * must find the new primary by asking the sentinels itself after its commands fail on the old one.
   */
  @Test
  void followsAFailoverItsHalfOpenSentinelSubscriptionsNeverHeardOf() {
    connect.createTopic("ha-quiet", 1);
    List<FaultProxy> proxies = sentinels.set().sentinelPorts().stream().map(FaultProxy::to).toList();
    try {
      List<String> written = new ArrayList<>(addReplicated("ha-quiet", 0, 2_000));
      Map<String, String> config = SourceConnectorDeliveryIT.baseConfig(String.join(",", proxies.stream()
          .map(proxy -> "redis://127.0.0.1:" + proxy.port()).toList()), "ha-quiet", "quiet");
      config.put("redis.mode", "sentinel");
      config.put("redis.sentinel.master", RedisSentinelSet.MASTER_NAME);
      config.put("redis.sentinel.password", RedisSentinelSet.SENTINEL_PASSWORD);
      config.put("redis.password", RedisSentinelSet.DATA_PASSWORD);
      config.put("redis.retry.backoff.max.ms", "1000");
      connect.deployAndAwaitRunning("quiet-source", config, 1);
      Set<String> seen = new HashSet<>();
      connect.consumeUntil("ha-quiet", Duration.ofSeconds(60), record -> seen.add(StreamTestData.entryId(record)),
          () -> seen.containsAll(written));

      proxies.forEach(FaultProxy::cut);
      proxies.forEach(FaultProxy::heal);
      sentinels.set().failover();
      written.addAll(addReplicated("ha-quiet", 2_000, 2_000));

      connect.consumeUntil("ha-quiet", Duration.ofSeconds(90), record -> seen.add(StreamTestData.entryId(record)),
          () -> seen.containsAll(written));
      assertDeliveredEvery(seen, written);
      connect.awaitRunning("quiet-source", 1);
      connect.delete("quiet-source");
    } finally {
      proxies.forEach(FaultProxy::close);
    }
  }

  private static long endOffset(String topic) {
    org.apache.kafka.common.TopicPartition partition = new org.apache.kafka.common.TopicPartition(topic, 0);
    try (var consumer = connect.cluster().kafka().createConsumer(Map.of())) {
      return consumer.endOffsets(List.of(partition)).get(partition);
    }
  }

  /** Entries the group has delivered, on the current primary; 0 while it cannot answer. */
  private static long deliveredSoFar() {
    try (Jedis primary = sentinels.set().primaryClient()) {
      Object read = primary.xinfoGroups("ha-orders").get(0).getGroupInfo().get("entries-read");
      return read == null ? 0 : ((Number) read).longValue();
    } catch (RuntimeException e) {
      return 0;
    }
  }
}
