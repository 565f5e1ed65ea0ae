package io.redisbridge.source;

import static io.redisbridge.testing.DeliveryAssertions.assertDeliveredEvery;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.redisbridge.testing.ConnectClusterExtension;
import io.redisbridge.testing.RedisClusterExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.XAddParams;

/**
 * The source against a Redis Cluster of three primaries with a replica each, reading three streams, one
 * on each primary: one primary is SIGKILLed mid-run, its replica takes over, and the source follows the
 * new topology, stays RUNNING and delivers every entry, re-reading its pending ones from the promoted replica.
 */
class SourceConnectorClusterFailoverIT {

  private static final List<String> STREAMS = List.of("orders-us", "orders-asia", "orders-eu");
  private static final String VICTIM = "orders-asia";
  private static final int PER_ROUND = 10_000;

  @RegisterExtension
  @Order(1)
  static final RedisClusterExtension redisCluster = RedisClusterExtension.withReplicas();

  @RegisterExtension
  @Order(2)
  static final ConnectClusterExtension connect = new ConnectClusterExtension();

  /**
   * Adds {@code count} entries on the stream's primary and waits until its replica has them: what the
   * test counts as written must survive the primary (Redis replicates asynchronously).
   */
  private static List<String> addReplicated(String stream, int from, int count) {
    List<String> ids = new ArrayList<>(count);
    try (Jedis primary = redisCluster.primaryClient(stream)) {
      List<Response<StreamEntryID>> replies = new ArrayList<>();
      Pipeline pipeline = primary.pipelined();
      for (int n = from; n < from + count; n++) {
        replies.add(pipeline.xadd(stream, XAddParams.xAddParams(), StreamTestData.order(n)));
      }
      pipeline.sync();
      replies.forEach(reply -> ids.add(reply.get().toString()));
      assertThat(primary.waitReplicas(1, 25_000)).isEqualTo(1);
    }
    return ids;
  }

  @Test
  void followsTheKillOfAPrimaryAndLosesNothing() {
    Set<HostAndPort> primaries = new HashSet<>();
    STREAMS.forEach(stream -> primaries.add(redisCluster.primaryOf(stream)));
    assertThat(primaries).as("one stream on each primary").hasSize(3);
    Map<String, List<String>> written = new HashMap<>();
    for (String stream : STREAMS) {
      connect.createTopic(stream, 1);
      // Enough that the kill comes while the source is still reading.
      written.put(stream, new ArrayList<>(addReplicated(stream, 0, 3 * PER_ROUND)));
    }
    Map<String, String> config = SourceConnectorDeliveryIT.baseConfig(redisCluster.uri(), String.join(",", STREAMS),
        "cf");
    config.put("redis.mode", "cluster");
    config.put("redis.retry.backoff.max.ms", "1000");
    config.put("redis.read.count", "200");
    connect.deployAndAwaitRunning("cf-source", config, 1);

    await().atMost(Duration.ofSeconds(60)).until(() -> deliveredSoFar(VICTIM) >= 2_000);
    HostAndPort killed = redisCluster.killPrimaryOf(VICTIM);
    // The promoted replica has no replica of its own (which the test's writes wait for) until the killed
    // node comes back as one.
    redisCluster.restart(killed);
    for (String stream : STREAMS) {
      written.get(stream).addAll(addReplicated(stream, 3 * PER_ROUND, PER_ROUND));
    }

    try (UnifiedJedis redis = redisCluster.newClient()) {
      for (String stream : STREAMS) {
        // Acknowledged means in Kafka: once the group has delivered the last entry and nothing is pending,
        // the topic holds every entry (some twice, where an ack was lost with the primary).
        List<String> ids = written.get(stream);
        String last = ids.get(ids.size() - 1);
        await(stream + " delivered and acknowledged").atMost(Duration.ofMinutes(3)).ignoreExceptions()
            .until(() -> redis.xinfoGroups(stream).get(0).getLastDeliveredId().toString().equals(last)
                && redis.xpending(stream, "cf").getTotal() == 0);
            Set<String> seen = new HashSet<>();
        long records = endOffset(stream);
        assertThat(connect.consume(stream, records, Duration.ofMinutes(1),
            record -> seen.add(StreamTestData.entryId(record)))).isEqualTo(records);
        assertDeliveredEvery(seen, ids);
      }
    }
    connect.awaitRunning("cf-source", 1);
    connect.delete("cf-source");
  }

  private static long endOffset(String topic) {
    TopicPartition partition = new TopicPartition(topic, 0);
    try (var consumer = connect.cluster().kafka().createConsumer(Map.of())) {
      return consumer.endOffsets(List.of(partition)).get(partition);
    }
  }

  /** Entries the group has delivered from {@code stream}; 0 while its primary cannot answer. */
  private static long deliveredSoFar(String stream) {
    try (Jedis primary = redisCluster.primaryClient(stream)) {
      Object read = primary.xinfoGroups(stream).get(0).getGroupInfo().get("entries-read");
      return read == null ? 0 : ((Number) read).longValue();
    } catch (RuntimeException e) {
      return 0;
    }
  }
}
