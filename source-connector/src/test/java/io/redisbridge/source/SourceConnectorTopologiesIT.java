package io.redisbridge.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.redisbridge.common.redis.Pipelines;
import io.redisbridge.testing.ConnectClusterExtension;
import io.redisbridge.testing.RedisClusterExtension;
import io.redisbridge.testing.RedisServerExtension;
import io.redisbridge.testing.RestResponse;
import io.redisbridge.testing.TlsMaterial;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.XReadGroupParams;
import redis.clients.jedis.util.JedisClusterCRC16;

/** The source against a Redis Cluster (streams in different slots) and against a server with ACL users. */
class SourceConnectorTopologiesIT {

  @RegisterExtension
  @Order(1)
  static final RedisClusterExtension redisCluster = new RedisClusterExtension();

  @RegisterExtension
  @Order(2)
  static final RedisServerExtension aclServer = new RedisServerExtension(
      "--user", "default", "off", "--user", "bridge", "on", ">s3cret-pass", "~*", "&*", "+@all");

  private static final TlsMaterial TLS = TlsMaterial.create();

  @RegisterExtension
  @Order(3)
  static final RedisServerExtension tlsServer =
      new RedisServerExtension(TLS.mutualServerArgs().toArray(String[]::new));

  @RegisterExtension
  @Order(4)
  static final ConnectClusterExtension connect = new ConnectClusterExtension();

  @Test
  void clusterPipelinesReadEachNodeOnSharedThreadsNotOnANewPoolPerSync() {
    try (UnifiedJedis redis = redisCluster.newClient()) {
      List<String> keys = IntStream.range(0, 30).mapToObj(i -> "pipelined-" + i).toList();
      assertThat(keys.stream().map(redisCluster::primaryOf).distinct()).as("the keys span every primary").hasSize(3);
      int poolsBefore = threadPoolsCreatedSoFar();
      for (int sync = 0; sync < 20; sync++) {
        List<Response<Long>> replies = new ArrayList<>();
        try (AbstractPipeline pipeline = Pipelines.open(redis)) {
          keys.forEach(key -> replies.add(pipeline.incr(key)));
          pipeline.sync();
        }
        long expected = sync + 1;
        assertThat(replies).allSatisfy(reply -> assertThat(reply.get()).isEqualTo(expected));
      }
      // Jedis on its own starts an executor per sync of a multi-node pipeline: 20 here.
      assertThat(threadPoolsCreatedSoFar() - poolsBefore - 1).as("thread pools started by 20 syncs").isLessThan(5);
      assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
          .anyMatch(name -> name.startsWith("redis-pipeline-node-"));
    }
  }

  /** The JDK numbers each default thread factory (pool-N-thread-M): a new one tells how many came before. */
  private static int threadPoolsCreatedSoFar() {
    String name = Executors.defaultThreadFactory().newThread(() -> { }).getName();
    return Integer.parseInt(name.split("-")[1]);
  }

  @Test
  void readsStreamsInDifferentSlotsOfAClusterAndDeadLettersAcrossSlots() {
    assertThat(JedisClusterCRC16.getSlot("east")).isNotEqualTo(JedisClusterCRC16.getSlot("west"));
    try (UnifiedJedis redis = redisCluster.newClient()) {
      List<String> east = StreamTestData.add(redis, "east", 3_000, StreamTestData::order);
      List<String> west = StreamTestData.add(redis, "west", 3_000, StreamTestData::order);
      // Two entries of "west" were delivered too often already: their dead-letter stream is in another slot.
      deliverThreeTimes(redis, "west", "geo", "geo-source-0", 2);
      redis.xgroupCreate("east", "geo", new StreamEntryID(0, 0), false);
      assertThat(JedisClusterCRC16.getSlot("west-dlq")).isNotEqualTo(JedisClusterCRC16.getSlot("west"));
      connect.createTopic("geo", 2);
      Map<String, String> config = SourceConnectorDeliveryIT.baseConfig(redisCluster.uri(), "east,west", "geo");
      config.put("redis.mode", "cluster");
      config.put("topic", "geo");
      config.put("redis.max.deliveries", "3");

      connect.deployAndAwaitRunning("geo-source", config, 1);

      Set<String> expected = new HashSet<>(east);
      expected.addAll(west.subList(2, west.size()));
      assertThat(StreamTestData.entryIdsIn(connect, "geo", expected.size(), Duration.ofSeconds(90)))
          .containsExactlyInAnyOrderElementsOf(expected);
      await().atMost(Duration.ofSeconds(30)).until(() ->
          StreamTestData.pending(redis, "east", "geo") == 0 && StreamTestData.pending(redis, "west", "geo") == 0);
      assertThat(redis.xrange("west-dlq", "-", "+")).extracting(entry -> entry.getFields().get("original_id"))
          .containsExactlyElementsOf(west.subList(0, 2));
      connect.delete("geo-source");
    }
  }

  @Test
  void deadLettersAHashTaggedStreamInOneTransactionOnTheStreamsClusterNode() {
    assertThat(JedisClusterCRC16.getSlot("{north}-dlq")).isEqualTo(JedisClusterCRC16.getSlot("{north}"));
    try (UnifiedJedis redis = redisCluster.newClient()) {
      List<String> north = StreamTestData.add(redis, "{north}", 500, StreamTestData::order);
      deliverThreeTimes(redis, "{north}", "polar", "polar-source-0", 3);
      connect.createTopic("polar", 1);
      Map<String, String> config = SourceConnectorDeliveryIT.baseConfig(redisCluster.uri(), "{north}", "polar");
      config.put("redis.mode", "cluster");
      config.put("topic", "polar");
      config.put("redis.max.deliveries", "3");

      connect.deployAndAwaitRunning("polar-source", config, 1);

      assertThat(StreamTestData.entryIdsIn(connect, "polar", 497, Duration.ofSeconds(90)))
          .containsExactlyInAnyOrderElementsOf(north.subList(3, north.size()));
      await().atMost(Duration.ofSeconds(30)).until(() -> StreamTestData.pending(redis, "{north}", "polar") == 0);
      assertThat(redis.xrange("{north}-dlq", "-", "+")).extracting(entry -> entry.getFields().get("original_id"))
          .containsExactlyElementsOf(north.subList(0, 3));
      connect.delete("polar-source");
    }
  }

  @Test
  void authenticatesAsAnAclUserAndValidateNamesAWrongPassword() {
    try (UnifiedJedis admin = aclAdmin()) {
      List<String> ids = StreamTestData.add(admin, "secured", 100, StreamTestData::order);
      connect.createTopic("secured", 1);
      Map<String, String> config = SourceConnectorDeliveryIT.baseConfig(aclServer.server().uri(), "secured", "sec");
      config.put("redis.user", "bridge");
      config.put("redis.password", "wrong");

      RestResponse refused = connect.rest("PUT", "connector-plugins/" + RedisStreamsSourceConnector.class.getName()
          + "/config/validate", ConnectClusterExtension.toJson(withName(config)));
      assertThat(refused.body()).contains("Redis refused the credentials").doesNotContain("wrong");

      config.put("redis.password", "s3cret-pass");
      connect.deployAndAwaitRunning("secured-source", config, 1);

      assertThat(StreamTestData.entryIdsIn(connect, "secured", ids.size(), Duration.ofSeconds(60)))
          .containsExactlyInAnyOrderElementsOf(ids);
      connect.delete("secured-source");
    }
  }

  @Test
  void readsOverMutualTlsWithItsOwnTrustStoreAndKeyStore() {
    List<String> ids = StreamTestData.add(tlsServer.client(), "encrypted", 100, StreamTestData::order);
    connect.createTopic("encrypted", 1);
    String tlsUri = "rediss://127.0.0.1:" + TLS.tlsPort();
    Map<String, String> config = SourceConnectorDeliveryIT.baseConfig(tlsUri, "encrypted", "tls");

    RestResponse untrusted = connect.rest("PUT", "connector-plugins/" + RedisStreamsSourceConnector.class.getName()
        + "/config/validate", ConnectClusterExtension.toJson(withName(config)));
    assertThat(untrusted.body()).contains("does not chain to a trusted CA");

    config.put("redis.tls.truststore.path", TLS.truststore().toString());
    config.put("redis.tls.truststore.password", TlsMaterial.TRUSTSTORE_PASSWORD);
    RestResponse anonymous = connect.rest("PUT", "connector-plugins/" + RedisStreamsSourceConnector.class.getName()
        + "/config/validate", ConnectClusterExtension.toJson(withName(config)));
    assertThat(anonymous.body()).contains("requires a client certificate");

    // The server (tls-auth-clients yes) only lets in clients with a certificate from its CA.
    config.put("redis.tls.keystore.path", TLS.clientKeystore().toString());
    config.put("redis.tls.keystore.password", TlsMaterial.KEYSTORE_PASSWORD);
    connect.deployAndAwaitRunning("tls-source", config, 1);

    assertThat(StreamTestData.entryIdsIn(connect, "encrypted", ids.size(), Duration.ofSeconds(60)))
        .containsExactlyInAnyOrderElementsOf(ids);
    connect.delete("tls-source");
  }

  /**
   * The least-privilege rule of docs/redis-deployments-and-security.md for a source reading {@code stream}
   * (dead letters to {@code <stream>-dlq}).
   */
  static String sourceAclRule(String stream) {
    return "+ping +client|setname +xgroup|create +xreadgroup +xack +xpending +xautoclaim +xadd +type +multi +exec "
        + "+xinfo|consumers +eval +xgroup|delconsumer ~" + stream + " ~" + stream + "-dlq";
  }

  @Test
  void runsAsAUserWithTheDocumentedRuleAndNamesCommandAndKeyWhenARightIsMissing() {
    try (UnifiedJedis admin = aclAdmin()) {
      admin.sendCommand(redis.clients.jedis.Protocol.Command.ACL,
          ("SETUSER source-min reset on >min-pass " + sourceAclRule("least")).split(" "));
      List<String> ids = StreamTestData.add(admin, "least", 300, StreamTestData::order);
      // Two entries were delivered too often already: their dead letters use XADD, TYPE, MULTI and EXEC too.
      deliverThreeTimes(admin, "least", "min", "least-source-0", 2);
      connect.createTopic("least", 1);
      Map<String, String> config = SourceConnectorDeliveryIT.baseConfig(aclServer.server().uri(), "least", "min");
      config.put("redis.user", "source-min");
      config.put("redis.password", "min-pass");
      config.put("redis.max.deliveries", "3");
      // Claim runs (XAUTOCLAIM) happen within the test too.
      config.put("redis.claim.interval.ms", "500");
      assertThat(validationErrors(config)).isEmpty();

      connect.deployAndAwaitRunning("least-source", config, 1);

      assertThat(StreamTestData.entryIdsIn(connect, "least", 298, Duration.ofSeconds(60)))
          .containsExactlyInAnyOrderElementsOf(ids.subList(2, ids.size()));
      await().atMost(Duration.ofSeconds(30)).until(() -> StreamTestData.pending(admin, "least", "min") == 0
          && admin.exists("least-dlq") && admin.xlen("least-dlq") == 2);

      // Taken away while the task runs: it fails with Redis's NOPERM and names the stream.
      admin.sendCommand(redis.clients.jedis.Protocol.Command.ACL, "SETUSER", "source-min", "-xack");
      StreamTestData.add(admin, "least", 10, StreamTestData::order);
      connect.awaitTaskFailure("least-source");
      assertThat(connect.taskTrace("least-source", 0)).contains("NOPERM").contains("xack").contains("least");
      connect.delete("least-source");
    }
  }

  @Test
  void validateNamesEachMissingRightWithItsCommandAndKey() {
    try (UnifiedJedis admin = aclAdmin()) {
      Map<String, String> config = SourceConnectorDeliveryIT.baseConfig(aclServer.server().uri(), "probed", "pr");
      config.put("redis.user", "source-probed");
      config.put("redis.password", "probe-pass");
      Map<String, String> missing = Map.of("+xgroup|create ", "xgroup", "+xreadgroup ", "xreadgroup",
          "+xack ", "xack", "+xpending ", "xpending", "+xautoclaim ", "xautoclaim", "+xadd ", "xadd",
          "+type ", "type", "+multi ", "multi", " ~probed-dlq", "probed-dlq");
      missing.forEach((right, named) -> {
        admin.sendCommand(redis.clients.jedis.Protocol.Command.ACL, ("SETUSER source-probed reset on >probe-pass "
            + sourceAclRule("probed").replace(right, right.startsWith(" ") ? "" : " ").trim()).split(" +"));
        assertThat(validationErrors(config)).as("without " + right).singleElement().asString()
            .contains("redis.user").contains(named).contains("NOPERM").doesNotContain("probe-pass");
      });
      // Exactly once reads consumers (XINFO CONSUMERS) instead of claiming entries.
      admin.sendCommand(redis.clients.jedis.Protocol.Command.ACL, ("SETUSER source-probed reset on >probe-pass "
          + sourceAclRule("probed")).split(" "));
      assertThat(validationErrors(config)).isEmpty();
      config.put("exactly.once.support", "required");
      assertThat(SourcePermissions.of(config)).anyMatch(probe -> probe.rule().equals("+xinfo|consumers"));
      assertThat(admin.exists("probed")).as("the probes create nothing").isFalse();
    }
  }

  /** Every error message validate() gives, each as "key: message". */
  private static List<String> validationErrors(Map<String, String> config) {
    List<String> errors = new ArrayList<>();
    connect.validationErrors(RedisStreamsSourceConnector.class.getName(), withName(config))
        .forEach((key, messages) -> messages.forEach(message -> errors.add(key + ": " + message)));
    return errors;
  }

  /** Creates {@code group} on {@code stream}, then delivers its first {@code count} entries three times. */
  private static void deliverThreeTimes(UnifiedJedis redis, String stream, String group, String consumer, int count) {
    redis.xgroupCreate(stream, group, new StreamEntryID(0, 0), false);
    for (int delivery = 0; delivery < 3; delivery++) {
      redis.xreadGroup(group, consumer, XReadGroupParams.xReadGroupParams().count(count),
          Map.of(stream, delivery == 0 ? StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY : new StreamEntryID(0, 0)));
    }
  }

  /** A client of the ACL server as its administrative user. */
  private static UnifiedJedis aclAdmin() {
    return new redis.clients.jedis.RedisClient.Builder()
        .hostAndPort(aclServer.server().host(), aclServer.server().port())
        .clientConfig(redis.clients.jedis.DefaultJedisClientConfig.builder().user("bridge").password("s3cret-pass")
            .build())
        .build();
  }

  private static Map<String, String> withName(Map<String, String> config) {
    Map<String, String> named = new java.util.HashMap<>(config);
    named.put("name", "validate-acl");
    return named;
  }
}
