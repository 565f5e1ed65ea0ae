package io.redisbridge.bench;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The worker's heap as its GC log ({@code -Xlog:gc}) reports it: each collection logs the heap in use
 * before and after it. Reading the log costs the worker nothing, unlike attaching to it while it runs.
 */
final class GcLog {

  private static final Pattern HEAP = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");

  /** Megabytes in use: most before any collection (peak), most left after one (live data and what stayed). */
  record Heap(int collections, long peakMb, long afterGcMaxMb) {}

  private final Path file;

  GcLog(Path file) {
    this.file = file;
  }

  /** The JVM option that writes this log. */
  String jvmOption() {
    return "-Xlog:gc:file=" + file + ":uptime";
  }

  /** Where the log ends now: a phase reads from here on. */
  long mark() throws IOException {
    return Files.exists(file) ? Files.size(file) : 0;
  }

  Heap since(long mark) throws IOException {
    byte[] bytes;
    try (RandomAccessFile log = new RandomAccessFile(file.toFile(), "r")) {
      bytes = new byte[(int) Math.max(0, log.length() - mark)];
      log.seek(mark);
      log.readFully(bytes);
    }
    int collections = 0;
    long peak = 0;
    long after = 0;
    for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
      Matcher heap = HEAP.matcher(line);
      if (line.contains("Pause") && heap.find()) {
        collections++;
        peak = Math.max(peak, Long.parseLong(heap.group(1)));
        after = Math.max(after, Long.parseLong(heap.group(2)));
      }
    }
    return new Heap(collections, peak, after);
  }
}
