package io.redisbridge.source.map;

import io.redisbridge.source.read.EntryRef;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.header.Headers;
import org.apache.kafka.connect.source.SourceRecord;
import redis.clients.jedis.StreamEntryID;

/**
 * A record that remembers the entry it came from. Connect hands {@code commitRecord} the record that
 * {@code poll} returned (before transforms), so the ack finds its entry without parsing the offset
 * map again on every confirmation.
 */
public final class EntryRecord extends SourceRecord {

  private final EntryRef entry;

  EntryRecord(EntryRef entry, Map<String, ?> sourcePartition, Map<String, ?> sourceOffset, String topic,
      Schema keySchema, Object key, Schema valueSchema, Object value, Long timestamp, Headers headers) {
    super(sourcePartition, sourceOffset, topic, null, keySchema, key, valueSchema, value, timestamp, headers);
    this.entry = entry;
  }

  EntryRef entry() {
    return entry;
  }

  /** The entry an acknowledged record came from; a record Connect rebuilt (e.g. a copy) by its offset. */
  public static EntryRef refOf(SourceRecord record) {
    if (record instanceof EntryRecord entryRecord) {
      return entryRecord.entry();
    }
    return new EntryRef(SourceOffsets.streamOf(record.sourcePartition(), record.sourceOffset()),
        new StreamEntryID((String) record.sourceOffset().get(SourceOffsets.ENTRY_ID)));
  }
}
