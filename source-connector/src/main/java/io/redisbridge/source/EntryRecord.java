package io.redisbridge.source;

import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.header.Headers;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * A record that remembers the entry it came from. Connect hands {@code commitRecord} the record that
 * {@code poll} returned (before transforms), so the ack finds its entry without parsing the offset
 * map again on every confirmation.
 */
final class EntryRecord extends SourceRecord {

  private final EntryRef entry;

  EntryRecord(EntryRef entry, Map<String, ?> sourcePartition, Map<String, ?> sourceOffset, String topic,
      Schema keySchema, Object key, Schema valueSchema, Object value, Long timestamp, Headers headers) {
    super(sourcePartition, sourceOffset, topic, null, keySchema, key, valueSchema, value, timestamp, headers);
    this.entry = entry;
  }

  EntryRef entry() {
    return entry;
  }
}
