package io.redisbridge.source.ack;

import io.redisbridge.source.read.EntryRef;
import io.redisbridge.source.read.StreamEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import redis.clients.jedis.StreamEntryID;

/**
 * Entries handed to Kafka and not yet acknowledged in Redis. Bounds memory (the in-flight cap) and
 * keeps claim runs from re-delivering an entry this task is still waiting on.
 *
 * <p>Only the task's poll thread uses it; the producer thread reports completions through {@link AckQueue}.
 */
public final class InFlightEntries {

  private final Map<String, Set<StreamEntryID>> byStream = new HashMap<>();
  private volatile int size;

  public void add(EntryRef ref) {
    if (byStream.computeIfAbsent(ref.stream(), s -> new HashSet<>()).add(ref.id())) {
      size++;
    }
  }

  public boolean contains(EntryRef ref) {
    Set<StreamEntryID> ids = byStream.get(ref.stream());
    return ids != null && ids.contains(ref.id());
  }

  void remove(EntryRef ref) {
    Set<StreamEntryID> ids = byStream.get(ref.stream());
    if (ids != null && ids.remove(ref.id())) {
      size--;
    }
  }

  /**
   * Those of {@code read} that are not in flight: history replays (after an outage, or of a departed
   * consumer) also return entries still on their way to Kafka.
   */
  public List<StreamEntry> without(List<StreamEntry> read) {
    List<StreamEntry> fresh = new ArrayList<>(read.size());
    for (StreamEntry entry : read) {
      if (!contains(entry.ref())) {
        fresh.add(entry);
      }
    }
    return fresh;
  }

  public int size() {
    return size;
  }
}
