package io.redisbridge.sink;

import io.redisbridge.common.config.DeadLetterConfig;
import io.redisbridge.common.config.NameList;
import io.redisbridge.common.config.NonBlankString;
import io.redisbridge.common.config.RedisConnectionConfig;
import io.redisbridge.common.config.RetryConfig;
import io.redisbridge.common.config.TemplateValidator;
import io.redisbridge.common.config.TrimmedString;
import io.redisbridge.common.mapping.TemporalFormat;
import io.redisbridge.common.template.NameTemplate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;

/** The sink connector's configuration: shared fragments from common plus stream, trimming and mapping keys. */
public final class RedisStreamsSinkConfig extends AbstractConfig {

  public static final String STREAM_GROUP = "Stream";
  public static final String STREAM = "redis.stream";
  public static final String NOMKSTREAM = "redis.stream.nomkstream";
  public static final String STREAM_TTL_MS = "redis.stream.ttl.ms";

  public static final String TRIM_GROUP = "Trimming";
  public static final String TRIM_STRATEGY = "trim.strategy";
  public static final String TRIM_MAXLEN = "trim.maxlen";
  public static final String TRIM_EXACT = "trim.exact";
  public static final String TRIM_RETENTION_MS = "trim.retention.ms";
  public static final String TRIM_LIMIT = "trim.limit";

  public static final String MAPPING_GROUP = "Mapping";
  public static final String VALUE_FIELD_NAME = "value.field.name";
  public static final String VALUE_EXPAND_FIELD = "value.expand.field";
  public static final String TEMPORAL_FORMAT = "temporal.format";
  public static final String KEY_FIELD_NAME = "key.field.name";
  public static final String HEADERS = "headers.include";
  public static final String HEADERS_PREFIX = "headers.prefix";
  public static final String METADATA_FIELDS = "metadata.fields";
  public static final String TOMBSTONES = "tombstones";
  public static final String TOMBSTONE_FIELD = "tombstone.field";

  public static final String DELIVERY_GROUP = "Delivery";
  public static final String EXACTLY_ONCE = "exactly.once.enabled";
  public static final String ENTRY_ID_HEADER = "entry.id.header";
  public static final String WAIT_REPLICAS = "redis.wait.replicas";
  public static final String WAIT_TIMEOUT_MS = "redis.wait.timeout.ms";

  public static final String GUARD_GROUP = "Memory guard";
  public static final String MEMORY_GUARD_RATIO = "memory.guard.max.ratio";
  public static final String MEMORY_GUARD_INTERVAL_MS = "memory.guard.check.interval.ms";

  /** Placeholders the stream and dead-letter templates may use. */
  public static final Set<String> PLACEHOLDERS = Set.of("topic", "partition", "key");

  /** How a stream is kept from growing without bound. */
  public enum TrimStrategy { NONE, MAXLEN, MINID }

  /** What a record with a null value (a tombstone) becomes. */
  public enum TombstonePolicy { SKIP, WRITE }

  public RedisStreamsSinkConfig(Map<String, String> props) {
    super(definition(), props);
  }

  public static ConfigDef definition() {
    ConfigDef def = new ConfigDef();
    RedisConnectionConfig.addTo(def);
    int order = 0;
    def.define(STREAM, Type.STRING, "${topic}", new TemplateValidator(PLACEHOLDERS, false), Importance.HIGH,
            "Stream key each record is added to (XADD). Placeholders: ${topic}, ${partition}, ${key} (the "
                + "record key as text; a record without a key then fails to route).",
            STREAM_GROUP, ++order, Width.MEDIUM, "Stream")
        .define(NOMKSTREAM, Type.BOOLEAN, false, Importance.LOW,
            "Add NOMKSTREAM: never create a stream; a record for a stream that does not exist is a failed "
                + "record (dead letter or task failure).",
            STREAM_GROUP, ++order, Width.SHORT, "Do not create streams");

    order = 0;
    def.define(TRIM_STRATEGY, Type.STRING, "maxlen", ConfigDef.CaseInsensitiveValidString.in("none", "maxlen", "minid"),
            Importance.HIGH,
            "How each XADD trims its stream: none; maxlen, keep about trim.maxlen entries (MAXLEN ~, or = with "
                + "trim.exact); minid, drop entries older than trim.retention.ms (MINID ~ <now - retention>).",
            TRIM_GROUP, ++order, Width.SHORT, "Trim strategy")
        .define(STREAM_TTL_MS, Type.LONG, 0L, ConfigDef.Range.atLeast(0), Importance.MEDIUM,
            "Expire each stream this long (in milliseconds) after the sink last wrote to it: every batch "
                + "sends PEXPIRE in the same round trip as its XADDs (in the same MULTI/EXEC with "
                + "exactly.once.enabled, where the stream's stored offsets expire with it). For the one stream "
                + "per key of a ${key} template (per customer, per device), which otherwise live forever. "
                + "0: streams never expire.",
            STREAM_GROUP, ++order, Width.SHORT, "Stream TTL (ms)")
        .define(TRIM_MAXLEN, Type.LONG, 1_000_000L, ConfigDef.Range.atLeast(0), Importance.MEDIUM,
            "Length to trim to with trim.strategy=maxlen. Approximate trimming keeps at least this many.",
            TRIM_GROUP, ++order, Width.SHORT, "Max length")
        .define(TRIM_EXACT, Type.BOOLEAN, false, Importance.LOW,
            "Trim exactly (MAXLEN = / MINID =) instead of approximately (~). Exact trimming costs more CPU "
                + "in Redis on every XADD.",
            TRIM_GROUP, ++order, Width.SHORT, "Exact trimming")
        .define(TRIM_RETENTION_MS, Type.LONG, 86_400_000L, ConfigDef.Range.atLeast(1), Importance.MEDIUM,
            "With trim.strategy=minid: entries whose ID time is older than this many milliseconds are trimmed.",
            TRIM_GROUP, ++order, Width.SHORT, "Retention (ms)")
        .define(TRIM_LIMIT, Type.LONG, 0L, ConfigDef.Range.atLeast(0), Importance.LOW,
            "LIMIT for approximate trimming: the most entries one XADD may evict. 0 leaves Redis's default.",
            TRIM_GROUP, ++order, Width.SHORT, "Trim limit");

    order = 0;
    def.define(VALUE_FIELD_NAME, Type.STRING, "value", new NonBlankString(), Importance.MEDIUM,
            "Field that holds a String, bytes or other non-structured record value. Struct and Map values "
                + "become one field per top-level entry instead.",
            MAPPING_GROUP, ++order, Width.SHORT, "Value field name")
        .define(VALUE_EXPAND_FIELD, Type.STRING, "fields", new TrimmedString(), Importance.LOW,
            "A top-level Struct or Map field of this name that holds a map is written as one entry field per "
                + "map entry, not as one JSON field: the source connector's struct value keeps the entry fields "
                + "that value.struct.fields does not declare in such a map, named 'fields', so a source chained "
                + "to this sink gives back the entry's fields. Empty: every nested value is written as JSON.",
            MAPPING_GROUP, ++order, Width.SHORT, "Expanded map field")
        .define(TEMPORAL_FORMAT, Type.STRING, "iso", ConfigDef.CaseInsensitiveValidString.in("iso", "epoch_millis"),
            Importance.LOW,
            "How Date, Time and Timestamp values are written: iso (2024-03-01, 13:45:00.250, "
                + "2024-03-01T13:45:00.250Z) or epoch_millis. Decimals are always plain decimal strings.",
            MAPPING_GROUP, ++order, Width.SHORT, "Temporal format")
        .define(KEY_FIELD_NAME, Type.STRING, "", new TrimmedString(), Importance.MEDIUM,
            "When set, the record key is written to a field of this name (Struct/Map keys as JSON).",
            MAPPING_GROUP, ++order, Width.SHORT, "Key field name")
        .define(HEADERS, Type.LIST, "", new NameList(), Importance.LOW,
            "Record headers to copy into fields, by name; each becomes a field headers.prefix + name.",
            MAPPING_GROUP, ++order, Width.LONG, "Headers to include")
        .define(HEADERS_PREFIX, Type.STRING, "header.", new TrimmedString(), Importance.LOW,
            "Prefix of the fields that hold copied headers.",
            MAPPING_GROUP, ++order, Width.SHORT, "Header field prefix")
        .define(METADATA_FIELDS, Type.BOOLEAN, false, Importance.LOW,
            "Add fields kafka.topic, kafka.partition, kafka.offset and kafka.timestamp to every entry.",
            MAPPING_GROUP, ++order, Width.SHORT, "Metadata fields")
        .define(TOMBSTONES, Type.STRING, "skip", ConfigDef.CaseInsensitiveValidString.in("skip", "write"),
            Importance.MEDIUM,
            "Records with a null value: skip them (counted in the periodic log line) or write an entry with "
                + "tombstone.field=true (plus the key field and headers when configured).",
            MAPPING_GROUP, ++order, Width.SHORT, "Tombstones")
        .define(TOMBSTONE_FIELD, Type.STRING, "tombstone", new NonBlankString(), Importance.LOW,
            "Field that marks an entry written for a tombstone.",
            MAPPING_GROUP, ++order, Width.SHORT, "Tombstone field");

    order = 0;
    def.define(EXACTLY_ONCE, Type.BOOLEAN, false, Importance.HIGH,
            "Write every record exactly once, even across crashes, restarts and rebalances: each batch's XADDs "
                + "to a stream and the Kafka offsets they cover are written in one MULTI/EXEC, the offsets into "
                + "a hash next to the stream ({<stream>}:kafka-offsets:<connector name>, same cluster slot), "
                + "and records at or below the stored offsets are skipped. false: at-least-once, where a "
                + "crash can write a record twice.",
            DELIVERY_GROUP, ++order, Width.SHORT, "Exactly once")
        .define(ENTRY_ID_HEADER, Type.STRING, "", new TrimmedString(), Importance.MEDIUM,
            "Header that holds the entry ID to write (XADD <stream> <id>), e.g. redis.entry.id, which the "
                + "source connector sets: a Redis -> Kafka -> Redis mirror then keeps the original IDs, and "
                + "Redis refuses an entry written twice (an ID not above the stream's last one); such a refusal "
                + "counts as already written. Empty: Redis assigns IDs (*).",
            DELIVERY_GROUP, ++order, Width.MEDIUM, "Entry ID header")
        .define(WAIT_REPLICAS, Type.INT, 0, ConfigDef.Range.between(0, 100), Importance.MEDIUM,
            "After each batch, WAIT until this many replicas have its writes, so a failover cannot lose a "
                + "batch whose Kafka offsets were committed. A batch that fewer replicas acknowledge within "
                + "redis.wait.timeout.ms is retried like any transient failure (its entries may then be written "
                + "twice, unless exactly.once.enabled) and counted. 0: do not wait.",
            DELIVERY_GROUP, ++order, Width.SHORT, "Wait for replicas")
        .define(WAIT_TIMEOUT_MS, Type.LONG, 1_000L, ConfigDef.Range.between(1, 600_000), Importance.LOW,
            "How long WAIT waits for redis.wait.replicas replicas, in milliseconds. The batch's reads then "
                + "have redis.socket.timeout.ms plus this as their deadline.",
            DELIVERY_GROUP, ++order, Width.SHORT, "Wait timeout (ms)");

    DeadLetterConfig.addTo(def, "", PLACEHOLDERS,
        "Stream that receives records that cannot be converted or written, with their fields (or raw "
            + "value) plus topic, partition, offset and reason. Empty: no Redis dead-letter stream (use "
            + "Connect's errors.deadletterqueue.topic.name, or the task fails on such a record).", true);

    order = 0;
    def.define(MEMORY_GUARD_RATIO, Type.DOUBLE, 0.0, ConfigDef.Range.between(0.0, 1.0), Importance.MEDIUM,
            "Pause writes (retry with backoff) while Redis used_memory is above this share of maxmemory, "
                + "e.g. 0.9. 0 turns the guard off; it also does nothing when Redis has no maxmemory.",
            GUARD_GROUP, ++order, Width.SHORT, "Max memory share")
        .define(MEMORY_GUARD_INTERVAL_MS, Type.LONG, 1_000L, ConfigDef.Range.atLeast(100), Importance.LOW,
            "How often the memory guard reads INFO memory, in milliseconds.",
            GUARD_GROUP, ++order, Width.SHORT, "Memory check interval (ms)");

    RetryConfig.addTo(def);
    return def;
  }

  public NameTemplate streamTemplate() {
    return NameTemplate.parse(getString(STREAM), PLACEHOLDERS);
  }

  public boolean noMkStream() {
    return getBoolean(NOMKSTREAM);
  }

  /** How long a stream lives after its last write; 0: for ever. */
  public long streamTtlMs() {
    return getLong(STREAM_TTL_MS);
  }

  public TrimStrategy trimStrategy() {
    return TrimStrategy.valueOf(getString(TRIM_STRATEGY).trim().toUpperCase(Locale.ROOT));
  }

  public long trimMaxLen() {
    return getLong(TRIM_MAXLEN);
  }

  public boolean trimExact() {
    return getBoolean(TRIM_EXACT);
  }

  public long trimRetentionMs() {
    return getLong(TRIM_RETENTION_MS);
  }

  public long trimLimit() {
    return getLong(TRIM_LIMIT);
  }

  public String valueFieldName() {
    return getString(VALUE_FIELD_NAME);
  }

  /** The top-level map field written as fields of their own; empty for none. */
  public String valueExpandField() {
    return getString(VALUE_EXPAND_FIELD).trim();
  }

  public TemporalFormat temporalFormat() {
    return TemporalFormat.valueOf(getString(TEMPORAL_FORMAT).trim().toUpperCase(Locale.ROOT));
  }

  public String keyFieldName() {
    return getString(KEY_FIELD_NAME);
  }

  public List<String> includedHeaders() {
    return getList(HEADERS).stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  public String headersPrefix() {
    return getString(HEADERS_PREFIX);
  }

  public boolean metadataFields() {
    return getBoolean(METADATA_FIELDS);
  }

  public TombstonePolicy tombstonePolicy() {
    return TombstonePolicy.valueOf(getString(TOMBSTONES).trim().toUpperCase(Locale.ROOT));
  }

  public String tombstoneField() {
    return getString(TOMBSTONE_FIELD);
  }

  public NameTemplate deadLetterTemplate() {
    return DeadLetterConfig.streamTemplate(this, PLACEHOLDERS);
  }

  public boolean exactlyOnce() {
    return getBoolean(EXACTLY_ONCE);
  }

  /** The header holding the entry ID to write, or null when Redis assigns IDs. */
  public int waitReplicas() {
    return getInt(WAIT_REPLICAS);
  }

  public long waitTimeoutMs() {
    return getLong(WAIT_TIMEOUT_MS);
  }

  public String entryIdHeader() {
    String header = getString(ENTRY_ID_HEADER);
    return header.isEmpty() ? null : header;
  }

  public double memoryGuardRatio() {
    return getDouble(MEMORY_GUARD_RATIO);
  }

  public long memoryGuardIntervalMs() {
    return getLong(MEMORY_GUARD_INTERVAL_MS);
  }

  /** Rules that involve more than one key; each problem names the key to fix. */
  public static Map<String, String> crossFieldProblems(Map<String, String> props) {
    Map<String, String> problems = new LinkedHashMap<>();
    RedisStreamsSinkConfig config;
    try {
      config = new RedisStreamsSinkConfig(props);
    } catch (ConfigException e) {
      return problems;
    }
    if (config.trimStrategy() == TrimStrategy.MAXLEN && config.trimMaxLen() == 0 && !config.trimExact()) {
      problems.put(TRIM_MAXLEN, "trim.maxlen=0 with approximate trimming keeps nothing predictable; "
          + "use trim.strategy=none or a positive length");
    }
    if (config.trimLimit() > 0 && config.trimExact()) {
      problems.put(TRIM_LIMIT, "LIMIT only applies to approximate trimming; unset trim.exact or trim.limit");
    }
    if (config.trimLimit() > 0 && config.trimStrategy() == TrimStrategy.NONE) {
      problems.put(TRIM_LIMIT, "trim.limit needs trim.strategy maxlen or minid");
    }
    return problems;
  }
}
