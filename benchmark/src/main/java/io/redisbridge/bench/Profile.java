package io.redisbridge.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A flight recording of the worker during one phase ({@code -Dbench.profile=true}), started and dumped
 * with {@code jcmd}, plus the CPU each worker thread used; read the recording with {@link HotMethods}.
 */
final class Profile {

  private static final Profile NONE = new Profile(-1, null, Map.of());

  private final long pid;
  private final Path file;
  private final Map<String, Double> threadsBefore;

  private Profile(long pid, Path file, Map<String, Double> threadsBefore) {
    this.pid = pid;
    this.file = file;
    this.threadsBefore = threadsBefore;
  }

  /** Starts a recording of process {@code pid}; none when {@code pid} is negative. */
  static Profile start(long pid, Path file) throws Exception {
    if (pid < 0) {
      return NONE;
    }
    Map<String, Double> threads = ProcessCpu.byThread(pid);
    jcmd(pid, "JFR.start", "name=bench", "settings=profile");
    return new Profile(pid, file, threads);
  }

  void stop() throws Exception {
    if (pid < 0) {
      return;
    }
    jcmd(pid, "JFR.stop", "name=bench", "filename=" + file);
    StringBuilder threads = new StringBuilder("flight recording: " + file + "; worker CPU seconds by thread:");
    ProcessCpu.byThread(pid).entrySet().stream()
        .map(e -> Map.entry(e.getKey(), e.getValue() - threadsBefore.getOrDefault(e.getKey(), 0.0)))
        .filter(e -> e.getValue() >= 0.05)
        .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
        .forEach(e -> threads.append(String.format(Locale.ROOT, "%n  %6.2f  %s", e.getValue(), e.getKey())));
    BenchStack.log(threads.toString());
  }

  static void jcmd(long pid, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(pid)));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IllegalStateException("jcmd " + command + " failed: " + output);
    }
  }
}
