package io.redisbridge.quickstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.redisbridge.testing.TlsMaterial;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.XAddParams;

/**
 * Every password property filled from Kafka's FileConfigProvider on a worker that runs as its own
 * process, against a Redis that wants a password and a client certificate: both connectors run, and
 * neither the REST answers (config, status, validate) nor the worker's log ever show a secret.
 */
class SecretsFromConfigProvidersIT {

  private static final Path ROOT = Path.of(System.getProperty("project.root", "..")).toAbsolutePath().normalize();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String REDIS_PASSWORD = "redis-password-7f3a91";
  private static final String SENTINEL_PASSWORD = "sentinel-password-2c8d44";
  private static final TlsMaterial TLS = TlsMaterial.create();
  private static LocalServices services;
  private static Path secrets;

  @BeforeAll
  static void start() throws Exception {
    Path runDir = Files.createTempDirectory("secrets-it-");
    services = new LocalServices(runDir,
        Files.readString(ROOT.resolve("quickstart/target/runtime-classpath.txt")).trim());
    Path plugins = LocalServices.unpackBuiltPlugin(ROOT, runDir.resolve("plugins"));
    secrets = runDir.resolve("redis-secrets.properties");
    Files.writeString(secrets, String.join("\n",
        "password=" + REDIS_PASSWORD,
        "sentinel-password=" + SENTINEL_PASSWORD,
        "truststore-password=" + TlsMaterial.TRUSTSTORE_PASSWORD,
        "keystore-password=" + TlsMaterial.KEYSTORE_PASSWORD, ""));
    List<String> redisArgs = new ArrayList<>(List.of("--requirepass", REDIS_PASSWORD));
    redisArgs.addAll(TLS.mutualServerArgs());
    services.startRedis(redisArgs.toArray(String[]::new));
    services.startKafka();
    services.startConnect(ROOT.resolve("config/connect-distributed.properties"), plugins, Map.of(
        "config.providers", "file",
        "config.providers.file.class", "org.apache.kafka.common.config.provider.FileConfigProvider"));
  }

  @AfterAll
  static void stop() {
    if (services != null) {
      services.close();
    }
  }

  private static String secret(String key) {
    return "${file:" + secrets + ":" + key + "}";
  }

  /** The connection settings both connectors use, every password through the config provider. */
  private static Map<String, String> connection() {
    Map<String, String> config = new HashMap<>();
    config.put("redis.uri", "rediss://127.0.0.1:" + TLS.tlsPort());
    config.put("redis.password", secret("password"));
    config.put("redis.sentinel.password", secret("sentinel-password"));
    config.put("redis.tls.truststore.path", TLS.truststore().toString());
    config.put("redis.tls.truststore.password", secret("truststore-password"));
    config.put("redis.tls.keystore.path", TLS.clientKeystore().toString());
    config.put("redis.tls.keystore.password", secret("keystore-password"));
    config.put("redis.tls.key.password", secret("keystore-password"));
    config.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
    config.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
    config.put("value.converter.schemas.enable", "false");
    return config;
  }

  private static Jedis redis() {
    return new Jedis(new HostAndPort("127.0.0.1", services.redisPort()),
        DefaultJedisClientConfig.builder().password(REDIS_PASSWORD).build());
  }

  @Test
  void everyPasswordComesFromTheProviderAndNoneIsShownOrLogged() throws Exception {
    services.createTopic("secret-orders", 1);
    try (Jedis redis = redis()) {
      for (int n = 0; n < 200; n++) {
        redis.xadd("secret-orders", XAddParams.xAddParams(), Map.of("order_id", "o-" + n));
      }
    }
    Map<String, String> source = connection();
    source.put("connector.class", "io.redisbridge.source.RedisStreamsSourceConnector");
    source.put("redis.streams", "secret-orders");
    source.put("redis.consumer.group", "secrets");
    source.put("redis.consumer.group.start.id", "0");
    source.put("value.format", "map");
    Map<String, String> sink = connection();
    sink.put("connector.class", "io.redisbridge.sink.RedisStreamsSinkConnector");
    sink.put("topics", "secret-orders");
    sink.put("redis.stream", "secret-orders-copy");

    List<String> answers = new ArrayList<>();
    for (Map<String, String> config : List.of(source, sink)) {
      Map<String, String> named = new HashMap<>(config);
      named.put("name", "validate-secrets");
      String validation = services.put("/connector-plugins/" + config.get("connector.class") + "/config/validate",
          JSON.writeValueAsString(named));
      assertThat(JSON.readTree(validation).get("error_count").asInt()).as(validation).isZero();
      answers.add(validation);
    }
    services.putConnector("secret-source", JSON.writeValueAsString(source));
    services.putConnector("secret-sink", JSON.writeValueAsString(sink));

    try (Jedis redis = redis()) {
      await().atMost(Duration.ofSeconds(120)).until(() -> redis.exists("secret-orders-copy")
          && redis.xlen("secret-orders-copy") == 200);
    }
    for (String name : List.of("secret-source", "secret-sink")) {
      String status = services.get("/connectors/" + name + "/status");
      assertThat(status).contains("\"state\":\"RUNNING\"").doesNotContain("FAILED");
      answers.add(status);
      String config = services.get("/connectors/" + name + "/config");
      assertThat(config).contains("${file:");
      answers.add(config);
    }
    // A wrong password, also from the provider: refused by name, still not shown.
    Map<String, String> wrong = new HashMap<>(source);
    wrong.put("redis.password", secret("sentinel-password"));
    wrong.put("name", "validate-wrong");
    String refused = services.put("/connector-plugins/" + source.get("connector.class") + "/config/validate",
        JSON.writeValueAsString(wrong));
    assertThat(refused).contains("Redis refused the credentials");
    answers.add(refused);

    String log = Files.readString(services.latestWorkerLog());
    for (String password : List.of(REDIS_PASSWORD, SENTINEL_PASSWORD, TlsMaterial.TRUSTSTORE_PASSWORD,
        TlsMaterial.KEYSTORE_PASSWORD)) {
      assertThat(answers).noneMatch(answer -> answer.contains(password));
      assertThat(log).as("the worker log").doesNotContain(password);
    }
    assertThat(log).contains("secret-source");
    services.deleteConnector("secret-source");
    services.deleteConnector("secret-sink");
  }
}
