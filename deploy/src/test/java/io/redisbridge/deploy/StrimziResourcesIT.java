package io.redisbridge.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.redisbridge.sink.RedisStreamsSinkConnector;
import io.redisbridge.source.RedisStreamsSourceConnector;
import io.redisbridge.testing.RedisServerExtension;
import io.strimzi.api.kafka.model.connect.KafkaConnect;
import io.strimzi.api.kafka.model.connect.build.ZipArtifact;
import io.strimzi.api.kafka.model.connector.KafkaConnector;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Connector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * deploy/strimzi/ as Strimzi would read it: every document parses into Strimzi's (or Kubernetes') own model
 * class with no property the model does not know (a misspelled one would land in additionalProperties and
 * be ignored by the operator), each KafkaConnector's config passes the connector's validate(), and the
 * pieces refer to each other by the right names.
 */
class StrimziResourcesIT {

  private static final Path DIR = Path.of(System.getProperty("project.root", ".."), "deploy", "strimzi");
  private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
      "KafkaConnect", KafkaConnect.class, "KafkaConnector", KafkaConnector.class, "Secret", Secret.class,
      "ConfigMap", ConfigMap.class, "Role", Role.class, "RoleBinding", RoleBinding.class);
  private static final ObjectMapper STRICT = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  @RegisterExtension
  static final RedisServerExtension redis = new RedisServerExtension();

  /** Every document of every file, as the model class of its kind; the build tokens filled in as a build does. */
  private static List<HasMetadata> resources() throws IOException {
    List<Path> files;
    try (Stream<Path> listing = Files.list(DIR)) {
      files = listing.filter(file -> file.toString().endsWith(".yaml")).sorted().toList();
    }
    assertThat(files).hasSizeGreaterThanOrEqualTo(6);
    List<HasMetadata> resources = new ArrayList<>();
    YAMLFactory yaml = new YAMLFactory();
    for (Path file : files) {
      String text = Files.readString(file).replace("@VERSION@", "1.0.0").replace("@ARCHIVE_SHA512@", "ab".repeat(64));
      try (YAMLParser parser = yaml.createParser(text)) {
        for (JsonNode document : new ObjectMapper(yaml).readValues(parser, JsonNode.class).readAll()) {
          String kind = document.get("kind").asText();
          assertThat(KINDS).as(file.getFileName() + ": kind " + kind).containsKey(kind);
          HasMetadata resource = STRICT.treeToValue(document, KINDS.get(kind));
          assertThat(unknownProperties(resource, kind, new IdentityHashMap<>()))
              .as(file.getFileName() + ": properties " + kind + " does not know").isEmpty();
          resources.add(resource);
        }
      }
    }
    return resources;
  }

  /** Paths of every non-empty additionalProperties in the model object graph. */
  private static List<String> unknownProperties(Object model, String path, Map<Object, Boolean> seen) {
    List<String> unknown = new ArrayList<>();
    if (model == null || seen.put(model, Boolean.TRUE) != null) {
      return unknown;
    }
    if (model instanceof Collection<?> items) {
      int i = 0;
      for (Object item : items) {
        unknown.addAll(unknownProperties(item, path + "[" + i++ + "]", seen));
      }
      return unknown;
    }
    String packageName = model.getClass().getPackageName();
    if (!packageName.startsWith("io.strimzi") && !packageName.startsWith("io.fabric8")) {
      return unknown;
    }
    for (Method getter : model.getClass().getMethods()) {
      if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
          || !getter.getName().startsWith("get") || getter.getName().equals("getClass")) {
        continue;
      }
      Object value;
      try {
        value = getter.invoke(model);
      } catch (ReflectiveOperationException | RuntimeException e) {
        continue;
      }
      if (getter.getName().equals("getAdditionalProperties")) {
        if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
          unknown.add(path + " " + extra.keySet());
        }
      } else if (!(value instanceof Map)) {
        unknown.addAll(unknownProperties(value, path + "." + getter.getName().substring(3), seen));
      }
    }
    return unknown;
  }

  @Test
  void everyDocumentIsAStrimziOrKubernetesResourceWithNoPropertyItsModelDoesNotKnow() throws IOException {
    assertThat(resources()).extracting(HasMetadata::getKind)
        .contains("KafkaConnect", "KafkaConnector", "Secret", "ConfigMap", "Role", "RoleBinding");
  }

  @Test
  void eachKafkaConnectorConfigPassesTheConnectorsValidate() throws IOException {
    List<KafkaConnector> connectors = resources().stream().filter(KafkaConnector.class::isInstance)
        .map(KafkaConnector.class::cast).toList();
    assertThat(connectors).hasSize(2);
    for (KafkaConnector resource : connectors) {
      Map<String, String> config = new HashMap<>();
      resource.getSpec().getConfig().forEach((key, value) -> config.put(key, String.valueOf(value)));
      assertThat(config.get("redis.password")).as("the password comes from the Secret")
          .isEqualTo("${secrets:kafka/redis-credentials:password}");
      config.put("name", resource.getMetadata().getName());
      config.put("tasks.max", String.valueOf(resource.getSpec().getTasksMax()));
      // The worker resolves ${secrets:...} before validate(); here the test server stands in for Redis.
      config.put("redis.uri", redis.server().uri());
      config.remove("redis.user");
      config.remove("redis.password");
      Connector connector = resource.getSpec().getClassName().equals(RedisStreamsSourceConnector.class.getName())
          ? new RedisStreamsSourceConnector() : new RedisStreamsSinkConnector();
      List<String> errors = new ArrayList<>();
      for (ConfigValue value : connector.validate(config).configValues()) {
        value.errorMessages().forEach(message -> errors.add(value.name() + ": " + message));
      }
      assertThat(errors).as(resource.getMetadata().getName()).isEmpty();
    }
  }

  @Test
  void thePiecesReferToEachOther() throws IOException {
    List<HasMetadata> resources = resources();
    KafkaConnect connect = only(resources, KafkaConnect.class);
    ConfigMap metrics = only(resources, ConfigMap.class);
    RoleBinding binding = only(resources, RoleBinding.class);

    assertThat(connect.getMetadata().getAnnotations()).containsEntry("strimzi.io/use-connector-resources", "true");
    assertThat(connect.getSpec().getConfig()).containsEntry("config.providers", "secrets")
        .containsEntry("config.providers.secrets.class", "io.strimzi.kafka.KubernetesSecretConfigProvider");
    for (HasMetadata resource : resources) {
      if (resource instanceof KafkaConnector connector) {
        assertThat(connector.getMetadata().getLabels()).containsEntry("strimzi.io/cluster",
            connect.getMetadata().getName());
      }
    }
    assertThat(binding.getSubjects().get(0).getName()).isEqualTo(connect.getMetadata().getName() + "-connect");
    ZipArtifact archive = (ZipArtifact) connect.getSpec().getBuild().getPlugins().get(0).getArtifacts().get(0);
    assertThat(archive.getUrl()).endsWith("/redis-kafka-bridge-1.0.0.zip");
    assertThat(archive.getSha512sum()).hasSize(128);
    var metricsConfig = (io.strimzi.api.kafka.model.common.metrics.JmxPrometheusExporterMetrics)
        connect.getSpec().getMetricsConfig();
    String key = metricsConfig.getValueFrom().getConfigMapKeyRef().getKey();
    assertThat(metricsConfig.getValueFrom().getConfigMapKeyRef().getName()).isEqualTo(metrics.getMetadata().getName());
    assertThat(metrics.getData().get(key)).as("the ConfigMap carries config/prometheus-jmx-exporter.yml as it is")
        .isEqualTo(Files.readString(DIR.resolve("../../config/prometheus-jmx-exporter.yml")));
  }

  private static <T> T only(List<HasMetadata> resources, Class<T> type) {
    List<T> found = resources.stream().filter(type::isInstance).map(type::cast).toList();
    assertThat(found).as(type.getSimpleName()).hasSize(1);
    return found.get(0);
  }
}
