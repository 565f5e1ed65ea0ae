package io.redisbridge.bench;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Reads a flight recording of the worker and prints, per thread family, where the CPU samples went: the
 * methods most often on top of the stack (self) and those most often anywhere on it (total). The
 * benchmark's profile mode ({@code -Dbench.profile=true}) records one per phase.
 *
 * <p>Usage: {@code HotMethods <recording.jfr> [thread-name-part] [rows]}.
 */
public final class HotMethods {

  private HotMethods() {}

  public static void main(String[] args) throws Exception {
    String threadPart = args.length > 1 ? args[1] : "task-thread";
    int rows = args.length > 2 ? Integer.parseInt(args[2]) : 40;
    Map<String, Integer> self = new HashMap<>();
    Map<String, Integer> total = new HashMap<>();
    Map<String, Integer> threads = new HashMap<>();
    int samples = 0;
    for (RecordedEvent event : RecordingFile.readAllEvents(Path.of(args[0]))) {
      if (!event.getEventType().getName().equals("jdk.ExecutionSample")) {
        continue;
      }
      String thread = event.getThread("sampledThread") == null ? "?"
          : event.getThread("sampledThread").getJavaName();
      threads.merge(thread == null ? "?" : thread.replaceAll("\\d+", "N"), 1, Integer::sum);
      if (thread == null || !thread.contains(threadPart) || event.getStackTrace() == null) {
        continue;
      }
      samples++;
      List<RecordedFrame> frames = event.getStackTrace().getFrames();
      if (!frames.isEmpty()) {
        self.merge(name(frames.get(0)), 1, Integer::sum);
      }
      Set<String> seen = new HashSet<>();
      for (RecordedFrame frame : frames) {
        if (seen.add(name(frame))) {
          total.merge(name(frame), 1, Integer::sum);
        }
      }
    }
    System.out.println("Samples by thread:");
    print(threads, threads.values().stream().mapToInt(Integer::intValue).sum(), 15);
    System.out.printf(Locale.ROOT, "%nThreads matching '%s': %d samples%n%nSelf:%n", threadPart, samples);
    print(self, samples, rows);
    System.out.println("\nTotal (on the stack):");
    print(total, samples, rows * 2);
  }

  private static String name(RecordedFrame frame) {
    return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
  }

  private static void print(Map<String, Integer> counts, int samples, int rows) {
    counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(rows)
        .forEach(e -> System.out.printf(Locale.ROOT, "%6.1f%%  %s%n", 100.0 * e.getValue() / samples, e.getKey()));
  }
}
