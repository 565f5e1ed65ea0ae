package io.redisbridge.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * A private {@code redis-server} process on a free loopback port with its own data directory and
 * append-only persistence, so a restart finds the data a test wrote before it.
 */
public final class LocalRedisProcess implements RedisServer {

  private static final Logger log = LoggerFactory.getLogger(LocalRedisProcess.class);
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);

  /** Every live process, so a JVM that exits without running afterAll still leaves nothing behind. */
  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly), "redis-fixture-reaper"));
  }

  private final String executable;
  private final List<String> extraArgs;
  private final Path dataDir;
  private final int port;
  private Process process;

  private LocalRedisProcess(String executable, List<String> extraArgs) throws IOException {
    this.executable = executable;
    this.extraArgs = List.copyOf(extraArgs);
    this.dataDir = Files.createTempDirectory("redis-fixture-");
    this.port = freePort();
  }

  /** Starts {@code redis-server} found at {@code executable} with {@code extraArgs} appended. */
  public static LocalRedisProcess start(String executable, List<String> extraArgs) {
    try {
      LocalRedisProcess server = new LocalRedisProcess(executable, extraArgs);
      server.launch();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String host() {
    return "127.0.0.1";
  }

  @Override
  public int port() {
    return port;
  }

  public Path dataDir() {
    return dataDir;
  }

  /** The running server's process ID. */
  public long pid() {
    return process.pid();
  }

  private void launch() throws IOException {
    List<String> command = new ArrayList<>(List.of(
        executable,
        "--port", Integer.toString(port),
        "--bind", "127.0.0.1",
        "--save", "",
        "--appendonly", "yes",
        "--dir", dataDir.toString(),
        "--logfile", "redis.log",
        "--daemonize", "no"));
    command.addAll(extraArgs);
    process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(dataDir.resolve("stdout.log").toFile()).start();
    LIVE.add(process);
    try {
      await("redis-server on port " + port + " answers PING")
          .atMost(STARTUP_TIMEOUT)
          .pollInterval(Duration.ofMillis(50))
          .until(() -> {
            if (!process.isAlive()) {
              throw new IllegalStateException("redis-server exited with " + process.exitValue()
                  + "; its log:\n" + serverLog());
            }
            return isAnswering();
          });
    } catch (RuntimeException e) {
      kill();
      throw e;
    }
    log.info("redis-server started on port {} with data in {}", port, dataDir);
  }

  @Override
  public boolean isAnswering() {
    try (Jedis jedis = new Jedis(host(), port, 500)) {
      return "PONG".equals(jedis.ping());
    } catch (JedisDataException e) {
      // With ACLs an anonymous PING is refused, yet the server is up. LOADING means it is not ready yet.
      String reply = String.valueOf(e.getMessage());
      return reply.startsWith("NOAUTH") || reply.startsWith("NOPERM") || reply.startsWith("WRONGPASS");
    } catch (RuntimeException e) {
      return false;
    }
  }

  @Override
  public void stop() {
    if (process != null && process.isAlive()) {
      process.destroy(); // SIGTERM: Redis fsyncs its AOF and exits.
      waitForExit();
    }
  }

  @Override
  public void kill() {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      waitForExit();
    }
  }

  @Override
  public void restart() {
    kill();
    try {
      launch();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** SIGSTOP: the server stops answering (and replicating) without closing its connections. */
  public void pause() {
    signal("-STOP");
  }

  /** SIGCONT after {@link #pause()}. */
  public void resume() {
    signal("-CONT");
  }

  private void signal(String signal) {
    try {
      Process kill = new ProcessBuilder("kill", signal, Long.toString(process.pid())).start();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill " + signal + " " + process.pid() + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private void waitForExit() {
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      LIVE.remove(process);
    }
  }

  /** The server's own log, for failure messages. */
  public String serverLog() {
    StringBuilder out = new StringBuilder();
    for (String name : List.of("stdout.log", "redis.log")) {
      Path file = dataDir.resolve(name);
      if (Files.exists(file)) {
        try {
          out.append(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
          out.append("(could not read ").append(file).append(": ").append(e).append(")\n");
        }
      }
    }
    return out.toString();
  }

  @Override
  public void close() {
    kill();
    try (Stream<Path> files = Files.walk(dataDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      log.warn("could not delete redis data directory {}", dataDir, e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }
}
