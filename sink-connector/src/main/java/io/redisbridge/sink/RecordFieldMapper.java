package io.redisbridge.sink;

import io.redisbridge.common.mapping.ConnectValueText;
import io.redisbridge.common.template.NameTemplate;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.sink.SinkRecord;
import redis.clients.jedis.StreamEntryID;

/**
 * Turns a Kafka record into the stream key and fields of one entry. Struct and Map values give one
 * field per top-level entry; other values go into one field; the key, chosen headers and Kafka
 * metadata can be added. Null field values are left out, since a stream field cannot be null.
 */
final class RecordFieldMapper {

  static final String TOPIC_FIELD = "kafka.topic";
  static final String PARTITION_FIELD = "kafka.partition";
  static final String OFFSET_FIELD = "kafka.offset";
  static final String TIMESTAMP_FIELD = "kafka.timestamp";

  private static final Pattern ENTRY_ID = Pattern.compile("\\d{1,19}-\\d{1,19}");

  private final NameTemplate streamTemplate;
  private final ConnectValueText text;
  private final byte[] valueField;
  /** A top-level map field written as fields of its own (the source's 'fields'); null for none. */
  private final String expandField;
  private final byte[] keyField;
  private final List<String> headers;
  private final String headersPrefix;
  private final boolean metadata;
  private final RedisStreamsSinkConfig.TombstonePolicy tombstones;
  private final byte[] tombstoneField;
  private final boolean streamUsesKey;
  private final String entryIdHeader;
  private final Map<String, String> streamByTopicPartition = new HashMap<>();

  RecordFieldMapper(RedisStreamsSinkConfig config) {
    this.streamTemplate = config.streamTemplate();
    this.text = new ConnectValueText(config.temporalFormat());
    this.valueField = utf8(config.valueFieldName());
    this.expandField = config.valueExpandField().isEmpty() ? null : config.valueExpandField();
    this.keyField = config.keyFieldName().isEmpty() ? null : utf8(config.keyFieldName());
    this.headers = config.includedHeaders();
    this.headersPrefix = config.headersPrefix();
    this.metadata = config.metadataFields();
    this.tombstones = config.tombstonePolicy();
    this.tombstoneField = utf8(config.tombstoneField());
    this.streamUsesKey = streamTemplate.uses("key");
    this.entryIdHeader = config.entryIdHeader();
  }

  /** True when the stream depends on the record key, so the partition alone does not name it. */
  boolean streamUsesKey() {
    return streamUsesKey;
  }

  /** The stream that every record of a partition goes to; only when the template does not use ${key}. */
  String streamOf(String topic, int partition) {
    Map<String, String> values = new HashMap<>();
    values.put("topic", topic);
    values.put("partition", String.valueOf(partition));
    return streamTemplate.render(values);
  }

  /** The write for {@code record}, or empty for a tombstone that is skipped. */
  Optional<StreamWrite> toWrite(SinkRecord record) throws RecordConversionException {
    if (record.value() == null && tombstones == RedisStreamsSinkConfig.TombstonePolicy.SKIP) {
      return Optional.empty();
    }
    Map<byte[], byte[]> fields = new LinkedHashMap<>();
    try {
      if (record.value() == null) {
        fields.put(tombstoneField, utf8("true"));
      } else {
        addValue(fields, record.valueSchema(), record.value());
      }
      if (keyField != null && record.key() != null) {
        fields.put(keyField, text.bytes(record.keySchema(), record.key()));
      }
      for (String name : headers) {
        Header header = record.headers().lastWithName(name);
        if (header != null && header.value() != null) {
          fields.put(utf8(headersPrefix + name), text.bytes(header.schema(), header.value()));
        }
      }
      if (metadata) {
        fields.put(utf8(TOPIC_FIELD), utf8(record.topic()));
        fields.put(utf8(PARTITION_FIELD), utf8(String.valueOf(record.kafkaPartition())));
        fields.put(utf8(OFFSET_FIELD), utf8(Long.toString(record.kafkaOffset())));
        if (record.timestamp() != null) {
          fields.put(utf8(TIMESTAMP_FIELD), utf8(Long.toString(record.timestamp())));
        }
      }
    } catch (DataException | ClassCastException e) {
      throw new RecordConversionException("cannot convert the record value: " + e.getMessage(), e);
    }
    if (fields.isEmpty()) {
      throw new RecordConversionException("the record has no non-null field to write, and a stream entry "
          + "needs at least one");
    }
    return Optional.of(new StreamWrite(record, stream(record), fields, entryId(record)));
  }

  /** The ID the record asks for, from entry.id.header; null when Redis assigns it. */
  private StreamEntryID entryId(SinkRecord record) throws RecordConversionException {
    if (entryIdHeader == null) {
      return null;
    }
    Header header = record.headers().lastWithName(entryIdHeader);
    if (header == null || header.value() == null) {
      throw new RecordConversionException("the record has no header " + entryIdHeader
          + ", which entry.id.header names as the entry ID to write");
    }
    String text = header.value() instanceof byte[] raw ? new String(raw, StandardCharsets.UTF_8)
        : String.valueOf(header.value());
    if (!ENTRY_ID.matcher(text).matches()) {
      throw new RecordConversionException("header " + entryIdHeader + " holds '" + text
          + "', not an entry ID like 1709234567890-0");
    }
    StreamEntryID id;
    try {
      id = new StreamEntryID(text);
    } catch (NumberFormatException e) {
      throw new RecordConversionException("header " + entryIdHeader + " holds '" + text
          + "', an entry ID out of range", e);
    }
    if (id.getTime() == 0 && id.getSequence() == 0) {
      throw new RecordConversionException("header " + entryIdHeader + " holds 0-0, which no entry can have");
    }
    return id;
  }

  private void addValue(Map<byte[], byte[]> fields, Schema schema, Object value) {
    if (value instanceof Struct struct) {
      for (Field field : struct.schema().fields()) {
        Object fieldValue = struct.get(field);
        if (fieldValue instanceof Map<?, ?> nested && field.name().equals(expandField)) {
          addMap(fields, field.schema(), nested, null);
        } else if (fieldValue != null) {
          fields.put(utf8(field.name()), text.bytes(field.schema(), fieldValue));
        }
      }
    } else if (value instanceof Map<?, ?> map) {
      // Schemaless JSON of the source's struct value: {"order_id": ..., "fields": {...}}.
      Object nested = expandField == null ? null : map.get(expandField);
      boolean expand = nested instanceof Map<?, ?>;
      addMap(fields, schema, map, expand ? expandField : null);
      if (expand) {
        addMap(fields, schema == null ? null : schema.valueSchema(), (Map<?, ?>) nested, null);
      }
    } else {
      fields.put(valueField, text.bytes(schema, value));
    }
  }

  /** One field per entry of {@code map}, but for the key {@code skip}. */
  private void addMap(Map<byte[], byte[]> fields, Schema schema, Map<?, ?> map, String skip) {
    Schema keySchema = schema == null ? null : schema.keySchema();
    Schema valueSchema = schema == null ? null : schema.valueSchema();
    for (Map.Entry<?, ?> entry : text.sortedByKey(map)) {
      if (entry.getValue() != null && entry.getKey() != null && !entry.getKey().equals(skip)) {
        fields.put(utf8(text.text(keySchema, entry.getKey())), text.bytes(valueSchema, entry.getValue()));
      }
    }
  }

  private String stream(SinkRecord record) throws RecordConversionException {
    if (!streamUsesKey) {
      // Without ${key} the stream depends on topic and partition only: render once per partition.
      return streamByTopicPartition.computeIfAbsent(record.topic() + "\u0000" + record.kafkaPartition(),
          k -> streamOf(record.topic(), record.kafkaPartition()));
    }
    if (record.key() == null) {
      throw new RecordConversionException("the record has no key, and redis.stream uses ${key}");
    }
    Map<String, String> values = placeholders(record);
    values.put("key", text.text(record.keySchema(), record.key()));
    return streamTemplate.render(values);
  }

  private static Map<String, String> placeholders(SinkRecord record) {
    Map<String, String> values = new HashMap<>();
    values.put("topic", record.topic());
    values.put("partition", String.valueOf(record.kafkaPartition()));
    return values;
  }

  private static byte[] utf8(String value) {
    return value.getBytes(StandardCharsets.UTF_8);
  }
}
