package io.redisbridge.quickstart;

import static io.redisbridge.testing.DeliveryAssertions.assertDeliveredEvery;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.Response;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.XAddParams;

/**
 * A Connect worker process killed with SIGKILL in the middle of a transfer: no graceful stop, no final
 * offset commit, entries delivered to its task but never confirmed. The surviving worker takes the task
 * over under the same consumer name and nothing is missing from Kafka.
 */
class SourceWorkerCrashIT {

  private static final Path ROOT = Path.of(System.getProperty("project.root", "..")).toAbsolutePath().normalize();
  private static LocalServices services;
  private static Path runDir;

  @BeforeAll
  static void startCluster() throws Exception {
    runDir = Files.createTempDirectory("crash-it-");
    services = new LocalServices(runDir,
        Files.readString(ROOT.resolve("quickstart/target/runtime-classpath.txt")).trim());
    Path plugins = LocalServices.unpackBuiltPlugin(ROOT, runDir.resolve("plugins"));
    services.startRedis();
    services.startKafka();
    // A dead worker's tasks are reassigned after this delay (5 minutes by default).
    Map<String, String> fastHandover = Map.of("scheduled.rebalance.max.delay.ms", "5000");
    services.startConnect(ROOT.resolve("config/connect-distributed.properties"), plugins, fastHandover);
    services.startConnect(ROOT.resolve("config/connect-distributed.properties"), plugins, fastHandover);
  }

  @AfterAll
  static void stopCluster() {
    if (services != null) {
      services.close();
    }
  }

  @Test
  void noEntryIsMissingAfterAWorkerIsKilledMidTransfer() throws Exception {
    int count = 60_000;
    services.createTopic("crash", 2);
    List<String> ids = new ArrayList<>(count);
    try (UnifiedJedis redis = RedisClient.create("127.0.0.1", services.redisPort())) {
      for (int from = 0; from < count; from += 5_000) {
        List<Response<StreamEntryID>> replies = new ArrayList<>();
        try (AbstractPipeline pipeline = redis.pipelined()) {
          for (int n = from; n < from + 5_000; n++) {
            replies.add(pipeline.xadd("crash", XAddParams.xAddParams(), Map.of("order_id", "o-" + n)));
          }
          pipeline.sync();
        }
        replies.forEach(reply -> ids.add(reply.get().toString()));
      }
      Map<String, String> config = new HashMap<>();
      config.put("connector.class", "io.redisbridge.source.RedisStreamsSourceConnector");
      config.put("tasks.max", "2");
      config.put("redis.uri", "redis://127.0.0.1:" + services.redisPort());
      config.put("redis.streams", "crash");
      config.put("redis.consumer.group", "crash");
      config.put("redis.consumer.group.start.id", "0");
      config.put("redis.read.count", "100");
      // Slow enough (a few thousand entries a second) that the kill lands mid-transfer.
      config.put("max.in.flight.entries", "300");
      config.put("producer.override.linger.ms", "100");
      config.put("value.format", "map");
      config.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
      config.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
      config.put("value.converter.schemas.enable", "false");
      services.putConnector("crash-source", new ObjectMapper().writeValueAsString(config));
      await("transfer under way").atMost(Duration.ofSeconds(90)).until(() ->
          redis.exists("crash") && !redis.xinfoGroups("crash").isEmpty()
              && redis.xinfoGroups("crash").get(0).getGroupInfo().get("entries-read") instanceof Long read
              && read > 5_000);

      long readBeforeKill = (Long) redis.xinfoGroups("crash").get(0).getGroupInfo().get("entries-read");
      services.killWorker(0);
      assertThat(readBeforeKill).as("entries read when the worker was killed").isLessThan(count);

      Set<String> delivered = entryIdsIn("crash", ids.size(), Duration.ofMinutes(3));
      assertDeliveredEvery(delivered, ids);
      await("every entry acknowledged").atMost(Duration.ofMinutes(2)).ignoreExceptions()
          .until(() -> redis.xpending("crash", "crash").getTotal() == 0);
      // Both tasks, the killed worker's included, now run on the surviving worker.
      String status = services.get("/connectors/crash-source/status");
      assertThat(new ObjectMapper().readTree(status).get("tasks")).hasSize(2)
          .allSatisfy(task -> assertThat(task.get("state").asText()).isEqualTo("RUNNING"))
          .extracting(task -> task.get("worker_id").asText()).containsOnly(services.connectUrl()
              .replace("http://", ""));
    }
  }

  private static Set<String> entryIdsIn(String topic, int expected, Duration timeout) {
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, services.bootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "crash-reader");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    Set<String> ids = new HashSet<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
      consumer.subscribe(List.of(topic));
      while (ids.size() < expected && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          ids.add(new String(record.headers().lastHeader("redis.entry.id").value(), StandardCharsets.UTF_8));
        }
      }
    }
    return ids;
  }
}
