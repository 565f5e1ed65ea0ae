package io.redisbridge.testing;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.apache.kafka.connect.util.clusters.WorkerHandle;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Gives a test class a real Kafka broker (KRaft) and real Connect workers in distributed mode, in
 * process, with helpers that speak in the terms users do: post this JSON config, wait until it runs,
 * what is in this topic.
 */
public final class ConnectClusterExtension implements BeforeAllCallback, AfterAllCallback {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration RUNNING_TIMEOUT = Duration.ofSeconds(60);

  private final int workers;
  private final Map<String, String> workerProps = new HashMap<>();
  private final Properties brokerProps = new Properties();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private EmbeddedConnectCluster cluster;

  public ConnectClusterExtension(int workers) {
    this.workers = workers;
    // Commit source offsets and sink offsets often so tests see progress within seconds.
    workerProps.put("offset.flush.interval.ms", "1000");
    // A worker that leaves should hand its tasks over quickly.
    workerProps.put("scheduled.rebalance.max.delay.ms", "3000");
    brokerProps.put("auto.create.topics.enable", "false");
  }

  public ConnectClusterExtension() {
    this(1);
  }

  /** Adds or overrides a broker property. */
  public ConnectClusterExtension brokerProperty(String key, String value) {
    brokerProps.put(key, value);
    return this;
  }

  /** Adds or overrides a worker property, e.g. {@code plugin.path}. */
  public ConnectClusterExtension workerProperty(String key, String value) {
    workerProps.put(key, value);
    return this;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    cluster = new EmbeddedConnectCluster.Builder()
        .name(context.getRequiredTestClass().getSimpleName())
        .numWorkers(workers)
        .numBrokers(1)
        .brokerProps(brokerProps)
        .workerProps(workerProps)
        .build();
    cluster.start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (cluster != null) {
      cluster.stop();
      cluster = null;
    }
  }

  public EmbeddedConnectCluster cluster() {
    return cluster;
  }

  public String bootstrapServers() {
    return cluster.kafka().bootstrapServers();
  }

  // --- connectors -------------------------------------------------------------------------------

  /**
   * Reads a connector config the way users write it: either Connect's create-request form
   * {@code {"name": ..., "config": {...}}} or the bare config object.
   */
  public static Map<String, String> readConfig(Path jsonFile) {
    try {
      return parseConfig(Files.readString(jsonFile));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Map<String, String> parseConfig(String json) {
    try {
      JsonNode root = JSON.readTree(json);
      JsonNode config = root.has("config") ? root.get("config") : root;
      return JSON.convertValue(config, new TypeReference<Map<String, String>>() {});
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Creates or updates connector {@code name} through the REST API. */
  public void deploy(String name, Map<String, String> config) {
    cluster.configureConnector(name, config);
  }

  /** Creates connector {@code name} and waits until it and {@code tasks} tasks are RUNNING. */
  public void deployAndAwaitRunning(String name, Map<String, String> config, int tasks) {
    deploy(name, config);
    awaitRunning(name, tasks);
  }

  /**
   * Waits until the connector and exactly {@code tasks} tasks are RUNNING. On timeout the failure
   * names each task's state and the trace of any that failed, which is what one needs to debug.
   */
  public void awaitRunning(String name, int tasks) {
    awaitStatus(name, "connector and " + tasks + " tasks RUNNING", status ->
        "RUNNING".equals(status.connector().state())
            && status.tasks().size() == tasks
            && status.tasks().stream().allMatch(task -> "RUNNING".equals(task.state())));
  }

  /** Waits until at least one task of the connector has FAILED; returns the status. */
  public ConnectorStateInfo awaitTaskFailure(String name) {
    awaitStatus(name, "a task FAILED", status ->
        status.tasks().stream().anyMatch(task -> "FAILED".equals(task.state())));
    return cluster.connectorStatus(name);
  }

  private void awaitStatus(String name, String what, java.util.function.Predicate<ConnectorStateInfo> done) {
    try {
      await(name + ": " + what)
          .atMost(RUNNING_TIMEOUT)
          .pollInterval(Duration.ofMillis(200))
          .ignoreExceptions()
          .until(() -> done.test(cluster.connectorStatus(name)));
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(e.getMessage() + "\n" + describeStatus(name), e);
    }
  }

  /** Each task's state and, for failed tasks, the stack trace the worker recorded. */
  public String describeStatus(String name) {
    try {
      ConnectorStateInfo status = cluster.connectorStatus(name);
      StringBuilder out = new StringBuilder("connector ").append(name).append(": ")
          .append(status.connector().state()).append('\n');
      if (status.connector().trace() != null) {
        out.append(status.connector().trace()).append('\n');
      }
      for (ConnectorStateInfo.TaskState task : status.tasks()) {
        out.append("  task ").append(task.id()).append(": ").append(task.state())
            .append(" on ").append(task.workerId()).append('\n');
        if (task.trace() != null) {
          out.append(task.trace()).append('\n');
        }
      }
      return out.toString();
    } catch (RuntimeException e) {
      return "connector " + name + ": no status (" + e.getMessage() + ")";
    }
  }

  /** The stack trace of a failed task, or null while it has none. */
  public String taskTrace(String name, int task) {
    return cluster.connectorStatus(name).tasks().stream()
        .filter(state -> state.id() == task)
        .map(ConnectorStateInfo.TaskState::trace)
        .findFirst().orElse(null);
  }

  public void delete(String name) {
    cluster.deleteConnector(name);
  }

  /** {@code PUT /connectors/{name}/stop}, then waits until the connector is STOPPED with no tasks. */
  public void stop(String name) {
    RestResponse response = rest("PUT", "connectors/" + name + "/stop", null);
    if (response.status() != 202 && response.status() != 204 && response.status() != 200) {
      throw new AssertionError("stop answered " + response.status() + ": " + response.body());
    }
    awaitStatus(name, "STOPPED", status -> "STOPPED".equals(status.connector().state()) && status.tasks().isEmpty());
  }

  /** {@code PUT /connectors/{name}/resume}, then waits until it and {@code tasks} tasks are RUNNING. */
  public void resume(String name, int tasks) {
    RestResponse response = rest("PUT", "connectors/" + name + "/resume", null);
    if (response.status() != 202 && response.status() != 204 && response.status() != 200) {
      throw new AssertionError("resume answered " + response.status() + ": " + response.body());
    }
    awaitRunning(name, tasks);
  }

  /** {@code PATCH /connectors/{name}/offsets} with {@code {"offsets": [...]}}; fails unless Connect accepts it. */
  public String alterOffsets(String name, String offsetsJson) {
    RestResponse response = rest("PATCH", "connectors/" + name + "/offsets", offsetsJson);
    if (response.status() != 200) {
      throw new AssertionError("PATCH offsets answered " + response.status() + ": " + response.body());
    }
    return response.body();
  }

  /** {@code DELETE /connectors/{name}/offsets}; fails unless Connect accepts it. */
  public String resetOffsets(String name) {
    RestResponse response = rest("DELETE", "connectors/" + name + "/offsets", null);
    if (response.status() != 200) {
      throw new AssertionError("DELETE offsets answered " + response.status() + ": " + response.body());
    }
    return response.body();
  }

  /** {@code GET /connectors/{name}/offsets} as JSON. */
  public JsonNode offsets(String name) {
    RestResponse response = rest("GET", "connectors/" + name + "/offsets", null);
    if (response.status() != 200) {
      throw new AssertionError("GET offsets answered " + response.status() + ": " + response.body());
    }
    return json(response.body());
  }

  // --- workers ----------------------------------------------------------------------------------

  public WorkerHandle addWorker() {
    return cluster.addWorker();
  }

  /** Stops one worker; its tasks move to the others after the rebalance delay. */
  public void removeWorker() {
    cluster.removeWorker();
  }

  /** A worker restart: starts a new worker, then stops every other, so every task starts again on it. */
  public void replaceWorkers() {
    WorkerHandle fresh = cluster.addWorker();
    for (WorkerHandle worker : new java.util.ArrayList<>(cluster.workers())) {
      if (!worker.equals(fresh)) {
        cluster.removeWorker(worker);
      }
    }
  }

  // --- Kafka ------------------------------------------------------------------------------------

  /**
   * Creates the topic and waits until the broker leads every partition: a producer that sends sooner
   * gets NOT_LEADER_OR_FOLLOWER, and an idempotent one can then stall on out-of-order sequence numbers.
   */
  public void createTopic(String topic, int partitions) {
    cluster.kafka().createTopic(topic, partitions);
    try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(Map.of(
        "bootstrap.servers", cluster.kafka().bootstrapServers()))) {
      await("leaders of topic " + topic).atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(50)).ignoreExceptions()
          .until(() -> admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().stream()
              .allMatch(partition -> partition.leader() != null && !partition.leader().isEmpty()));
    }
  }

  public void produce(String topic, String key, String value) {
    cluster.kafka().produce(topic, key, value);
  }

  /**
   * Reads {@code topic} from the beginning until {@code expected} records arrived or the timeout
   * passed, handing each record to {@code sink}; returns how many it read.
   */
  public long consume(String topic, long expected, Duration timeout,
      Consumer<ConsumerRecord<byte[], byte[]>> sink) {
    long[] seen = {0};
    consumeUntil(topic, timeout, record -> {
      sink.accept(record);
      seen[0]++;
    }, () -> seen[0] >= expected);
    return seen[0];
  }

  /**
   * Reads {@code topic} from the beginning, handing each record to {@code sink}, until {@code done} is
   * true or the timeout passed; returns {@code done}'s last answer.
   */
  public boolean consumeUntil(String topic, Duration timeout, Consumer<ConsumerRecord<byte[], byte[]>> sink,
      java.util.function.BooleanSupplier done) {
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + System.nanoTime());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
    long deadline = System.nanoTime() + timeout.toNanos();
    try (KafkaConsumer<byte[], byte[]> consumer = cluster.kafka().createConsumerAndSubscribeTo(props, topic)) {
      while (!done.getAsBoolean() && System.nanoTime() < deadline) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(200));
        for (ConsumerRecord<byte[], byte[]> record : records) {
          sink.accept(record);
        }
      }
    }
    return done.getAsBoolean();
  }

  /** All records of {@code topic} that arrive within the timeout, expecting {@code expected}. */
  public List<ConsumerRecord<byte[], byte[]>> consume(String topic, long expected, Duration timeout) {
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    consume(topic, expected, timeout, records::add);
    return records;
  }

  // --- REST -------------------------------------------------------------------------------------

  /** A raw REST call to a running worker, e.g. {@code rest("GET", "connector-plugins", null)}. */
  public RestResponse rest(String method, String path, String jsonBody) {
    URI uri = URI.create(cluster.endpointForResource(path));
    HttpRequest.BodyPublisher body = jsonBody == null
        ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(jsonBody);
    HttpRequest request = HttpRequest.newBuilder(uri)
        .timeout(Duration.ofSeconds(60))
        .header("Content-Type", "application/json")
        .header("Accept", "application/json")
        .method(method, body)
        .build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      return new RestResponse(response.statusCode(), response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while calling " + uri, e);
    }
  }

  /**
   * Posts {@code config} to {@code PUT /connector-plugins/{class}/config/validate} and returns each
   * key's error messages (an empty list for a valid key), as a user's tooling would read them.
   */
  public Map<String, List<String>> validationErrors(String connectorClass, Map<String, String> config) {
    RestResponse response = rest("PUT", "connector-plugins/" + connectorClass + "/config/validate", toJson(config));
    if (response.status() != 200) {
      throw new AssertionError("validate answered " + response.status() + ": " + response.body());
    }
    Map<String, List<String>> errors = new HashMap<>();
    for (JsonNode item : json(response.body()).get("configs")) {
      // A key can be listed twice, by the worker and by the connector: their messages add up.
      List<String> messages = errors.computeIfAbsent(item.get("value").get("name").asText(), k -> new ArrayList<>());
      item.get("value").get("errors").forEach(error -> messages.add(error.asText()));
    }
    return errors;
  }

  public static JsonNode json(String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String toJson(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
