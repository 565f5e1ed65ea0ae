package io.redisbridge.quickstart;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.avro.Schema;

/**
 * Apicurio Registry 2.6 as its own process on a free loopback port, with in-memory storage: the schema
 * registry of the Avro tests. Its Confluent-compatible API (/apis/ccompat/v7) is what a plain Avro reader
 * and writer use here, as they would with Confluent's registry. The benchmark's Avro phase starts one too.
 */
public final class ApicurioRegistry implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final ManagedProcess process;
  private final int port;
  private final HttpClient http = HttpClient.newHttpClient();

  private ApicurioRegistry(ManagedProcess process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Starts the registry in {@code app} ({@link MavenJars#apicurioRegistryApp}) with its files in {@code runDir}. */
  public static ApicurioRegistry start(Path app, Path runDir) throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    String java = ProcessHandle.current().info().command().orElse("java");
    ManagedProcess process = ManagedProcess.start("apicurio-registry", List.of(java, "-Xmx384m",
            "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + port, "-jar",
            app.resolve(MavenJars.APICURIO_RUNNER).toString()),
        runDir.resolve("apicurio"), runDir.resolve("apicurio-registry.log"));
    ApicurioRegistry registry = new ApicurioRegistry(process, port);
    await("Apicurio Registry answers").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
        .ignoreExceptions().until(() -> registry.get("/apis/ccompat/v7/subjects").isArray());
    return registry;
  }

  /** What Apicurio's converters take as {@code apicurio.registry.url}. */
  public String registryApiUrl() {
    return "http://127.0.0.1:" + port + "/apis/registry/v2";
  }

  /** The schema with this ID, through the Confluent-compatible API. */
  Schema schemaById(int id) throws IOException, InterruptedException {
    return new Schema.Parser().parse(get("/apis/ccompat/v7/schemas/ids/" + id).path("schema").asText());
  }

  /** Registers {@code schema} under {@code subject} through the Confluent-compatible API; its ID. */
  int register(String subject, Schema schema) throws IOException, InterruptedException {
    String body = JSON.writeValueAsString(JsonNodeFactory.instance.objectNode().put("schema", schema.toString()));
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base()
            + "/apis/ccompat/v7/subjects/" + subject + "/versions"))
        .header("Content-Type", "application/vnd.schemaregistry.v1+json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("registering " + subject + " answered " + response.statusCode() + ": "
          + response.body());
    }
    return JSON.readTree(response.body()).path("id").asInt();
  }

  /** The versions registered under {@code subject}. */
  JsonNode versions(String subject) throws IOException, InterruptedException {
    return get("/apis/ccompat/v7/subjects/" + subject + "/versions");
  }

  private JsonNode get(String path) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base() + path))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("GET " + path + " answered " + response.statusCode() + ": " + response.body());
    }
    return JSON.readTree(response.body());
  }

  private String base() {
    return "http://127.0.0.1:" + port;
  }

  @Override
  public void close() {
    process.stop(10);
  }
}
