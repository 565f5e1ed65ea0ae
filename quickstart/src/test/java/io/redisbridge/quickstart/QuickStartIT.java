package io.redisbridge.quickstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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

  /**
   * A quick start in its own process group, as a terminal runs it, producing for longer than the test waits;
   * closing it kills whatever of it is left.
   */
  private static final class LongRun implements AutoCloseable {

    final Path output;
    final Process process;

    LongRun(String name) throws Exception {
      output = Files.createTempFile("quickstart-" + name + "-", ".log");
      // setsid: its own session and process group, whose ID is its pid.
      process = new ProcessBuilder("setsid", "bash", "quickstart.sh", "--orders", "1000000", "--rate", "2000")
          .directory(ROOT.toFile()).redirectErrorStream(true).redirectOutput(output.toFile()).start();
      await("the quick start producing orders").atMost(Duration.ofMinutes(4)).until(() -> {
        assertThat(process.isAlive()).as(printed()).isTrue();
        return printed().contains("Producing");
      });
    }

    String printed() throws IOException {
      return Files.readString(output);
    }

    /** The live processes of its process group, from /proc (field 5 of stat is the group). */
    List<ProcessHandle> group() {
      return ProcessHandle.allProcesses().filter(other -> {
        try {
          String stat = Files.readString(Path.of("/proc", Long.toString(other.pid()), "stat"));
          String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          return Long.parseLong(fields[2]) == process.pid() && !fields[0].equals("Z");
        } catch (IOException | RuntimeException e) {
          return false; // gone meanwhile
        }
      }).toList();
    }

    /** Waits for it to exit and for every process of its group to be gone; returns what it printed. */
    String awaitExit(int exitCode, Duration groupGoneWithin) throws Exception {
      assertThat(process.waitFor(2, TimeUnit.MINUTES)).as(printed()).isTrue();
      String printed = printed();
      assertThat(process.exitValue()).as(printed).isEqualTo(exitCode);
      await("nothing left running").atMost(groupGoneWithin).until(() -> group().isEmpty());
      return printed;
    }

    @Override
    public void close() {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
  }

  @Test
  void ctrlCStopsEverythingWithOneLineAndExitCode130() throws Exception {
    try (LongRun quickStart = new LongRun("interrupted")) {
      assertThat(quickStart.group()).hasSizeGreaterThanOrEqualTo(4); // java, redis, broker, worker

      // Ctrl-C in a terminal: SIGINT to every process of the group at once.
      new ProcessBuilder("kill", "-INT", "--", "-" + quickStart.process.pid()).start().waitFor(10, TimeUnit.SECONDS);

      assertThat(quickStart.awaitExit(130, Duration.ofSeconds(30)))
          .contains("Interrupted: stopping").contains("Stopped everything. Logs are in")
          .doesNotContain("Exception").doesNotContain("\tat ");
    }
  }

  @Test
  void aServerThatDiesUnderneathIsNamedWithItsLog() throws Exception {
    try (LongRun quickStart = new LongRun("server-died")) {
      quickStart.group().stream().filter(QuickStartIT::isRedisServer).findFirst().orElseThrow().destroyForcibly();

      assertThat(quickStart.awaitExit(1, Duration.ofSeconds(60)))
          .containsPattern("quickstart: redis-server stopped unexpectedly \\(exit code \\d+\\); "
              + "its log: .*redis-server\\.log").doesNotContain("\tat ");
    }
  }

  /** By its command line: Debian's redis-server is a link to another binary, which is what the JDK reports. */
  private static boolean isRedisServer(ProcessHandle process) {
    try {
      return Files.readString(Path.of("/proc", Long.toString(process.pid()), "cmdline")).contains("redis-server");
    } catch (IOException e) {
      return false; // gone meanwhile
    }
  }
}
