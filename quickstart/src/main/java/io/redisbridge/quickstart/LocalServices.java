package io.redisbridge.quickstart;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import redis.clients.jedis.Jedis;

/**
 * Starts the demo's three servers as separate processes on free loopback ports: redis-server, a
 * single-node KRaft broker and a distributed Connect worker whose plugin.path is the unpacked archive.
 */
public final class LocalServices implements AutoCloseable {

  private final Path runDir;
  private final String classpath;
  private final List<ManagedProcess> processes = new ArrayList<>();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private int redisPort;
  private int kafkaPort;
  private int connectPort;
  private final List<ManagedProcess> workers = new ArrayList<>();
  private List<String> redisCommand;
  private ManagedProcess redis;
  private Path brokerProperties;
  private ManagedProcess broker;
  private ManagedProcess kafkaController;
  private List<String> workerJvmOptions = List.of();

  public LocalServices(Path runDir, String classpath) {
    this.runDir = runDir;
    this.classpath = classpath;
  }

  /** JVM options for workers started from now on, e.g. a flight recording for the benchmark's profile. */
  public void workerJvmOptions(List<String> options) {
    this.workerJvmOptions = List.copyOf(options);
  }

  public int redisPort() {
    return redisPort;
  }

  public String bootstrapServers() {
    return "127.0.0.1:" + kafkaPort;
  }

  public String connectUrl() {
    return "http://127.0.0.1:" + connectPort;
  }

  public void startRedis(String... extraArgs) throws IOException {
    String executable = findOnPath("redis-server").map(Path::toString).orElseThrow(() -> new IllegalStateException(
        "redis-server is not installed. Install it (Debian/Ubuntu: sudo apt-get install -y redis-server; "
            + "macOS: brew install redis) and run the quick start again."));
    redisPort = freePort();
    Path dir = runDir.resolve("redis");
    Files.createDirectories(dir);
    redisCommand = new ArrayList<>(List.of(executable, "--port", Integer.toString(redisPort), "--bind", "127.0.0.1",
        "--save", "", "--appendonly", "yes", "--dir", dir.toString()));
    redisCommand.addAll(Arrays.asList(extraArgs));
    redis = launchRedis();
  }

  private ManagedProcess launchRedis() throws IOException {
    Path dir = runDir.resolve("redis");
    ManagedProcess started = start("redis-server", redisCommand, dir);
    waitFor("redis-server answers PING", Duration.ofSeconds(20), () -> {
      try (Jedis jedis = new Jedis("127.0.0.1", redisPort, 500)) {
        return "PONG".equals(jedis.ping());
      } catch (redis.clients.jedis.exceptions.JedisDataException e) {
        // A server with a password refuses an anonymous PING, yet it is up.
        return String.valueOf(e.getMessage()).startsWith("NOAUTH");
      } catch (RuntimeException e) {
        return false;
      }
    });
    return started;
  }

  /**
   * SIGKILL of the broker, then, once the controller has fenced it (its session timed out, as a dead
   * broker's does in any cluster), a new one on the same ports and log directory: a broker outage. Needs
   * {@link #startKafkaWithOwnController()}, which says why.
   */
  public void killAndRestartKafka() throws IOException, InterruptedException {
    if (kafkaController == null) {
      throw new IllegalStateException("a broker outage needs a controller of its own: startKafkaWithOwnController");
    }
    long fencedBefore = fencings();
    broker = killAndRelaunch(broker, () -> {
      waitFor("the controller fences the killed broker", Duration.ofSeconds(60), () -> fencings() > fencedBefore);
      return launchKafka();
    });
  }

  /** How often the controller has fenced the broker so far, as its log tells. */
  private long fencings() {
    try (java.util.stream.Stream<String> lines = Files.lines(kafkaController.log(), StandardCharsets.UTF_8)) {
      return lines.filter(line -> line.contains("Fencing broker 1 ")).count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** SIGKILL of redis-server, then a new one on the same port and data directory: what a crash and restart is. */
  public void killAndRestartRedis() throws IOException, InterruptedException {
    redis = killAndRelaunch(redis, this::launchRedis);
  }

  /** Starts a server process and waits until it answers. */
  @FunctionalInterface
  private interface Launch {
    ManagedProcess run() throws IOException;
  }

  /** SIGKILLs {@code process} and launches its successor in its place, keeping close()'s stop order. */
  private ManagedProcess killAndRelaunch(ManagedProcess process, Launch launch)
      throws IOException, InterruptedException {
    int index = processes.indexOf(process);
    process.kill();
    processes.remove(index);
    ManagedProcess started = launch.run();
    processes.remove(started);
    processes.add(index, started);
    return started;
  }

  /** A single-node KRaft broker (broker and controller in one process): what the demo runs. */
  public void startKafka() throws IOException, InterruptedException {
    startKafka(false);
  }

  /**
   * A KRaft controller and a broker as two processes, for tests that kill the broker: the controller
   * outlives it and fences it, as in a cluster (after a 3 s session timeout here). A combined node
   * restarted within the broker session timeout (9 s by default) comes back as leader of its partitions, is
   * then fenced for its own stale registration, and the transaction coordinator skips the commit markers
   * of transactions it finishes meanwhile ("these partitions are likely deleted already"): a hanging
   * transaction that blocks every read_committed reader of the partition, Connect's offsets reader included.
   */
  public void startKafkaWithOwnController() throws IOException, InterruptedException {
    startKafka(true);
  }

  private void startKafka(boolean ownController) throws IOException, InterruptedException {
    kafkaPort = freePort();
    int controllerPort = freePort();
    String clusterId = Uuid.randomUuid().toString();
    Path dir = runDir.resolve("kafka");
    Properties server = new Properties();
    server.put("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort);
    server.put("controller.listener.names", "CONTROLLER");
    server.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    if (ownController) {
      Properties controller = new Properties();
      controller.putAll(server);
      controller.put("process.roles", "controller");
      controller.put("node.id", "2");
      controller.put("listeners", "CONTROLLER://127.0.0.1:" + controllerPort);
      controller.put("log.dirs", dir.resolve("controller-data").toString());
      // A killed broker is fenced after 3 s instead of 9: the outage the tests wait out is shorter.
      controller.put("broker.session.timeout.ms", "3000");
      Path controllerFile = write(dir.resolve("controller.properties"), controller);
      format("kafka-controller-storage-format", controllerFile, clusterId, "--standalone");
      kafkaController = start("kafka-controller", javaCommand("kafka.Kafka", controllerFile.toString()), dir);
      server.put("process.roles", "broker");
      server.put("listeners", "PLAINTEXT://127.0.0.1:" + kafkaPort);
      server.put("broker.heartbeat.interval.ms", "500");
    } else {
      server.put("process.roles", "broker,controller");
      server.put("listeners", "PLAINTEXT://127.0.0.1:" + kafkaPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
    }
    server.put("node.id", "1");
    server.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + kafkaPort);
    server.put("inter.broker.listener.name", "PLAINTEXT");
    server.put("log.dirs", dir.resolve("data").toString());
    server.put("num.partitions", "3");
    server.put("offsets.topic.replication.factor", "1");
    server.put("transaction.state.log.replication.factor", "1");
    server.put("transaction.state.log.min.isr", "1");
    server.put("share.coordinator.state.topic.replication.factor", "1");
    server.put("share.coordinator.state.topic.min.isr", "1");
    server.put("group.initial.rebalance.delay.ms", "0");
    Path properties = write(dir.resolve("server.properties"), server);
    if (ownController) {
      format("kafka-storage-format", properties, clusterId);
    } else {
      format("kafka-storage-format", properties, clusterId, "--standalone");
    }
    brokerProperties = properties;
    broker = launchKafka();
  }

  private void format(String name, Path properties, String clusterId, String... options) throws IOException {
    List<String> args = new ArrayList<>(List.of("format", "-t", clusterId, "-c", properties.toString()));
    args.addAll(Arrays.asList(options));
    ManagedProcess format = start(name, javaCommand("kafka.tools.StorageTool",
        args.toArray(String[]::new)), properties.getParent());
    waitFor("Kafka storage formatted", Duration.ofSeconds(60), () -> !format.isAlive());
  }

  private ManagedProcess launchKafka() throws IOException {
    ManagedProcess started = start("kafka-broker", javaCommand("kafka.Kafka", brokerProperties.toString()),
        runDir.resolve("kafka"));
    waitFor("Kafka broker answers", Duration.ofSeconds(90), () -> {
      try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
          AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000))) {
        return !admin.describeCluster().nodes().get().isEmpty();
      } catch (Exception e) {
        return false;
      }
    });
    return started;
  }

  public void createTopic(String topic, int partitions) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
      admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(topic, partitions, (short) 1)))
          .all().get();
    }
  }

  public void deleteTopic(String topic) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
      admin.deleteTopics(List.of(topic)).all().get();
    }
  }

  /** Starts the worker from the example worker properties, pointed at the local broker and plugin folder. */
  public void startConnect(Path workerTemplate, Path pluginPath) throws IOException {
    startConnect(workerTemplate, pluginPath, Map.of());
  }

  /**
   * Starts one more worker of the same Connect cluster, with {@code overrides} on top of the example
   * properties. The REST calls of this class go to the latest worker.
   */
  public void startConnect(Path workerTemplate, Path pluginPath, Map<String, String> overrides) throws IOException {
    startConnect(workerTemplate, pluginPath, overrides, classpath);
  }

  /**
   * Starts one more worker as above, from the jars on {@code workerClasspath}: a worker of another Kafka
   * version than the broker's.
   */
  public void startConnect(Path workerTemplate, Path pluginPath, Map<String, String> overrides,
      String workerClasspath) throws IOException {
    connectPort = freePort();
    Path dir = runDir.resolve("connect-" + workers.size());
    Properties worker = new Properties();
    try (InputStream in = Files.newInputStream(workerTemplate)) {
      worker.load(in);
    }
    worker.put("bootstrap.servers", bootstrapServers());
    worker.put("listeners", "http://127.0.0.1:" + connectPort);
    worker.put("plugin.path", pluginPath.toString());
    worker.put("offset.flush.interval.ms", "2000");
    worker.put("group.id", "redis-kafka-bridge-quickstart");
    worker.putAll(overrides);
    Path properties = write(dir.resolve("worker.properties"), worker);
    workers.add(start("connect-worker-" + workers.size(),
        javaCommand(workerJvmOptions, workerClasspath, "org.apache.kafka.connect.cli.ConnectDistributed",
            properties.toString()), dir));
    waitFor("Connect worker REST API", Duration.ofSeconds(120), () -> {
      try {
        return get("/connector-plugins").contains("RedisStreamsSourceConnector");
      } catch (Exception e) {
        return false;
      }
    });
  }

  /** Kills worker {@code index} with SIGKILL: no graceful shutdown, no final offset commit. */
  public void killWorker(int index) throws InterruptedException {
    workers.get(index).kill();
  }

  /** The process IDs of redis-server, the broker and the newest worker, for CPU accounting. */
  public Map<String, Long> pids() {
    Map<String, Long> pids = new java.util.LinkedHashMap<>();
    pids.put("redis-server", redis.pid());
    pids.put("kafka-broker", broker.pid());
    pids.put("connect-worker", workers.get(workers.size() - 1).pid());
    return pids;
  }

  /** Kills the worker started last with SIGKILL. */
  public void killLatestWorker() throws InterruptedException {
    killWorker(workers.size() - 1);
  }

  public String get(String path) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(connectUrl() + path))
        .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("GET " + path + " answered " + response.statusCode() + ": " + response.body());
    }
    return response.body();
  }

  /** PUT {@code path} with a JSON body; the answer's body, whatever its status. */
  public String put(String path, String json) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(connectUrl() + path)).timeout(Duration.ofSeconds(60))
        .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(json)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  /** Where the newest worker writes its log. */
  public Path latestWorkerLog() {
    return workers.get(workers.size() - 1).log();
  }

  /** DELETE /connectors/{name}. */
  public void deleteConnector(String name) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(connectUrl() + "/connectors/" + name))
        .timeout(Duration.ofSeconds(60)).DELETE().build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 204 && response.statusCode() != 200) {
      throw new IOException("Connect refused to delete " + name + " (" + response.statusCode() + "): "
          + response.body());
    }
  }

  /** PUT /connectors/{name}/config: creates or updates the connector. */
  public void putConnector(String name, String configJson) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(connectUrl() + "/connectors/"
            + name + "/config")).timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString(configJson)).build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200 && response.statusCode() != 201) {
      throw new IOException("Connect refused connector " + name + " (" + response.statusCode() + "): "
          + response.body());
    }
  }

  private List<String> javaCommand(String mainClass, String... args) {
    return javaCommand(List.of(), classpath, mainClass, args);
  }

  private List<String> javaCommand(List<String> jvmOptions, String javaClasspath, String mainClass,
      String... args) {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command = new ArrayList<>(List.of(java, "-Xms128m", "-Xmx512m", "-XX:+UseG1GC"));
    command.addAll(jvmOptions);
    command.addAll(List.of("-Dlog4j2.configurationFile=" + childLogConfig(), "-cp", javaClasspath, mainClass));
    command.addAll(Arrays.asList(args));
    return command;
  }

  private String childLogConfig() {
    Path file = runDir.resolve("log4j2.properties");
    if (!Files.exists(file)) {
      try {
        Files.writeString(file, String.join("\n",
            "rootLogger.level = INFO", "rootLogger.appenderRef.out.ref = out",
            "appender.out.type = Console", "appender.out.name = out", "appender.out.layout.type = PatternLayout",
            "appender.out.layout.pattern = [%d] %p %m (%c)%n", ""));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return file.toString();
  }

  private ManagedProcess start(String name, List<String> command, Path dir) throws IOException {
    ManagedProcess process = ManagedProcess.start(name, command, dir, runDir.resolve(name + ".log"));
    processes.add(process);
    return process;
  }

  private void waitFor(String what, Duration timeout, BooleanSupplier ready) {
    long deadline = System.nanoTime() + timeout.toNanos();
    ManagedProcess latest = processes.get(processes.size() - 1);
    while (!ready.getAsBoolean()) {
      if (!latest.isAlive() && !latest.name().endsWith("storage-format")) {
        throw new IllegalStateException(latest.name() + " exited while waiting for: " + what + "\n"
            + latest.tail(30) + "\n(full log: " + latest.log() + ")");
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out after " + timeout.toSeconds() + " s waiting for: " + what
            + "\n" + latest.tail(30) + "\n(full log: " + latest.log() + ")");
      }
      try {
        Thread.sleep(250); // polling a child process for readiness; nothing to be notified by
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for: " + what, e);
      }
    }
  }

  /**
   * A server of this run that exited though nobody stopped it, described in one line with where its log
   * is; waits up to {@code grace} for one, since a failed request often comes just before its server's exit.
   */
  public Optional<String> unexpectedlyStopped(Duration grace) {
    List<ManagedProcess> servers = processes.stream()
        .filter(process -> !process.name().endsWith("storage-format")).toList();
    try {
      CompletableFuture.anyOf(servers.stream().map(ManagedProcess::onExit).toArray(CompletableFuture[]::new))
          .get(grace.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
    return servers.stream().filter(process -> !process.isAlive()).findFirst().map(process -> process.name()
        + " stopped unexpectedly (exit code " + process.exitCode() + "); its log: " + process.log());
  }

  /** Stops the processes in reverse order of start: worker, broker, Redis. */
  @Override
  public void close() {
    for (int i = processes.size() - 1; i >= 0; i--) {
      processes.get(i).stop(30);
    }
    processes.clear();
  }

  /** Unpacks the built plugin archive ({@code plugin/target/*.zip} under {@code projectRoot}) into a plugin folder. */
  public static Path unpackBuiltPlugin(Path projectRoot, Path target) throws IOException {
    Path archive;
    try (java.util.stream.Stream<Path> files = Files.list(projectRoot.resolve("plugin/target"))) {
      archive = files.filter(f -> f.getFileName().toString().endsWith(".zip")).findFirst().orElseThrow(
          () -> new IllegalStateException("no plugin archive in plugin/target: build it with mvn install"));
    }
    return unzip(archive, target);
  }

  public static Path unzip(Path archive, Path target) throws IOException {
    Files.createDirectories(target);
    try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(archive))) {
      for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
        Path out = target.resolve(entry.getName()).normalize();
        if (!out.startsWith(target)) {
          throw new IOException("archive entry escapes the target folder: " + entry.getName());
        }
        if (entry.isDirectory()) {
          Files.createDirectories(out);
        } else {
          Files.createDirectories(out.getParent());
          Files.copy(zip, out); // not closing: that would close the whole zip stream
        }
      }
    }
    return target;
  }

  private static Path write(Path file, Properties properties) throws IOException {
    Files.createDirectories(file.getParent());
    StringBuilder text = new StringBuilder();
    properties.stringPropertyNames().stream().sorted()
        .forEach(key -> text.append(key).append('=').append(properties.getProperty(key)).append('\n'));
    Files.writeString(file, text.toString(), StandardCharsets.UTF_8);
    return file;
  }

  static Optional<Path> findOnPath(String program) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(dir, program);
      if (!dir.isBlank() && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
