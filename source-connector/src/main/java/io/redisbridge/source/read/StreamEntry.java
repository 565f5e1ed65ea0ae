package io.redisbridge.source.read;

import io.redisbridge.common.redis.StreamField;
import java.util.List;
import redis.clients.jedis.StreamEntryID;

/**
 * An entry as a read returned it.
 *
 * @param fields the entry's fields in order; empty when {@code deleted}
 * @param deleted the entry was pending but no longer exists (trimmed or XDEL'd): Redis returned a nil body
 * @param deliveryCount how often the group has delivered it, this delivery included
 */
public record StreamEntry(String stream, StreamEntryID id, List<StreamField> fields, boolean deleted,
    long deliveryCount) {

  public StreamEntry {
    fields = List.copyOf(fields);
  }

  public static StreamEntry deleted(String stream, StreamEntryID id) {
    return new StreamEntry(stream, id, List.of(), true, 0);
  }

  public StreamEntry withDeliveryCount(long count) {
    return new StreamEntry(stream, id, fields, deleted, count);
  }

  public EntryRef ref() {
    return new EntryRef(stream, id);
  }

  /** Bytes of all field names and values: what the Kafka record will roughly weigh. */
  public long contentBytes() {
    long total = 0;
    for (StreamField field : fields) {
      total += field.size();
    }
    return total;
  }
}
