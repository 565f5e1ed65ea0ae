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
}
