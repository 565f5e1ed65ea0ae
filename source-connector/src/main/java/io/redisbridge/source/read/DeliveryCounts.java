package io.redisbridge.source.read;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.XPendingParams;

/**
 * Looks up how often the group has delivered entries that were read again (own history or claimed),
 * with one XPENDING range query per stream and batch, so the dead-letter rule can be applied.
 */
public final class DeliveryCounts {

  private final UnifiedJedis redis;
  private final ConsumerIdentity identity;

  public DeliveryCounts(UnifiedJedis redis, ConsumerIdentity identity) {
    this.redis = redis;
    this.identity = identity;
  }

  /** Returns the entries with their delivery counts filled in; deleted entries pass unchanged. */
  public List<StreamEntry> fill(List<StreamEntry> batch) {
    Map<String, List<StreamEntry>> byStream = new LinkedHashMap<>();
    for (StreamEntry entry : batch) {
      if (!entry.deleted()) {
        byStream.computeIfAbsent(entry.stream(), s -> new ArrayList<>()).add(entry);
      }
    }
    Map<String, Map<StreamEntryID, Long>> counts = new LinkedHashMap<>();
    for (Map.Entry<String, List<StreamEntry>> group : byStream.entrySet()) {
      List<StreamEntry> entries = group.getValue();
      StreamEntryID first = entries.get(0).id();
      StreamEntryID last = entries.get(entries.size() - 1).id();
      // Entries of one read are in ID order, and this consumer owns them all; the range holds them and
      // possibly this consumer's in-flight entries, which the generous count covers.
      XPendingParams params = XPendingParams.xPendingParams(bytes(first.toString()), bytes(last.toString()),
          Integer.MAX_VALUE).consumer(identity.consumerBytes());
      counts.put(group.getKey(), StreamReplies.deliveryCounts(
          redis.xpending(bytes(group.getKey()), identity.groupBytes(), params)));
    }
    List<StreamEntry> filled = new ArrayList<>(batch.size());
    for (StreamEntry entry : batch) {
      if (entry.deleted()) {
        filled.add(entry);
      } else {
        // Not pending any more (acked meanwhile by a stale task): count it as delivered once more.
        long count = counts.get(entry.stream()).getOrDefault(entry.id(), 1L);
        filled.add(entry.withDeliveryCount(count));
      }
    }
    return filled;
  }

  private static byte[] bytes(String value) {
    return value.getBytes(StandardCharsets.UTF_8);
  }
}
