package io.redisbridge.quickstart;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.resps.StreamEntry;

/**
 * The main job: run the orders pipeline of the Redis Streams article end to end on this machine.
 * Producers XADD orders to stream {@code orders}; the source connector moves them through consumer
 * group {@code order-processors} into topic {@code orders}; the sink connector archives topic
 * {@code orders} into stream {@code orders-archive}. Progress is shown live, a summary at the end.
 *
 * <p>Options: {@code --orders N} (default 20000), {@code --rate N} per second (default 2000),
 * {@code --keep-running} (stay up for exploration until Ctrl-C).
 */
public final class QuickStart {

  static final String SOURCE_STREAM = "orders";
  static final String GROUP = "order-processors";
  static final String TOPIC = "orders";
  static final String ARCHIVE_STREAM = "orders-archive";
  static final String DEAD_LETTER_STREAM = "orders-dlq";
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The exit code of a run stopped by Ctrl-C, as shells report a process ended by SIGINT. */
  static final int INTERRUPTED = 130;

  private final Path root;
  private final int orders;
  private final int rate;
  private final boolean keepRunning;
  private final Duration completionTimeout = Duration.ofMinutes(5);
  /** The worker's JMX, for the live line; set while the pipeline runs. */
  private WorkerMetrics metrics;

  QuickStart(Path root, int orders, int rate, boolean keepRunning) {
    this.root = root;
    this.orders = orders;
    this.rate = rate;
    this.keepRunning = keepRunning;
  }

  public static void main(String[] args) throws Exception {
    QuickStartOptions options;
    try {
      options = QuickStartOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("quickstart: " + e.getMessage());
      System.err.println(QuickStartOptions.USAGE);
      System.exit(2);
      return;
    }
    if (options.help()) {
      System.out.println(QuickStartOptions.USAGE);
      System.exit(0);
    }
    Path root = Path.of(System.getProperty("quickstart.root", ".")).toAbsolutePath().normalize();
    System.exit(new QuickStart(root, options.orders(), options.rate(), options.keepRunning()).run());
  }

  int run() throws Exception {
    Path runDir = root.resolve("quickstart/target/run-"
        + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    Files.createDirectories(runDir);
    String classpath = Files.readString(root.resolve("quickstart/target/runtime-classpath.txt")).trim();
    LocalServices services = new LocalServices(runDir, classpath);
    // Ctrl-C (SIGINT to the whole process group, the servers included) or a kill: the JVM runs this hook and
    // exits with 128 + the signal's number, 130 for Ctrl-C.
    CountDownLatch interrupted = new CountDownLatch(1);
    Thread onInterrupt = new Thread(() -> {
      interrupted.countDown();
      System.out.println("\nInterrupted: stopping the Connect worker, the Kafka broker and redis-server...");
      services.close();
      System.out.println("Stopped everything. Logs are in " + runDir);
    }, "quickstart-interrupted");
    Runtime.getRuntime().addShutdownHook(onInterrupt);
    int result;
    try {
      result = pipeline(services, runDir);
    } catch (Exception e) {
      // The servers got the same Ctrl-C: what failed because they stopped is no news then.
      if (interrupted.await(3, TimeUnit.SECONDS)) {
        return INTERRUPTED;
      }
      result = explain(e, services, runDir);
    }
    try {
      Runtime.getRuntime().removeShutdownHook(onInterrupt);
    } catch (IllegalStateException shutdownStarted) {
      return INTERRUPTED;
    }
    System.out.println("\nStopping the Connect worker, the Kafka broker and redis-server...");
    services.close();
    System.out.println("Stopped. Logs are in " + runDir);
    return result;
  }

  /** One line on why the run failed: a server that stopped under it, else the error, whose trace goes to a file. */
  private static int explain(Exception failure, LocalServices services, Path runDir) throws Exception {
    Optional<String> stopped = services.unexpectedlyStopped(Duration.ofSeconds(2));
    if (stopped.isPresent()) {
      System.err.println("\nquickstart: " + stopped.get());
      return 1;
    }
    Path trace = runDir.resolve("quickstart-error.log");
    try (java.io.PrintWriter out = new java.io.PrintWriter(Files.newBufferedWriter(trace))) {
      failure.printStackTrace(out);
    }
    System.err.println("\nquickstart: failed: " + failure + " (stack trace in " + trace + ")");
    return 1;
  }

  private int pipeline(LocalServices services, Path runDir) throws Exception {
    try (WorkerMetrics jmx = new WorkerMetrics()) {
      metrics = jmx;
      return pipelineWithMetrics(services, runDir);
    }
  }

  private int pipelineWithMetrics(LocalServices services, Path runDir) throws Exception {
    step("Unpacking the plugin archive");
    Path pluginPath = LocalServices.unzip(pluginArchive(), runDir.resolve("plugins"));
    step("Starting redis-server");
    services.startRedis();
    step("Starting a Kafka broker (KRaft)");
    services.startKafka();
    services.createTopic(TOPIC, 3);
    step("Starting a Connect worker in distributed mode with plugin.path=" + pluginPath);
    services.workerJvmOptions(metrics.workerJvmOptions());
    services.startConnect(root.resolve("config/connect-distributed.properties"), pluginPath);
    String redisUri = "redis://127.0.0.1:" + services.redisPort();
    step("Posting config/source-orders.json and config/sink-orders-archive.json");
    services.putConnector("orders-source", connectorConfig("config/source-orders.json", redisUri));
    services.putConnector("orders-archive-sink", connectorConfig("config/sink-orders-archive.json", redisUri));

    try (UnifiedJedis redis = RedisClient.create("127.0.0.1", services.redisPort());
        Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, services.bootstrapServers()))) {
      step(String.format("Producing %,d orders to stream '%s' at %,d/s (XADD ... MAXLEN ~ 500000)", orders,
          SOURCE_STREAM, rate));
      OrderProducer producer = new OrderProducer(redis, SOURCE_STREAM);
      ProgressLine progress = new ProgressLine();
      long start = System.nanoTime();
      long lastShown = 0;
      PipelineStatus status = PipelineStatus.read(redis, admin, 0);
      long deadline = System.nanoTime() + completionTimeout.toNanos();
      while (!(producer.produced() >= orders && status.complete()) && System.nanoTime() < deadline) {
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        long due = Math.min(orders, rate * elapsedMs / 1000);
        if (producer.produced() < due) {
          producer.produce((int) Math.min(due - producer.produced(), 1000));
        }
        if (elapsedMs - lastShown >= 500) {
          lastShown = elapsedMs;
          Optional<String> stopped = services.unexpectedlyStopped(Duration.ZERO);
          if (stopped.isPresent()) {
            throw new IllegalStateException(stopped.get());
          }
          status = PipelineStatus.read(redis, admin, producer.produced());
          String jmx = metrics.line("orders-source", SOURCE_STREAM, "orders-archive-sink");
          progress.show(jmx.isEmpty() ? status.line() : status.line() + " | " + jmx);
        }
        Thread.sleep(10); // paces the producer at the requested rate
      }
      status = PipelineStatus.read(redis, admin, producer.produced());
      String jmx = metrics.line("orders-source", SOURCE_STREAM, "orders-archive-sink");
      progress.done(jmx.isEmpty() ? status.line() : status.line() + " | " + jmx);
      boolean everyOrderArchived = archivedOrderIds(redis).equals(expectedOrderIds());
      writeSummary(runDir, status, everyOrderArchived);
      printSummary(services, status, everyOrderArchived, (System.nanoTime() - start) / 1_000_000_000.0);
      if (keepRunning) {
        System.out.println("\nStill running for exploration (--keep-running). Press Ctrl-C to stop everything.");
        Thread.currentThread().join();
      }
      return status.complete() && everyOrderArchived ? 0 : 1;
    }
  }

  private Path pluginArchive() throws Exception {
    try (Stream<Path> files = Files.list(root.resolve("plugin/target"))) {
      return files.filter(f -> f.getFileName().toString().matches("redis-kafka-bridge-.*\\.zip")).findFirst()
          .orElseThrow(() -> new IllegalStateException("no plugin archive in plugin/target: build it with "
              + "mvn -B -DskipTests package"));
    }
  }

  private String connectorConfig(String file, String redisUri) throws Exception {
    ObjectNode config = (ObjectNode) JSON.readTree(root.resolve(file).toFile()).get("config");
    config.put("redis.uri", redisUri);
    return JSON.writeValueAsString(config);
  }

  private Set<String> expectedOrderIds() {
    Set<String> ids = new HashSet<>();
    for (int n = 1; n <= orders; n++) {
      ids.add("order-" + n);
    }
    return ids;
  }

  private static Set<String> archivedOrderIds(UnifiedJedis redis) {
    Set<String> ids = new HashSet<>();
    StreamEntryID from = StreamEntryID.MINIMUM_ID;
    while (true) {
      List<StreamEntry> page = redis.xrange(ARCHIVE_STREAM, from, StreamEntryID.MAXIMUM_ID, 5000);
      page.forEach(entry -> ids.add(entry.getFields().get("order_id")));
      if (page.size() < 5000) {
        return ids;
      }
      StreamEntryID last = page.get(page.size() - 1).getID();
      from = new StreamEntryID(last.getTime(), last.getSequence() + 1);
    }
  }

  private void writeSummary(Path runDir, PipelineStatus status, boolean everyOrderArchived) throws Exception {
    ObjectNode summary = JSON.createObjectNode();
    summary.put("orders", orders);
    summary.put("produced", status.produced());
    summary.put("inKafka", status.inKafka());
    summary.put("archived", status.archived());
    summary.put("pending", status.pending());
    summary.put("deadLettered", status.deadLettered());
    summary.put("everyOrderArchived", everyOrderArchived);
    JSON.writerWithDefaultPrettyPrinter().writeValue(runDir.resolve("summary.json").toFile(), summary);
    Files.writeString(root.resolve("quickstart/target/last-run"), runDir.toString());
  }

  private void printSummary(LocalServices services, PipelineStatus status, boolean everyOrderArchived,
      double seconds) {
    System.out.println();
    System.out.println(status.complete() && everyOrderArchived ? "Pipeline complete." : "Pipeline INCOMPLETE.");
    System.out.printf("  %,d orders produced to stream '%s' in %.1f s%n", status.produced(), SOURCE_STREAM, seconds);
    System.out.printf("  %,d records in Kafka topic '%s'%n", status.inKafka(), TOPIC);
    System.out.printf("  %,d entries archived in stream '%s' (%s)%n", status.archived(), ARCHIVE_STREAM,
        everyOrderArchived ? "every order is there" : "SOME ORDERS ARE MISSING");
    System.out.printf("  %,d entries pending in group '%s', %,d dead-lettered%n", status.pending(), GROUP,
        status.deadLettered());
    int port = services.redisPort();
    System.out.println();
    System.out.println("Look inside (while it runs, e.g. with --keep-running):");
    System.out.println("  redis-cli -p " + port + " XINFO GROUPS " + SOURCE_STREAM);
    System.out.println("  redis-cli -p " + port + " XPENDING " + SOURCE_STREAM + " " + GROUP);
    System.out.println("  redis-cli -p " + port + " XLEN " + ARCHIVE_STREAM);
    System.out.println("  redis-cli -p " + port + " XREVRANGE " + ARCHIVE_STREAM + " + - COUNT 1");
    System.out.println("  curl -s " + services.connectUrl() + "/connectors/orders-source/status");
    System.out.println("  curl -s " + services.connectUrl() + "/connectors/orders-source/offsets");
    System.out.println("  curl -s " + services.connectUrl() + "/connectors/orders-archive-sink/status");
    System.out.println("  jconsole " + metrics.url() + "   (MBeans io.redisbridge:*)");
  }

  private static void step(String message) {
    System.out.println("==> " + message);
  }

  /** A live status line on a terminal; plain lines, less often, when the output is a file or pipe. */
  private static final class ProgressLine {
    private final boolean terminal = System.console() != null;
    private long lastPrinted;

    void show(String line) {
      if (terminal) {
        System.out.print("\r" + line + "   ");
        System.out.flush();
      } else if (System.currentTimeMillis() - lastPrinted >= 2000) {
        lastPrinted = System.currentTimeMillis();
        System.out.println(line);
      }
    }

    void done(String line) {
      System.out.println(terminal ? "\r" + line + "   " : line);
    }
  }
}
