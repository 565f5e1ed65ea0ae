package io.redisbridge.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The scripts the README tells users to run, with the mistakes users make: each answers with one line
 * naming the option and what it accepts plus the usage line, exits 2, and starts or builds nothing.
 */
class ScriptArgumentsIT {

  private static final Path ROOT = Path.of(System.getProperty("project.root", "..")).toAbsolutePath().normalize();

  private record Run(int exitCode, String output) {}

  private static Run run(String script, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("bash", script));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(output).isTrue();
    return new Run(process.exitValue(), output);
  }

  private static long runFolders() throws Exception {
    Path target = ROOT.resolve("quickstart/target");
    try (Stream<Path> files = Files.list(target)) {
      return files.filter(path -> path.getFileName().toString().startsWith("run-")).count();
    }
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "quickstart.sh   | --orders abc          | --orders takes a whole number of at least 1, not 'abc'",
      "quickstart.sh   | --orders              | --orders needs a value: a whole number of at least 1",
      "quickstart.sh   | --rate 0              | --rate takes a whole number of at least 1, not '0'",
      "quickstart.sh   | --rate -5             | --rate takes a whole number of at least 1, not '-5'",
      "quickstart.sh   | --orders 10 --bogus   | unknown option --bogus; options: --orders N, --rate N",
      "bench-deploy.sh | -Dbench.n=-1          | -Dbench.n takes a whole number of at least 1, not '-1'",
      "bench-deploy.sh | -Dbench.phases=fast   | -Dbench.phases takes a comma-separated list of: throughput",
      "bench-deploy.sh | -Dbench.profile=yes   | -Dbench.profile takes true or false, not 'yes'",
      "bench-deploy.sh | -Xmx8g                | unknown option -Xmx8g; options: -Dbench.n"})
  void aMistakeGetsOneLineAndTheUsageAndStartsNothing(String script, String args, String expected) throws Exception {
    long foldersBefore = runFolders();
    Run run = run(script, args.split(" "));
    String[] lines = run.output().strip().split("\n");
    assertThat(run.exitCode()).as(run.output()).isEqualTo(2);
    assertThat(lines).as(run.output()).hasSize(2);
    assertThat(lines[0]).startsWith(script + ": " + expected);
    assertThat(lines[1]).startsWith("usage: ./" + script);
    assertThat(runFolders()).isEqualTo(foldersBefore);
  }

  @ParameterizedTest
  @CsvSource({"quickstart.sh", "bench-deploy.sh", "test.sh"})
  void helpPrintsTheUsageAndExitsZero(String script) throws Exception {
    Run run = run(script, "--help");
    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.output()).startsWith("usage: ./" + script).doesNotContain("Exception");
  }
}
