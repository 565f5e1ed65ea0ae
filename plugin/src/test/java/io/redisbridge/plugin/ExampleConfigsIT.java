package io.redisbridge.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import io.redisbridge.testing.ConnectClusterExtension;
import io.redisbridge.testing.RedisServerExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every example in config/ is a config a worker with the plugin archive accepts as it is. */
class ExampleConfigsIT {

  private static final Path CONFIG_DIR = Path.of(System.getProperty("project.root", ".."), "config");

  @RegisterExtension
  @Order(1)
  static final RedisServerExtension redis = new RedisServerExtension();

  @RegisterExtension
  @Order(2)
  static final ConnectClusterExtension connect = new ConnectClusterExtension()
      .workerProperty("plugin.path", PluginArchive.unpackToTempDir().toString())
      .workerProperty("plugin.discovery", "service_load")
      // The exactly-once source example needs such a worker; the others run on any.
      .workerProperty("exactly.once.source.support", "enabled")
      .brokerProperty("transaction.state.log.replication.factor", "1")
      .brokerProperty("transaction.state.log.min.isr", "1");

  static Stream<Path> examples() throws IOException {
    List<Path> files;
    try (Stream<Path> listing = Files.list(CONFIG_DIR)) {
      files = listing.filter(file -> file.toString().endsWith(".json")).sorted().toList();
    }
    assertThat(files).hasSizeGreaterThanOrEqualTo(6);
    return files.stream();
  }

  @ParameterizedTest
  @MethodSource("examples")
  void exampleValidatesWithoutErrors(Path example) throws IOException {
    Map<String, String> config = new java.util.HashMap<>(ConnectClusterExtension.readConfig(example));
    // The create-request form keeps the name beside the config, where POST /connectors takes it.
    config.put("name", ConnectClusterExtension.json(Files.readString(example)).get("name").asText());
    // The examples name production hosts; validation probes Redis, so point them at the test server.
    config.put("redis.uri", redis.server().uri());
    config.remove("redis.user");
    config.remove("redis.password");

    Map<String, List<String>> errors = connect.validationErrors(config.get("connector.class"), config);

    assertThat(errors).as(example.getFileName().toString()).isNotEmpty()
        .allSatisfy((key, messages) -> assertThat(messages).as(key).isEmpty());
  }
}
