package io.redisbridge.source.map;

import java.util.HashMap;
import java.util.Map;

/**
 * The source partition each record is stored under, made once per consumer (and stream, exactly-once):
 * {@code {group, consumer}} at-least-once, {@code {stream, group, consumer}} exactly-once (see {@link
 * SourceOffsets}).
 *
 * <p>Only the task's poll thread uses it.
 */
public final class SourcePartitions {

  private final String group;
  private final boolean perConsumer;
  private final Map<String, Map<String, Map<String, String>>> byConsumer = new HashMap<>();

  public SourcePartitions(String group, boolean perConsumer) {
    this.group = group;
    this.perConsumer = perConsumer;
  }

  /** Exactly-once: the partition of {@code stream} and {@code consumer} as earlier builds keyed it. */
  public Map<String, String> ofEarlierBuilds(String stream, String consumer) {
    return SourceOffsets.partitionOfEarlierBuilds(stream, group, consumer);
  }

  public Map<String, String> of(String stream, String consumer) {
    Map<String, Map<String, String>> ofConsumer = byConsumer.computeIfAbsent(consumer, c -> new HashMap<>());
    return perConsumer ? ofConsumer.computeIfAbsent(stream, s -> SourceOffsets.partition(s, group, consumer))
        : ofConsumer.computeIfAbsent("", s -> SourceOffsets.progressPartition(group, consumer));
  }
}
