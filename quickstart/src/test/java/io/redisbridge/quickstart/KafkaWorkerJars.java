package io.redisbridge.quickstart;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The classpath of a Kafka Connect worker of any version, resolved from Maven Central with the small POM
 * in src/test/kafka-worker, by the same Maven and local repository that run the build, and kept under
 * target/kafka-workers.
 */
final class KafkaWorkerJars {

  private final Path root;

  KafkaWorkerJars(Path root) {
    this.root = root;
  }

  /** Resolves every version at once: each is a Maven run of a few seconds, mostly JVM start. */
  void resolveAll(List<String> versions) throws IOException, InterruptedException {
    List<Process> runs = new ArrayList<>();
    for (String version : versions) {
      if (!Files.exists(classpathFile(version))) {
        runs.add(resolve(version));
      }
    }
    for (Process run : runs) {
      if (!run.waitFor(5, TimeUnit.MINUTES) || run.exitValue() != 0) {
        throw new IllegalStateException("Maven could not resolve a Kafka worker; see " + logDir());
      }
    }
  }

  String classpath(String version) throws IOException {
    return Files.readString(classpathFile(version)).trim();
  }

  private Process resolve(String version) throws IOException {
    Files.createDirectories(logDir());
    String mavenHome = System.getProperty("maven.home");
    String mvn = mavenHome == null || mavenHome.isBlank() ? "mvn" : Path.of(mavenHome, "bin", "mvn").toString();
    List<String> command = new ArrayList<>(List.of(mvn, "-B", "-q",
        "-f", root.resolve("quickstart/src/test/kafka-worker/pom.xml").toString(),
        "-Dkafka.worker.version=" + version,
        "-Dmdep.outputFile=" + classpathFile(version)));
    String repository = System.getProperty("maven.repo.local");
    if (repository != null && !repository.isBlank()) {
      command.add("-Dmaven.repo.local=" + repository);
    }
    command.add("dependency:build-classpath");
    return new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(logDir().resolve("resolve-" + version + ".log").toFile()).start();
  }

  private Path classpathFile(String version) {
    return logDir().resolve(version + ".classpath");
  }

  private Path logDir() {
    return root.resolve("quickstart/target/kafka-workers");
  }
}
