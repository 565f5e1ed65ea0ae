package io.redisbridge.source;

import io.redisbridge.common.config.DeadLetterConfig;
import io.redisbridge.common.config.NonBlankString;
import io.redisbridge.common.config.RedisConnectionConfig;
import io.redisbridge.common.config.RetryConfig;
import io.redisbridge.common.config.TemplateValidator;
import io.redisbridge.common.config.TrimmedString;
import io.redisbridge.common.template.NameTemplate;
import io.redisbridge.source.discover.StreamAssignment;
import io.redisbridge.source.map.FieldDeclaration;
import io.redisbridge.source.map.FieldType;
import io.redisbridge.source.map.HeaderFields;
import io.redisbridge.source.map.JsonFieldSchemas;
import io.redisbridge.source.map.RecordHeaders;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.data.Schema;
import redis.clients.jedis.StreamEntryID;

/** The source connector's configuration: shared fragments from common plus the reading and mapping keys. */
public class RedisStreamsSourceConfig extends AbstractConfig {

  public static final String STREAMS_GROUP = "Streams";
  public static final String STREAMS = "redis.streams";
  public static final String STREAMS_PATTERN = "redis.streams.pattern";
  public static final String STREAMS_SCAN_INTERVAL_MS = "redis.streams.pattern.scan.interval.ms";
  public static final String STREAMS_ASSIGNMENT = "redis.streams.assignment";
  public static final String CONSUMER_GROUP = "redis.consumer.group";
  public static final String GROUP_START_ID = "redis.consumer.group.start.id";
  public static final String CONSUMER_NAME_PREFIX = "redis.consumer.name.prefix";
  public static final String READ_COUNT = "redis.read.count";
  private static final int MAX_READ_COUNT = 100_000;
  /** Most entries a poll reads when each poll is a Kafka transaction; see {@link #readCountPerPoll}. */
  private static final int TRANSACTION_POLL_READ_COUNT = 10_000;
  public static final String READ_BLOCK_MS = "redis.read.block.ms";
  public static final String MAX_IN_FLIGHT = "max.in.flight.entries";
  public static final String TRANSACTION_MAX_ENTRIES = "transaction.max.entries";
  public static final String TRANSACTION_MAX_MS = "transaction.max.ms";

  public static final String RECOVERY_GROUP = "Recovery";
  public static final String CLAIM_INTERVAL_MS = "redis.claim.interval.ms";
  public static final String CLAIM_MIN_IDLE_MS = "redis.claim.min.idle.ms";
  public static final String CLAIM_COUNT = "redis.claim.count";
  public static final String REMOVE_FINISHED_CONSUMERS = "redis.consumer.remove.finished";
  public static final String MAX_DELIVERIES = "redis.max.deliveries";
  public static final String ENTRY_MAX_BYTES = "entry.max.bytes";

  /** Connect's own connector property that asks for (and, when required, checks) exactly-once delivery. */
  public static final String CONNECT_EXACTLY_ONCE_SUPPORT = "exactly.once.support";

  public static final String MAPPING_GROUP = "Mapping";
  public static final String TOPIC = "topic";
  public static final String KEY_MODE = "key.mode";
  public static final String KEY_FIELD = "key.field";
  public static final String VALUE_FORMAT = "value.format";
  public static final String VALUE_FIELD = "value.field";
  public static final String VALUE_STRUCT_FIELDS = "value.struct.fields";
  public static final String RECORD_HEADERS = "record.headers";
  public static final String HEADER_FIELDS = "header.fields";
  public static final String HEADER_FIELDS_MODE = "header.fields.mode";
  public static final String VALUE_SCHEMA_NAME = "value.schema.name";
  public static final String VALUE_JSON_SCHEMAS = "value.json.schemas";

  /** Placeholders the topic and dead-letter templates may use. */
  public static final Set<String> PLACEHOLDERS = Set.of("stream", "group");

  private static final Pattern ENTRY_ID = Pattern.compile("\\d+(-\\d+)?");

  /** What becomes the record key. */
  public enum KeyMode { NONE, ID, FIELD }

  /** What becomes the record value. */
  /** {@code value.format} as the task applies it: {@code auto} is resolved to struct or map. */
  public enum ValueFormat { STRUCT, MAP, STRING, BYTES }

  public RedisStreamsSourceConfig(Map<String, String> props) {
    this(definition(), props);
  }

  protected RedisStreamsSourceConfig(ConfigDef definition, Map<String, String> props) {
    super(definition, props);
  }

  public static ConfigDef definition() {
    ConfigDef def = new ConfigDef();
    RedisConnectionConfig.addTo(def);
    int order = 0;
    def.define(STREAMS, Type.LIST, "", new StreamListValidator(), Importance.HIGH,
            "The stream keys to read, comma-separated; or leave it empty and set redis.streams.pattern. Which "
                + "task reads which stream: see redis.streams.assignment.",
            STREAMS_GROUP, ++order, Width.LONG, "Streams")
        .define(STREAMS_PATTERN, Type.STRING, "", new TrimmedString(), Importance.HIGH,
            "Instead of redis.streams: a glob-style pattern (as SCAN MATCH takes it, e.g. orders:*) of the keys to "
                + "read. The connector reads every key of type stream that matches, on every primary of a Redis "
                + "Cluster, scans again every redis.streams.pattern.scan.interval.ms, and reconfigures the tasks "
                + "when streams appear or go.",
            STREAMS_GROUP, ++order, Width.MEDIUM, "Stream pattern")
        .define(STREAMS_SCAN_INTERVAL_MS, Type.LONG, 60_000L, ConfigDef.Range.between(1_000L, 86_400_000L),
            Importance.MEDIUM, "How often the connector scans for streams matching redis.streams.pattern, in "
                + "milliseconds. A new stream is read within this interval plus a task restart.",
            STREAMS_GROUP, ++order, Width.SHORT, "Pattern scan interval")
        .define(STREAMS_ASSIGNMENT, Type.STRING, "auto",
            ConfigDef.CaseInsensitiveValidString.in("auto", "shared", "spread"), Importance.MEDIUM,
            "Which task reads which stream: shared, every task is a consumer of every stream (the group splits "
                + "each stream's entries among them; best for a few busy streams); spread, each stream is read by "
                + "one task, chosen by a hash of its name, so it stays with that task while tasks.max stays (best "
                + "for many streams: no task reads them all); auto, shared up to "
                + StreamAssignment.SHARED_UP_TO_STREAMS_PER_TASK + " streams per task, spread beyond.",
            STREAMS_GROUP, ++order, Width.SHORT, "Stream assignment")
        .define(CONSUMER_GROUP, Type.STRING, "redis-kafka-bridge", new NonBlankString(), Importance.HIGH,
            "The consumer group the tasks read through. Created (XGROUP CREATE ... MKSTREAM) when missing; "
                + "an existing group is used as it is, so the connector resumes where the group stands.",
            STREAMS_GROUP, ++order, Width.MEDIUM, "Consumer group")
        .define(GROUP_START_ID, Type.STRING, "$", new StartIdValidator(), Importance.MEDIUM,
            "Where a newly created group starts: $ for entries added from now on, 0 for the whole stream, "
                + "or an entry ID (e.g. 1709234567890-0) to start after it. Ignored for existing groups.",
            STREAMS_GROUP, ++order, Width.SHORT, "Group start ID")
        .define(CONSUMER_NAME_PREFIX, Type.STRING, "", new TrimmedString(), Importance.LOW,
            "Prefix of the consumer names; task N is consumer <prefix>-N. Empty means the connector name. "
                + "Names are stable so a restarted task finds its own pending entries again.",
            STREAMS_GROUP, ++order, Width.MEDIUM, "Consumer name prefix")
        .define(READ_COUNT, Type.INT, 1000, ConfigDef.Range.between(1, MAX_READ_COUNT), Importance.MEDIUM,
            "Most entries one XREADGROUP returns (COUNT), and so the largest batch one poll hands to Kafka. "
                + "Unset, with exactly.once.support=required and Connect's default transaction.boundary (a "
                + "transaction per poll), a poll reads up to 10,000 entries (at most half of max.in.flight.entries) "
                + "instead, so each transaction carries more than 1,000 entries.",
            STREAMS_GROUP, ++order, Width.SHORT, "Read count")
        .define(READ_BLOCK_MS, Type.INT, 500, ConfigDef.Range.between(1, 30_000), Importance.LOW,
            "How long XREADGROUP waits for new entries (BLOCK), in milliseconds. Short, so a stopping task "
                + "is not held up; must be below redis.socket.timeout.ms.",
            STREAMS_GROUP, ++order, Width.SHORT, "Read block (ms)")
        .define(MAX_IN_FLIGHT, Type.INT, 20_000, ConfigDef.Range.between(1, 10_000_000), Importance.MEDIUM,
            "Most entries a task has delivered to Kafka but not yet acknowledged in Redis. At the cap the "
                + "task stops reading until Kafka confirms, which bounds the worker's memory.",
            STREAMS_GROUP, ++order, Width.SHORT, "Max in-flight entries")
        .define(TRANSACTION_MAX_ENTRIES, Type.INT, 50_000, ConfigDef.Range.between(1, 10_000_000), Importance.LOW,
            "With exactly.once.support=required and Connect's transaction.boundary=connector: the task ends a "
                + "Kafka transaction after this many entries, and at the latest after half of "
                + "max.in.flight.entries, since entries wait in flight until their transaction commits.",
            STREAMS_GROUP, ++order, Width.SHORT, "Transaction max entries")
        .define(TRANSACTION_MAX_MS, Type.LONG, 1_000L, ConfigDef.Range.between(1, 600_000), Importance.LOW,
            "With transaction.boundary=connector: the task ends a Kafka transaction this many milliseconds after "
                + "its first entry at the latest, so entries trickling in are committed (and acknowledged) soon.",
            STREAMS_GROUP, ++order, Width.SHORT, "Transaction max time (ms)");

    order = 0;
    def.define(CLAIM_INTERVAL_MS, Type.LONG, 30_000L, ConfigDef.Range.atLeast(0), Importance.MEDIUM,
            "How often a task claims (XAUTOCLAIM) entries that other consumers left pending longer than "
                + "redis.claim.min.idle.ms, e.g. consumers of tasks that crashed or were removed when "
                + "tasks.max was lowered. 0 turns claiming off.",
            RECOVERY_GROUP, ++order, Width.SHORT, "Claim interval (ms)")
        .define(REMOVE_FINISHED_CONSUMERS, Type.BOOLEAN, true, Importance.LOW,
            "Remove from the group (XGROUP DELCONSUMER) consumers no task runs any more, e.g. after tasks.max "
                + "was lowered, once nothing is pending for them and they have not read for "
                + "redis.claim.min.idle.ms; checked after each claim pass (redis.claim.interval.ms). The check and "
                + "the delete run in one script (EVAL), so a consumer with pending entries is never removed. "
                + "Turn it off if the user may not run EVAL and XGROUP DELCONSUMER.",
            RECOVERY_GROUP, ++order, Width.SHORT, "Remove finished consumers")
        .define(CLAIM_MIN_IDLE_MS, Type.LONG, 60_000L, ConfigDef.Range.atLeast(1), Importance.MEDIUM,
            "How long an entry must have been pending untouched before another task may claim it, in "
                + "milliseconds. Keep it well above the time Kafka takes to confirm a record, or live "
                + "consumers' entries are claimed and delivered twice.",
            RECOVERY_GROUP, ++order, Width.SHORT, "Claim min idle (ms)")
        .define(CLAIM_COUNT, Type.INT, 100, ConfigDef.Range.between(1, 10_000), Importance.LOW,
            "COUNT of each XAUTOCLAIM call; a claim run follows the cursor through the whole pending list.",
            RECOVERY_GROUP, ++order, Width.SHORT, "Claim count")
        .define(MAX_DELIVERIES, Type.INT, 10, ConfigDef.Range.between(1, 1_000_000), Importance.MEDIUM,
            "An entry whose delivery count (as XPENDING reports it) exceeds this is not produced again: it "
                + "is copied to the dead-letter stream and acknowledged.",
            RECOVERY_GROUP, ++order, Width.SHORT, "Max deliveries")
        .define(ENTRY_MAX_BYTES, Type.INT, 900_000, ConfigDef.Range.atLeast(0), Importance.MEDIUM,
            "Entries whose field names and values add up to more bytes than this go to the dead-letter "
                + "stream instead of Kafka, where they would fail the producer (max.request.size, 1 MB by "
                + "default). Raise it together with producer.override.max.request.size and the topic's "
                + "max.message.bytes. 0 means no limit.",
            RECOVERY_GROUP, ++order, Width.SHORT, "Entry max bytes");

    DeadLetterConfig.addTo(def, "${stream}-dlq", PLACEHOLDERS,
        "Stream that receives entries past redis.max.deliveries, too large, or impossible to map, with "
            + "their fields plus original_stream, original_id, consumer_group, delivery_count and reason.", false);

    order = 0;
    def.define(TOPIC, Type.STRING, "${stream}", new TemplateValidator(PLACEHOLDERS, false), Importance.HIGH,
            "Kafka topic of each record. Placeholders: ${stream}, ${group}.",
            MAPPING_GROUP, ++order, Width.MEDIUM, "Topic")
        .define(KEY_MODE, Type.STRING, "none", ConfigDef.CaseInsensitiveValidString.in("none", "id", "field"),
            Importance.MEDIUM,
            "Record key: none; id, the entry ID; or field, the value of key.field (e.g. customer_id, so one "
                + "customer's entries stay in order on one partition). An entry without that field gets a null key.",
            MAPPING_GROUP, ++order, Width.SHORT, "Key mode")
        .define(KEY_FIELD, Type.STRING, "", new TrimmedString(), Importance.MEDIUM,
            "The entry field whose value is the key when key.mode=field.",
            MAPPING_GROUP, ++order, Width.SHORT, "Key field")
        .define(VALUE_FORMAT, Type.STRING, "auto",
            ConfigDef.CaseInsensitiveValidString.in("auto", "struct", "map", "string", "bytes"), Importance.HIGH,
            "Record value: struct, a Struct with a declared schema (one optional string per name in "
                + "value.struct.fields, plus a map 'fields' with any other field), for Avro, Protobuf or "
                + "JSON Schema converters; map, a schemaless map of field to string (bytes where a value is "
                + "not UTF-8), so a JSON consumer sees the entry's fields at the top level; string or bytes, "
                + "the content of value.field alone, e.g. a JSON payload; auto (the default), struct when "
                + "value.struct.fields declares fields and map when it does not.",
            MAPPING_GROUP, ++order, Width.SHORT, "Value format")
        .define(VALUE_FIELD, Type.STRING, "", new TrimmedString(), Importance.MEDIUM,
            "The entry field whose content is the value when value.format is string or bytes. An entry "
                + "without it goes to the dead-letter stream.",
            MAPPING_GROUP, ++order, Width.SHORT, "Value field")
        .define(VALUE_STRUCT_FIELDS, Type.LIST, "", new StructFieldsValidator(), Importance.MEDIUM,
            "Entry fields that get their own field in the struct value, in this order, each as "
                + "name[:type][!]: a string unless a type follows (int32, int64, float32, float64, boolean, "
                + "decimal(precision,scale), bytes, timestamp (epoch milliseconds), timestamp(seconds), "
                + "timestamp(iso), date, json), optional unless ! follows, e.g. "
                + "order_id!,customer_id:int64,amount:decimal(10,2),items:json. A value is accepted in the form the "
                + "sink writes back (42, not +42 or 042; 9.90 for decimal(10,2), not 9.9), or in any number form "
                + "when ~ follows a number type (total:float64~; it then comes back in the type's form); a json "
                + "field is "
                + "structure (its schema in value.json.schemas for a struct value), and any valid JSON is accepted. "
                + "An entry with another value, or without a required field, goes to the dead-letter stream with "
                + "the reason. Names must be valid Avro names. Fields not listed go to the struct's 'fields' map.",
            MAPPING_GROUP, ++order, Width.LONG, "Struct fields")
        .define(VALUE_JSON_SCHEMAS, Type.STRING, "", new JsonSchemasValidator(), Importance.MEDIUM,
            "The Avro schema of each json field of a struct value, as a JSON object from field name to schema, "
                + "e.g. {\"items\":{\"type\":\"array\",\"items\":{\"type\":\"record\",\"name\":\"Item\","
                + "\"fields\":[{\"name\":\"sku\",\"type\":\"string\"},{\"name\":\"qty\",\"type\":\"int\"}]}}}; "
                + "or the path of a file that holds it, on every worker. Records, arrays, maps, unions of null "
                + "and one type (optional), int, long, float, double, boolean, string, decimal (bytes) and "
                + "timestamp-millis (long). A JSON value that does not match (a key the record does not declare, "
                + "a missing field that is not optional, 2.5 for an int) is a dead letter with its path.",
            MAPPING_GROUP, ++order, Width.LONG, "JSON field schemas")
        .define(VALUE_SCHEMA_NAME, Type.STRING, "io.redisbridge.StreamEntry", new NonBlankString(), Importance.LOW,
            "Name of the struct value schema (the Avro record name with its namespace).",
            MAPPING_GROUP, ++order, Width.MEDIUM, "Value schema name")
        .define(RECORD_HEADERS, Type.LIST, RecordHeaders.ENTRY_ID, new RecordHeaders.Validator(),
            Importance.LOW,
            "Headers each record carries, of: redis.entry.id (the entry ID, the default: what a consumer "
                + "de-duplicates redeliveries by), redis.stream (the stream's name, for topics that several "
                + "streams feed) and redis.delivery.count (how often the group delivered the entry, 1 the first "
                + "time). Every header costs a conversion in the worker and bytes on every record in the "
                + "broker, so only the entry ID travels unless asked. Empty: no headers.",
            MAPPING_GROUP, ++order, Width.LONG, "Record headers")
        .define(HEADER_FIELDS, Type.LIST, "", new HeaderFields.Validator(), Importance.MEDIUM,
            "Entry fields that each record also carries as a Kafka header of the same name, e.g. "
                + "traceparent,tracestate for W3C trace context or tenant for routing, so consumers and SMT "
                + "predicates need not read the value. A string header where the value is UTF-8, bytes where not; "
                + "an entry without the field gets no such header. The sink writes headers back as fields "
                + "(headers.include, with headers.prefix empty for the same names).",
            MAPPING_GROUP, ++order, Width.LONG, "Header fields")
        .define(HEADER_FIELDS_MODE, Type.STRING, "copy", ConfigDef.CaseInsensitiveValidString.in("copy", "move"),
            Importance.LOW,
            "copy: the fields in header.fields stay in the value too; move: they leave struct and map values "
                + "and travel as headers only (with value.format string or bytes the value is unchanged).",
            MAPPING_GROUP, ++order, Width.SHORT, "Header fields mode");

    RetryConfig.addTo(def);
    return def;
  }

  public List<String> recordHeaders() {
    return getList(RECORD_HEADERS).stream().map(String::trim).toList();
  }

  public HeaderFields headerFields() {
    return new HeaderFields(getList(HEADER_FIELDS).stream().map(String::trim).toList(),
        HeaderFields.Mode.valueOf(getString(HEADER_FIELDS_MODE).trim().toUpperCase(Locale.ROOT)));
  }

  /** The listed streams; empty when redis.streams.pattern names them instead. */
  public List<String> streams() {
    return getList(STREAMS).stream().map(String::trim).toList();
  }

  /** The pattern of the streams to read; empty when redis.streams lists them. */
  public String streamsPattern() {
    return getString(STREAMS_PATTERN).trim();
  }

  public long streamsScanIntervalMs() {
    return getLong(STREAMS_SCAN_INTERVAL_MS);
  }

  public StreamAssignment.Mode streamsAssignment() {
    return StreamAssignment.Mode.valueOf(getString(STREAMS_ASSIGNMENT).trim().toUpperCase(Locale.ROOT));
  }

  public String consumerGroup() {
    return getString(CONSUMER_GROUP);
  }

  public StreamEntryID groupStartId() {
    String value = getString(GROUP_START_ID).trim();
    if ("$".equals(value)) {
      return StreamEntryID.XGROUP_LAST_ENTRY;
    }
    return new StreamEntryID(value.contains("-") ? value : value + "-0");
  }

  public String consumerNamePrefix() {
    return getString(CONSUMER_NAME_PREFIX).trim();
  }

  public int readCount() {
    return getInt(READ_COUNT);
  }

  /**
   * Most entries one poll reads: redis.read.count, unless exactly once leaves the transactions to Connect
   * ({@code connectorBoundaries} false: a transaction per poll by default) and redis.read.count is not set.
   * Every transaction costs the broker a commit, and polls of 1,000 entries ran at half the speed of at least
   * once; such a poll reads up to {@link #TRANSACTION_POLL_READ_COUNT} entries instead (99% of at least once in
   * the benchmark), and at most half of max.in.flight.entries. Far larger reads cost more than they save:
   * 100,000 entries per poll ran at half speed again.
   */
  public int readCountPerPoll(boolean connectorBoundaries) {
    if (!exactlyOnce() || connectorBoundaries || originals().containsKey(READ_COUNT)) {
      return readCount();
    }
    return Math.max(readCount(), Math.min(TRANSACTION_POLL_READ_COUNT, maxInFlight() / 2));
  }

  public int readBlockMs() {
    return getInt(READ_BLOCK_MS);
  }

  public int transactionMaxEntries() {
    return getInt(TRANSACTION_MAX_ENTRIES);
  }

  public long transactionMaxMs() {
    return getLong(TRANSACTION_MAX_MS);
  }

  public int maxInFlight() {
    return getInt(MAX_IN_FLIGHT);
  }

  public long claimIntervalMs() {
    return getLong(CLAIM_INTERVAL_MS);
  }

  public long claimMinIdleMs() {
    return getLong(CLAIM_MIN_IDLE_MS);
  }

  public int claimCount() {
    return getInt(CLAIM_COUNT);
  }

  public int maxDeliveries() {
    return getInt(MAX_DELIVERIES);
  }

  public int entryMaxBytes() {
    return getInt(ENTRY_MAX_BYTES);
  }

  public boolean removeFinishedConsumers() {
    return getBoolean(REMOVE_FINISHED_CONSUMERS);
  }

  public NameTemplate topicTemplate() {
    return NameTemplate.parse(getString(TOPIC), PLACEHOLDERS);
  }

  public NameTemplate deadLetterTemplate() {
    return DeadLetterConfig.streamTemplate(this, PLACEHOLDERS);
  }

  public KeyMode keyMode() {
    return KeyMode.valueOf(getString(KEY_MODE).trim().toUpperCase(Locale.ROOT));
  }

  public String keyField() {
    return getString(KEY_FIELD);
  }

  public ValueFormat valueFormat() {
    String format = getString(VALUE_FORMAT).trim().toUpperCase(Locale.ROOT);
    if (format.equals("AUTO")) {
      return valueStructFields().isEmpty() ? ValueFormat.MAP : ValueFormat.STRUCT;
    }
    return ValueFormat.valueOf(format);
  }

  public String valueField() {
    return getString(VALUE_FIELD);
  }

  public List<String> valueStructFields() {
    return valueFieldDeclarations().stream().map(FieldDeclaration::name).toList();
  }

  /** The fields value.struct.fields declares, each with its type and whether it is required. */
  public List<FieldDeclaration> valueFieldDeclarations() {
    Map<String, Schema> jsonSchemas = JsonFieldSchemas.parse(getString(VALUE_JSON_SCHEMAS));
    return FieldDeclaration.parseAll(getList(VALUE_STRUCT_FIELDS)).stream()
        .map(field -> field.type().kind() == FieldType.Kind.JSON && jsonSchemas.containsKey(field.name())
            ? new FieldDeclaration(field.name(), field.type().withJsonSchema(jsonSchemas.get(field.name())),
                field.required())
            : field)
        .toList();
  }

  public String valueSchemaName() {
    return getString(VALUE_SCHEMA_NAME).trim();
  }

  /**
   * True when the connector runs exactly-once: Connect's exactly.once.support=required, which makes an
   * exactly-once worker check this connector before running it (and any other worker refuse it).
   */
  public boolean exactlyOnce() {
    Object support = originals().get(CONNECT_EXACTLY_ONCE_SUPPORT);
    return support != null && "required".equalsIgnoreCase(support.toString().trim());
  }

  /** Rules that involve more than one key; each problem names the key to fix. */
  public static Map<String, String> crossFieldProblems(Map<String, String> props) {
    Map<String, String> problems = new java.util.LinkedHashMap<>();
    // Read raw, so this shows even while other keys do not parse.
    boolean listed = !props.getOrDefault(STREAMS, "").isBlank();
    boolean patterned = !props.getOrDefault(STREAMS_PATTERN, "").isBlank();
    if (!listed && !patterned) {
      problems.put(STREAMS, "name at least one stream key to read, or a pattern of them in " + STREAMS_PATTERN);
    } else if (listed && patterned) {
      problems.put(STREAMS_PATTERN, "set either " + STREAMS + " or " + STREAMS_PATTERN + ", not both");
    }
    RedisStreamsSourceConfig config;
    try {
      config = new RedisStreamsSourceConfig(props);
    } catch (ConfigException e) {
      return problems; // single-key errors are reported by ConfigDef itself
    }
    if (config.keyMode() == KeyMode.FIELD && config.keyField().isBlank()) {
      problems.put(KEY_FIELD, "key.mode=field needs the name of the field in key.field");
    }
    ValueFormat format = config.valueFormat();
    if ((format == ValueFormat.STRING || format == ValueFormat.BYTES) && config.valueField().isBlank()) {
      problems.put(VALUE_FIELD, "value.format=" + format.name().toLowerCase(Locale.ROOT)
          + " needs the name of the field in value.field");
    }
    if (format == ValueFormat.MAP) {
      List<String> needSchema = config.valueFieldDeclarations().stream()
          .filter(field -> field.type().temporal() || field.type().kind() == FieldType.Kind.DECIMAL)
          .map(FieldDeclaration::toString).toList();
      if (!needSchema.isEmpty()) {
        problems.put(VALUE_STRUCT_FIELDS, String.join(", ", needSchema) + ": decimal, timestamp and date values "
            + "need a schema to travel, which value.format=map does not give; use value.format=struct");
      }
    }
    jsonSchemaProblem(config, format).ifPresent(problem -> problems.put(VALUE_JSON_SCHEMAS, problem));
    if (format == ValueFormat.STRUCT) {
      List<String> both = config.valueStructFields().stream().filter(config.headerFields()::leavesValue).toList();
      if (!both.isEmpty()) {
        problems.put(HEADER_FIELDS, "header.fields.mode=move takes " + String.join(", ", both) + " out of the value, "
            + "but value.struct.fields declares them too: their struct fields would always be null");
      }
    }
    if (config.readBlockMs() >= config.getInt(RedisConnectionConfig.SOCKET_TIMEOUT_MS)) {
      problems.put(READ_BLOCK_MS, "must be below " + RedisConnectionConfig.SOCKET_TIMEOUT_MS + " ("
          + config.getInt(RedisConnectionConfig.SOCKET_TIMEOUT_MS) + "), or blocking reads time out");
    }
    if (config.claimIntervalMs() > 0 && config.claimMinIdleMs() < 1000) {
      problems.put(CLAIM_MIN_IDLE_MS, "below 1000 ms live consumers' entries would be claimed constantly");
    }
    return problems;
  }

  /** json fields and value.json.schemas must agree: a struct needs a schema per json field, a map none. */
  private static java.util.Optional<String> jsonSchemaProblem(RedisStreamsSourceConfig config, ValueFormat format) {
    Map<String, Schema> schemas = JsonFieldSchemas.parse(config.getString(VALUE_JSON_SCHEMAS));
    List<String> jsonFields = config.valueFieldDeclarations().stream()
        .filter(field -> field.type().kind() == FieldType.Kind.JSON).map(FieldDeclaration::name).toList();
    List<String> undeclared = schemas.keySet().stream().filter(name -> !jsonFields.contains(name)).toList();
    if (!undeclared.isEmpty()) {
      return java.util.Optional.of("schemas for " + String.join(", ", undeclared) + ", which value.struct.fields "
          + "does not declare as json (name:json)");
    }
    if (format == ValueFormat.STRUCT) {
      List<String> missing = jsonFields.stream().filter(name -> !schemas.containsKey(name)).toList();
      if (!missing.isEmpty()) {
        return java.util.Optional.of("no schema for json field " + String.join(", ", missing) + ": a struct value "
            + "needs the Avro schema of each json field here");
      }
    } else if (!schemas.isEmpty()) {
      return java.util.Optional.of("schemas apply to struct values; with value.format="
          + format.name().toLowerCase(Locale.ROOT) + " json fields are schemaless structure: leave this empty");
    }
    return java.util.Optional.empty();
  }

  static final class JsonSchemasValidator implements ConfigDef.Validator {
    @Override
    public void ensureValid(String name, Object value) {
      try {
        JsonFieldSchemas.parse((String) value);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(name, value, e.getMessage());
      }
    }

    @Override
    public String toString() {
      return "a JSON object from json field name to Avro schema, or the path of a file holding it";
    }
  }

  static final class StreamListValidator implements ConfigDef.Validator {
    @Override
    public void ensureValid(String name, Object value) {
      @SuppressWarnings("unchecked")
      List<String> streams = (List<String>) value;
      if (streams == null) {
        throw new ConfigException(name, value, "expected a list of stream keys");
      }
      if (streams.stream().anyMatch(s -> s.isBlank())) {
        throw new ConfigException(name, value, "stream keys must not be empty");
      }
      if (Set.copyOf(streams.stream().map(String::trim).toList()).size() != streams.size()) {
        throw new ConfigException(name, value, "a stream is listed twice");
      }
    }

    @Override
    public String toString() {
      return "list of distinct stream keys";
    }
  }

  static final class StartIdValidator implements ConfigDef.Validator {
    @Override
    public void ensureValid(String name, Object value) {
      String id = value == null ? "" : value.toString().trim();
      if (!"$".equals(id) && !ENTRY_ID.matcher(id).matches()) {
        throw new ConfigException(name, value, "must be $, 0 or an entry ID like 1709234567890-0");
      }
    }

    @Override
    public String toString() {
      return "$, 0 or an entry ID";
    }
  }

  static final class StructFieldsValidator implements ConfigDef.Validator {
    @Override
    public void ensureValid(String name, Object value) {
      @SuppressWarnings("unchecked")
      List<String> fields = (List<String>) value;
      try {
        FieldDeclaration.parseAll(fields);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(name, value, e.getMessage());
      }
    }

    @Override
    public String toString() {
      return "declarations name[:type][!] (Avro field names)";
    }
  }
}
