package io.redisbridge.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** CPU time a process has used so far, from /proc/<pid>/stat (user + system), in seconds. */
final class ProcessCpu {

  /** Linux's USER_HZ: the unit of utime and stime in /proc/<pid>/stat on every mainstream kernel. */
  private static final double TICKS_PER_SECOND = 100.0;

  private ProcessCpu() {}

  static double seconds(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // The command name (field 2) may hold spaces; the fields after its closing parenthesis do not.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // utime and stime are fields 14 and 15 of the whole line: 12 and 13 after the name.
      return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("cannot read the CPU time of process " + pid + " from /proc", e);
    }
  }

  /** CPU seconds per thread name of a process (digits folded, so a pool's threads add up). */
  static Map<String, Double> byThread(long pid) {
    Map<String, Double> seconds = new java.util.TreeMap<>();
    try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
      tasks.forEach(task -> {
        try {
          String name = Files.readString(task.resolve("comm")).trim().replaceAll("\\d+", "N");
          String stat = Files.readString(task.resolve("stat"));
          String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          seconds.merge(name, (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND,
              Double::sum);
        } catch (IOException | RuntimeException e) {
          // The thread ended between listing and reading: its time is gone with it.
        }
      });
    } catch (IOException e) {
      throw new IllegalStateException("cannot list the threads of process " + pid, e);
    }
    return seconds;
  }

  static Map<String, Double> snapshot(Map<String, Long> pids) {
    Map<String, Double> seconds = new LinkedHashMap<>();
    pids.forEach((name, pid) -> seconds.put(name, seconds(pid)));
    return seconds;
  }

  static Map<String, Double> since(Map<String, Double> before, Map<String, Long> pids) {
    Map<String, Double> used = new LinkedHashMap<>();
    pids.forEach((name, pid) -> used.put(name, seconds(pid) - before.getOrDefault(name, 0.0)));
    return used;
  }
}
