package io.redisbridge.source.discover;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Which task reads which stream. Shared: every task is a consumer of every stream, and the group splits
 * each stream's entries among them. Spread: each stream has one task, picked by a hash of its name, so a
 * stream keeps its task when other streams come or go (only a change of tasks.max moves streams); a
 * task's XREADGROUP then names only its own streams.
 */
public final class StreamAssignment {

  /** redis.streams.assignment. */
  public enum Mode { AUTO, SHARED, SPREAD }

  /** Auto mode shares streams up to this many per task: few enough that one read over all is cheap. */
  public static final int SHARED_UP_TO_STREAMS_PER_TASK = 4;

  private StreamAssignment() {
  }

  /** What {@code mode} comes to for this many streams and tasks. */
  public static Mode effective(Mode mode, int streams, int tasks) {
    if (mode != Mode.AUTO) {
      return mode;
    }
    return streams > (long) tasks * SHARED_UP_TO_STREAMS_PER_TASK ? Mode.SPREAD : Mode.SHARED;
  }

  /** Each task's streams, in task order; {@code mode} must be SHARED or SPREAD. */
  public static List<List<String>> assign(List<String> streams, int tasks, Mode mode) {
    List<List<String>> assigned = new ArrayList<>(tasks);
    for (int task = 0; task < tasks; task++) {
      assigned.add(mode == Mode.SHARED ? List.copyOf(streams) : new ArrayList<>());
    }
    if (mode == Mode.SPREAD) {
      for (String stream : streams) {
        assigned.get(taskOf(stream, tasks)).add(stream);
      }
    }
    return assigned;
  }

  /** A hash of the name that is the same on every JVM and Kafka version, unlike String.hashCode's spread. */
  static int taskOf(String stream, int tasks) {
    CRC32 crc = new CRC32();
    crc.update(stream.getBytes(StandardCharsets.UTF_8));
    return (int) (crc.getValue() % tasks);
  }

  /** Stream names as one property value: commas and percent signs in a name are escaped. */
  public static String encode(List<String> streams) {
    List<String> escaped = new ArrayList<>(streams.size());
    for (String stream : streams) {
      escaped.add(stream.replace("%", "%25").replace(",", "%2C"));
    }
    return String.join(",", escaped);
  }

  public static List<String> decode(String encoded) {
    if (encoded.isEmpty()) {
      return List.of();
    }
    List<String> streams = new ArrayList<>();
    for (String escaped : encoded.split(",", -1)) {
      streams.add(escaped.replace("%2C", ",").replace("%25", "%"));
    }
    return List.copyOf(streams);
  }
}
