package io.redisbridge.source.map;

import io.redisbridge.common.redis.StreamField;
import io.redisbridge.common.template.NameTemplate;
import io.redisbridge.source.RedisStreamsSourceConfig;
import io.redisbridge.source.read.StreamEntry;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns a stream entry into a Kafka Connect record: topic, key, value, headers, timestamp, offsets. */
public final class EntryRecordMapper {

  private static final Logger log = LoggerFactory.getLogger(EntryRecordMapper.class);

  static final String FIELDS_MAP = "fields";

  private final NameTemplate topicTemplate;
  private final String group;
  private final RedisStreamsSourceConfig.KeyMode keyMode;
  private final String keyField;
  private final RedisStreamsSourceConfig.ValueFormat valueFormat;
  private final String valueField;
  /** The declared fields by name: their types, and whether they are required. */
  private final Map<String, FieldDeclaration> declared = new HashMap<>();
  private final List<FieldDeclaration> required;
  private final Schema structSchema;
  private final RecordHeaders recordHeaders;
  private final HeaderFields headerFields;
  private final FieldNames fieldNames = new FieldNames();
  /** How much of a refused value a dead letter's reason quotes. */
  private static final int MAX_QUOTED = 64;
  /** Up to this many fields, duplicate names are found by comparing every pair. */
  private static final int PAIRWISE_NAME_CHECK_LIMIT = 16;

  private final Map<String, String> topicByStream = new HashMap<>();
  /** One decoder, reused: the mapper runs on the poll thread only, and a decoder per value was a hot spot. */
  private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
      .onMalformedInput(CodingErrorAction.REPORT)
      .onUnmappableCharacter(CodingErrorAction.REPORT);

  public EntryRecordMapper(RedisStreamsSourceConfig config) {
    this.topicTemplate = config.topicTemplate();
    this.group = config.consumerGroup();
    this.keyMode = config.keyMode();
    this.keyField = config.keyField();
    this.valueFormat = config.valueFormat();
    this.valueField = config.valueField();
    List<FieldDeclaration> declarations = config.valueFieldDeclarations();
    declarations.forEach(declaration -> declared.put(declaration.name(), declaration));
    this.required = declarations.stream().filter(FieldDeclaration::required).toList();
    this.recordHeaders = new RecordHeaders(config.recordHeaders());
    this.headerFields = config.headerFields();
    this.structSchema = valueFormat == RedisStreamsSourceConfig.ValueFormat.STRUCT
        ? structSchema(config.valueSchemaName(), declarations) : null;
  }

  private static Schema structSchema(String name, List<FieldDeclaration> declarations) {
    SchemaBuilder schema = SchemaBuilder.struct().name(name).version(1);
    for (FieldDeclaration field : declarations) {
      schema.field(field.name(), field.type().schema(field.required()));
    }
    schema.field(FIELDS_MAP, SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.STRING_SCHEMA).optional().build());
    return schema.build();
  }

  /** The record for {@code entry}, stored under {@code sourcePartition} (see {@link SourcePartitions}). */
  public SourceRecord toRecord(StreamEntry entry, Map<String, String> sourcePartition) throws MappingException {
    rejectDuplicateNames(entry);
    String topic = topicByStream.computeIfAbsent(entry.stream(), this::topicOf);
    Object key = key(entry);
    String id = entry.id().toString();
    ConnectHeaders headers = recordHeaders.of(entry, id);
    headerFields.addTo(headers, entry, this::tryUtf8);
    Schema valueSchema;
    Object value;
    switch (valueFormat) {
      case STRUCT -> {
        valueSchema = structSchema;
        value = struct(entry);
      }
      case MAP -> {
        valueSchema = null;
        value = map(entry);
      }
      case STRING -> {
        valueSchema = Schema.STRING_SCHEMA;
        value = utf8(valueField, requiredField(entry, valueField));
      }
      case BYTES -> {
        valueSchema = Schema.BYTES_SCHEMA;
        value = requiredField(entry, valueField);
      }
      default -> throw new IllegalStateException("unknown value format " + valueFormat);
    }
    return new EntryRecord(
        entry.ref(),
        sourcePartition,
        sourcePartition.containsKey(SourceOffsets.STREAM) ? SourceOffsets.offset(id)
            : SourceOffsets.progressOffset(entry.stream(), id),
        topic,
        keyMode == RedisStreamsSourceConfig.KeyMode.NONE ? null : Schema.OPTIONAL_STRING_SCHEMA, key,
        valueSchema, value,
        entry.id().getTime(),
        headers);
  }

  private String topicOf(String stream) {
    String rendered = topicTemplate.render(Map.of("stream", stream, "group", group));
    String topic = TopicNames.legal(rendered);
    if (!topic.equals(rendered)) {
      log.info("Stream {} goes to topic {}, not {}: Kafka topic names allow only [a-zA-Z0-9._-], at most {} "
          + "characters", stream, topic, rendered, TopicNames.MAX_LENGTH);
    }
    return topic;
  }

  /** Redis allows a field name twice in one entry; a map or struct would keep only one of them. */
  private static void rejectDuplicateNames(StreamEntry entry) throws MappingException {
    List<StreamField> fields = entry.fields();
    if (fields.size() > PAIRWISE_NAME_CHECK_LIMIT) {
      Set<String> seen = new HashSet<>();
      for (StreamField field : fields) {
        if (!seen.add(field.nameAsString())) {
          throw duplicate(field);
        }
      }
      return;
    }
    // Entries are mostly a handful of fields: comparing names pairwise costs less than hashing them.
    for (int i = 1; i < fields.size(); i++) {
      byte[] name = fields.get(i).name();
      for (int j = 0; j < i; j++) {
        if (Arrays.equals(name, fields.get(j).name())) {
          throw duplicate(fields.get(i));
        }
      }
    }
  }

  private static MappingException duplicate(StreamField field) {
    return new MappingException("field name '" + field.nameAsString() + "' appears twice in the entry; "
        + "a record value can hold it only once");
  }

  private String key(StreamEntry entry) throws MappingException {
    return switch (keyMode) {
      case NONE -> null;
      case ID -> entry.id().toString();
      case FIELD -> {
        byte[] value = field(entry, keyField);
        yield value == null ? null : utf8(keyField, value);
      }
    };
  }

  private Struct struct(StreamEntry entry) throws MappingException {
    Struct struct = new Struct(structSchema);
    Map<String, String> others = new LinkedHashMap<>();
    List<StreamField> fields = entry.fields();
    for (int i = 0; i < fields.size(); i++) {
      StreamField field = fields.get(i);
      String name = fieldNames.of(i, field.name());
      if (headerFields.leavesValue(name)) {
        continue;
      }
      FieldDeclaration declaration = declared.get(name);
      if (declaration != null) {
        struct.put(name, typed(declaration, field.value()));
      } else {
        others.put(name, utf8(name, field.value()));
      }
    }
    struct.put(FIELDS_MAP, others);
    requirePresent(struct::get);
    return struct;
  }

  /** The value of a declared field; a text not of its type is refused with the reason, for the dead letter. */
  private Object typed(FieldDeclaration declaration, byte[] raw) throws MappingException {
    FieldType type = declaration.type();
    if (type.kind() == FieldType.Kind.BYTES) {
      return raw;
    }
    if (type.kind() == FieldType.Kind.STRING) {
      return utf8(declaration.name(), raw);
    }
    String text = tryUtf8(raw);
    if (text == null) {
      throw new MappingException("field '" + declaration.name() + "' is not valid UTF-8 and cannot be a " + type);
    }
    if (type.kind() == FieldType.Kind.JSON) {
      try {
        return JsonFieldValue.of(declaration.name(), text, valueFormat == RedisStreamsSourceConfig.ValueFormat.STRUCT
            ? type.jsonSchema() : null);
      } catch (IllegalArgumentException e) {
        throw new MappingException("field '" + declaration.name() + "' holds '" + cut(text) + "', which is not the "
            + "json value.struct.fields declares: " + e.getMessage());
      }
    }
    try {
      return type.parse(text, raw);
    } catch (IllegalArgumentException e) {
      throw new MappingException("field '" + declaration.name() + "' holds '" + cut(text) + "', which is not a "
          + type + " as declared in value.struct.fields: " + e.getMessage());
    }
  }

  private static String cut(String text) {
    return text.length() <= MAX_QUOTED ? text : text.substring(0, MAX_QUOTED) + "...";
  }

  /** A required field the entry lacks makes it a dead letter, never a null. */
  private void requirePresent(java.util.function.Function<String, Object> valueOf) throws MappingException {
    for (FieldDeclaration field : required) {
      if (valueOf.apply(field.name()) == null) {
        throw new MappingException("the entry has no field '" + field.name() + "', which value.struct.fields "
            + "declares as required (" + field + ")");
      }
    }
  }

  /** Schemaless: strings where the bytes are UTF-8, the bytes themselves where not, so nothing is altered. */
  private Map<String, Object> map(StreamEntry entry) throws MappingException {
    Map<String, Object> map = new LinkedHashMap<>(entry.fields().size() * 2);
    List<StreamField> fields = entry.fields();
    for (int i = 0; i < fields.size(); i++) {
      StreamField field = fields.get(i);
      String name = fieldNames.of(i, field.name());
      if (headerFields.leavesValue(name)) {
        continue;
      }
      FieldDeclaration declaration = declared.get(name);
      if (declaration != null) {
        map.put(name, typed(declaration, field.value()));
        continue;
      }
      String decoded = tryUtf8(field.value());
      map.put(name, decoded != null ? decoded : field.value());
    }
    requirePresent(map::get);
    return map;
  }

  private static byte[] requiredField(StreamEntry entry, String name) throws MappingException {
    byte[] value = field(entry, name);
    if (value == null) {
      throw new MappingException("entry has no field '" + name + "', which value.field names");
    }
    return value;
  }

  private static byte[] field(StreamEntry entry, String name) {
    byte[] wanted = name.getBytes(StandardCharsets.UTF_8);
    for (StreamField field : entry.fields()) {
      if (Arrays.equals(field.name(), wanted)) {
        return field.value();
      }
    }
    return null;
  }

  private String utf8(String field, byte[] value) throws MappingException {
    String decoded = tryUtf8(value);
    if (decoded == null) {
      throw new MappingException("field '" + field + "' is not valid UTF-8 and cannot be a string; "
          + "use value.format=map or bytes to carry binary values");
    }
    return decoded;
  }

  private String tryUtf8(byte[] value) {
    if (isAscii(value)) {
      return new String(value, StandardCharsets.ISO_8859_1); // ASCII is valid UTF-8; this is the fast path
    }
    try {
      return utf8.reset().decode(ByteBuffer.wrap(value)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  private static boolean isAscii(byte[] value) {
    for (byte b : value) {
      if (b < 0) {
        return false;
      }
    }
    return true;
  }
}
