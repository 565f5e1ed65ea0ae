package io.redisbridge.quickstart;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Jars the separately launched workers of the tests need beyond the build's own, resolved from Maven
 * Central by the same Maven and local repository that run the build, with the small POMs under
 * src/test: a Kafka Connect worker of any version (src/test/kafka-worker) and Apicurio's Avro converter
 * as a plugin folder (src/test/apicurio-converter). Kept under target/test-jars. The benchmark's Avro phase
 * uses it too.
 */
public final class MavenJars {

  static final String APICURIO_VERSION = "2.6.13.Final";
  static final String APICURIO_RUNNER = "apicurio-registry-app-" + APICURIO_VERSION + "-runner.jar";

  private final Path root;

  /** {@code root}: the project's root folder. */
  public MavenJars(Path root) {
    this.root = root;
  }

  /** Resolves every version at once: each is a Maven run of a few seconds, mostly JVM start. */
  void resolveKafkaWorkers(List<String> versions) throws IOException, InterruptedException {
    List<Process> runs = new ArrayList<>();
    for (String version : versions) {
      if (!Files.exists(workerClasspathFile(version))) {
        runs.add(maven("worker-" + version, "kafka-worker", "-Dkafka.worker.version=" + version,
            "-Dmdep.outputFile=" + workerClasspathFile(version), "dependency:build-classpath"));
      }
    }
    for (Process run : runs) {
      awaitSuccess(run);
    }
  }

  String kafkaWorkerClasspath(String version) throws IOException {
    return Files.readString(workerClasspathFile(version)).trim();
  }

  /** A folder with Apicurio's AvroConverter and what it needs, to put on a worker's plugin.path. */
  private Path apicurioConverterPlugin() throws IOException, InterruptedException {
    Path plugin = dir().resolve("apicurio-avro-converter");
    if (!Files.exists(plugin.resolve(".complete"))) {
      awaitSuccess(maven("apicurio-converter", "apicurio-converter", "-DoutputDirectory=" + plugin,
          "dependency:copy-dependencies"));
      Files.writeString(plugin.resolve(".complete"), "");
    }
    return plugin;
  }

  /**
   * Puts Apicurio's AvroConverter into {@code plugins} (a worker's plugin.path) as a plugin folder of its own.
   * Its jars carry no ServiceLoader manifest: the worker needs plugin.discovery=hybrid_warn to find it.
   */
  public void addApicurioConverterTo(Path plugins) throws IOException, InterruptedException {
    Path folder = Files.createDirectories(plugins.resolve("apicurio-avro-converter"));
    try (Stream<Path> jars = Files.list(apicurioConverterPlugin())) {
      for (Path jar : jars.filter(file -> file.toString().endsWith(".jar")).toList()) {
        Files.copy(jar, folder.resolve(jar.getFileName()));
      }
    }
  }

  /** Apicurio Registry 2.6's server (a Quarkus app), unpacked; its runner jar is {@code APICURIO_RUNNER}. */
  public Path apicurioRegistryApp() throws IOException, InterruptedException {
    Path app = dir().resolve("apicurio-registry-app");
    if (!Files.exists(app.resolve(".complete"))) {
      awaitSuccess(maven("apicurio-registry-app", "apicurio-converter",
          "-Dartifact=io.apicurio:apicurio-registry-app:" + APICURIO_VERSION + ":tar.gz:all",
          "-DoutputDirectory=" + dir(), "dependency:copy"));
      Files.createDirectories(app);
      Path archive = dir().resolve("apicurio-registry-app-" + APICURIO_VERSION + "-all.tar.gz");
      awaitSuccess(new ProcessBuilder("tar", "xzf", archive.toString(), "-C", app.toString())
          .redirectErrorStream(true).redirectOutput(dir().resolve("unpack-apicurio.log").toFile()).start());
      Files.delete(archive);
      Files.writeString(app.resolve(".complete"), "");
    }
    return app;
  }

  private Process maven(String name, String pomFolder, String... arguments) throws IOException {
    Files.createDirectories(dir());
    String mavenHome = System.getProperty("maven.home");
    String mvn = mavenHome == null || mavenHome.isBlank() ? "mvn" : Path.of(mavenHome, "bin", "mvn").toString();
    List<String> command = new ArrayList<>(List.of(mvn, "-B", "-q",
        "-f", root.resolve("quickstart/src/test/" + pomFolder + "/pom.xml").toString()));
    String repository = System.getProperty("maven.repo.local");
    if (repository != null && !repository.isBlank()) {
      command.add("-Dmaven.repo.local=" + repository);
    }
    command.addAll(List.of(arguments));
    return new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(dir().resolve("resolve-" + name + ".log").toFile()).start();
  }

  private void awaitSuccess(Process run) throws InterruptedException {
    if (!run.waitFor(5, TimeUnit.MINUTES) || run.exitValue() != 0) {
      throw new IllegalStateException("Could not fetch test jars; see the logs in " + dir());
    }
  }

  private Path workerClasspathFile(String version) {
    return dir().resolve("kafka-worker-" + version + ".classpath");
  }

  private Path dir() {
    return root.resolve("quickstart/target/test-jars");
  }
}
