package io.redisbridge.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.redisbridge.testing.ConnectClusterExtension;
import io.redisbridge.testing.RestResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A Connect worker whose only source of our classes is the unpacked plugin archive (they are taken
 * off this test's classpath) must list and validate both connectors. This catches a missing runtime
 * jar, a missing service entry or a broken manifest before a user does.
 */
class PluginArchiveIT {

  private static final String SOURCE = "io.redisbridge.source.RedisStreamsSourceConnector";
  private static final String SINK = "io.redisbridge.sink.RedisStreamsSinkConnector";
  private static final Path PLUGIN_PATH = PluginArchive.unpackToTempDir();

  @RegisterExtension
  static final ConnectClusterExtension connect = new ConnectClusterExtension()
      .workerProperty("plugin.path", PLUGIN_PATH.toString())
      // Only the META-INF/services entries can make the connectors visible in this mode.
      .workerProperty("plugin.discovery", "service_load");

  @Test
  void connectorClassesAreNotOnTheTestClasspath() {
    assertThatThrownBy(() -> Class.forName(SOURCE)).isInstanceOf(ClassNotFoundException.class);
    assertThatThrownBy(() -> Class.forName(SINK)).isInstanceOf(ClassNotFoundException.class);
  }

  @Test
  void workerListsBothConnectorsFromThePluginPathWithTheBuildVersion() {
    RestResponse response = connect.rest("GET", "connector-plugins?connectorsOnly=true", null);

    assertThat(response.status()).isEqualTo(200);
    List<String> listed = new ArrayList<>();
    for (JsonNode plugin : ConnectClusterExtension.json(response.body())) {
      listed.add(plugin.get("class").asText() + " " + plugin.get("type").asText() + " "
          + plugin.get("version").asText());
    }
    String version = System.getProperty("project.version");
    assertThat(listed).contains(SOURCE + " source " + version, SINK + " sink " + version);
  }

  @ParameterizedTest
  @ValueSource(strings = {SOURCE, SINK})
  void validateEndpointAnswersForEachConnector(String connectorClass) {
    String body = ConnectClusterExtension.toJson(Map.of(
        "connector.class", connectorClass,
        "name", "validate-me",
        "topics", "orders",
        "redis.uri", "ftp://not-redis"));

    RestResponse response = connect.rest("PUT", "connector-plugins/" + connectorClass + "/config/validate", body);

    assertThat(response.status()).as(response.body()).isEqualTo(200);
    JsonNode result = ConnectClusterExtension.json(response.body());
    assertThat(result.get("name").asText()).isEqualTo(connectorClass);
    assertThat(errorsOf(result, "redis.uri")).singleElement().asString().contains("redis://");
  }

  private static List<String> errorsOf(JsonNode validation, String key) {
    for (JsonNode config : validation.get("configs")) {
      if (config.get("value").get("name").asText().equals(key)) {
        List<String> errors = new ArrayList<>();
        config.get("value").get("errors").forEach(error -> errors.add(error.asText()));
        return errors;
      }
    }
    throw new AssertionError("validate answered without key " + key + ": " + validation);
  }

  @Test
  void archiveHasTheConfluentHubLayoutAndNoWorkerJars() throws IOException {
    Path component;
    try (Stream<Path> roots = Files.list(PLUGIN_PATH)) {
      component = roots.filter(Files::isDirectory).findFirst().orElseThrow();
    }
    assertThat(component.getFileName().toString())
        .isEqualTo("redisbridge-redis-kafka-bridge-" + System.getProperty("project.version"));

    JsonNode manifest = ConnectClusterExtension.json(Files.readString(component.resolve("manifest.json")));
    assertThat(manifest.get("version").asText()).isEqualTo(System.getProperty("project.version"));
    assertThat(manifest.get("component_types")).extracting(JsonNode::asText).containsExactly("source", "sink");
    assertThat(manifest.get("owner").get("username").asText()).isNotBlank();
    assertThat(manifest.get("license").get(0).get("name").asText()).contains("Apache");
    assertThat(manifest.get("requirements")).isNotEmpty();

    List<String> jars;
    try (Stream<Path> lib = Files.list(component.resolve("lib"))) {
      jars = lib.map(path -> path.getFileName().toString()).sorted().toList();
    }
    assertThat(jars).anyMatch(jar -> jar.startsWith("redis-kafka-bridge-source-"))
        .anyMatch(jar -> jar.startsWith("redis-kafka-bridge-sink-"))
        .anyMatch(jar -> jar.startsWith("redis-kafka-bridge-common-"))
        .anyMatch(jar -> jar.startsWith("jedis-"))
        .noneMatch(jar -> jar.startsWith("kafka-clients") || jar.startsWith("connect-"))
        .noneMatch(jar -> jar.startsWith("slf4j") || jar.startsWith("log4j") || jar.startsWith("logback"))
        .noneMatch(jar -> jar.contains("test-support") || jar.contains("junit"));
    assertThat(component.resolve("doc/README.md")).isRegularFile();
    assertThat(component.resolve("doc/docs/source.md")).isRegularFile();
    assertThat(component.resolve("doc/docs/sink.md")).isRegularFile();
    assertThat(component.resolve("doc/LICENSE")).isRegularFile();
    assertThat(component.resolve("etc")).isDirectory();
  }
}
