package io.redisbridge.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Runs the README's quick-start command as a user would, with a small order count. */
class QuickStartIT {

  private static final Path ROOT = Path.of(System.getProperty("project.root", "..")).toAbsolutePath().normalize();

  @Test
  void quickStartCommandRunsThePipelineToCompletionAndLeavesNothingRunning() throws Exception {
    Path output = Files.createTempFile("quickstart-", ".log");
    Process quickStart = new ProcessBuilder("bash", "quickstart.sh", "--orders", "500", "--rate", "1000")
        .directory(ROOT.toFile()).redirectErrorStream(true).redirectOutput(output.toFile()).start();

    boolean exited = quickStart.waitFor(5, TimeUnit.MINUTES);
    if (!exited) {
      quickStart.descendants().forEach(ProcessHandle::destroyForcibly);
      quickStart.destroyForcibly();
    }

    String printed = Files.readString(output);
    assertThat(exited).as(printed).isTrue();
    assertThat(quickStart.exitValue()).as(printed).isZero();
    assertThat(printed).contains("Pipeline complete.", "every order is there", "XINFO GROUPS orders");
    // The live line carries a few of the connectors' metrics, read over JMX from the worker.
    assertThat(printed).containsPattern("JMX: acked [0-9,]+ \\| lag [0-9,?]+ \\| sink batch [0-9.]+ ms");
    String runDir = Files.readString(ROOT.resolve("quickstart/target/last-run")).trim();
    JsonNode summary = new ObjectMapper().readTree(Path.of(runDir, "summary.json").toFile());
    assertThat(summary.get("produced").asLong()).isEqualTo(500);
    assertThat(summary.get("pending").asLong()).isZero();
    assertThat(summary.get("archived").asLong()).isGreaterThanOrEqualTo(500);
    assertThat(summary.get("everyOrderArchived").asBoolean()).isTrue();
    assertThat(summary.get("deadLettered").asLong()).isZero();
    // Every server it started had its run folder on the command line; none may outlive it.
    assertThat(ProcessHandle.allProcesses().filter(ProcessHandle::isAlive)
        .map(p -> p.info().commandLine().orElse("")).filter(command -> command.contains(runDir)))
        .isEmpty();
  }

  /** A quick start in its own process group, as a terminal runs it, producing for longer than the test waits. */
  private static Process startLongRun(Path output) throws Exception {
    // setsid: its own session and process group, whose ID is its pid.
    return new ProcessBuilder("setsid", "bash", "quickstart.sh", "--orders", "1000000", "--rate", "2000")
        .directory(ROOT.toFile()).redirectErrorStream(true).redirectOutput(output.toFile()).start();
  }

  private static void awaitProducing(Process quickStart, Path output) {
    org.awaitility.Awaitility.await("the quick start producing orders").atMost(java.time.Duration.ofMinutes(4))
        .until(() -> {
          assertThat(quickStart.isAlive()).as(Files.readString(output)).isTrue();
          return Files.readString(output).contains("Producing");
        });
  }

  /** The live processes of process group {@code pgid}, from /proc (field 5 of stat is the group). */
  private static java.util.List<ProcessHandle> processGroup(long pgid) {
    return ProcessHandle.allProcesses().filter(process -> {
      try {
        String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[2]) == pgid && !fields[0].equals("Z");
      } catch (java.io.IOException | RuntimeException e) {
        return false; // gone meanwhile
      }
    }).toList();
  }

  @Test
  void ctrlCStopsEverythingWithOneLineAndExitCode130() throws Exception {
    Path output = Files.createTempFile("quickstart-interrupted-", ".log");
    Process quickStart = startLongRun(output);
    try {
      awaitProducing(quickStart, output);
      assertThat(processGroup(quickStart.pid())).hasSizeGreaterThanOrEqualTo(4); // java, redis, broker, worker

      // Ctrl-C in a terminal: SIGINT to every process of the group at once.
      new ProcessBuilder("kill", "-INT", "--", "-" + quickStart.pid()).start().waitFor(10, TimeUnit.SECONDS);

      assertThat(quickStart.waitFor(2, TimeUnit.MINUTES)).as(Files.readString(output)).isTrue();
      String printed = Files.readString(output);
      assertThat(quickStart.exitValue()).as(printed).isEqualTo(130);
      assertThat(printed).contains("Interrupted: stopping").contains("Stopped everything. Logs are in")
          .doesNotContain("Exception").doesNotContain("\tat ");
      org.awaitility.Awaitility.await("nothing left running").atMost(java.time.Duration.ofSeconds(30))
          .until(() -> processGroup(quickStart.pid()).isEmpty());
    } finally {
      quickStart.descendants().forEach(ProcessHandle::destroyForcibly);
      quickStart.destroyForcibly();
    }
  }

  @Test
  void aServerThatDiesUnderneathIsNamedWithItsLog() throws Exception {
    Path output = Files.createTempFile("quickstart-server-died-", ".log");
    Process quickStart = startLongRun(output);
    try {
      awaitProducing(quickStart, output);
      ProcessHandle redis = processGroup(quickStart.pid()).stream().filter(QuickStartIT::isRedisServer)
          .findFirst().orElseThrow();
      redis.destroyForcibly();

      assertThat(quickStart.waitFor(2, TimeUnit.MINUTES)).as(Files.readString(output)).isTrue();
      String printed = Files.readString(output);
      assertThat(quickStart.exitValue()).as(printed).isEqualTo(1);
      assertThat(printed).containsPattern("quickstart: redis-server stopped unexpectedly \\(exit code \\d+\\); "
          + "its log: .*redis-server\\.log").doesNotContain("\tat ");
      org.awaitility.Awaitility.await("nothing left running").atMost(java.time.Duration.ofSeconds(60))
          .until(() -> processGroup(quickStart.pid()).isEmpty());
    } finally {
      quickStart.descendants().forEach(ProcessHandle::destroyForcibly);
      quickStart.destroyForcibly();
    }
  }

  /** By its command line: Debian's redis-server is a link to another binary, which is what the JDK reports. */
  private static boolean isRedisServer(ProcessHandle process) {
    try {
      return Files.readString(Path.of("/proc", Long.toString(process.pid()), "cmdline")).contains("redis-server");
    } catch (java.io.IOException e) {
      return false; // gone meanwhile
    }
  }
}
