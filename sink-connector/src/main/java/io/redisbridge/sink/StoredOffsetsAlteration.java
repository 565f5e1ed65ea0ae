package io.redisbridge.sink;

import io.redisbridge.common.config.RedisConnectionConfig;
import io.redisbridge.common.redis.RedisClients;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.ScanIteration;
import redis.clients.jedis.UnifiedJedis;

/**
 * Carries an alteration or reset through Connect's offsets API (connector stopped) into the offsets an
 * exactly-once sink keeps in Redis, since those, not Kafka's, decide where the tasks resume: a rewind
 * then really writes the records again, and a reset starts where the consumer group's reset starts.
 * With ${key} in the stream template a partition's streams are found by scanning for offset hashes.
 */
final class StoredOffsetsAlteration {

  private static final Logger log = LoggerFactory.getLogger(StoredOffsetsAlteration.class);

  private StoredOffsetsAlteration() {}

  static void apply(Map<String, String> connectorConfig, Map<TopicPartition, Long> offsets) {
    RedisStreamsSinkConfig config = new RedisStreamsSinkConfig(connectorConfig);
    if (!config.exactlyOnce() || offsets.isEmpty()) {
      return;
    }
    String connector = connectorConfig.getOrDefault("name", "redis-streams-sink");
    RecordFieldMapper mapper = new RecordFieldMapper(config);
    try (UnifiedJedis redis = RedisClients.create(RedisConnectionConfig.read(config))) {
      List<String> keys = mapper.streamUsesKey() ? offsetHashes(redis, connector) : null;
      for (Map.Entry<TopicPartition, Long> change : offsets.entrySet()) {
        TopicPartition partition = change.getKey();
        List<String> targets = keys != null ? keys
            : List.of(StreamOffsetStore.keyOf(mapper.streamOf(partition.topic(), partition.partition()), connector)
                .orElseThrow(() -> new ConnectException("the stream of " + partition + " cannot have an offsets key")));
        String field = StreamOffsetStore.field(partition);
        for (String key : targets) {
          if (change.getValue() == null) {
            redis.hdel(key, field);
          } else {
            redis.hset(key, field, Long.toString(change.getValue()));
          }
        }
        log.info("Sink connector {}: stored offset of {} {} in {}", connector, partition,
            change.getValue() == null ? "reset" : "set to " + change.getValue(), targets);
      }
    } catch (RuntimeException e) {
      if (e instanceof ConnectException) {
        throw e;
      }
      throw new ConnectException("Could not change the offsets stored in Redis for sink connector " + connector
          + ": " + e.getMessage(), e);
    }
  }

  /** Every offsets hash of this connector, on every node. */
  private static List<String> offsetHashes(UnifiedJedis redis, String connector) {
    Set<String> keys = new HashSet<>();
    ScanIteration scan = redis.scanIteration(1000, "*" + globEscaped(StreamOffsetStore.KEY_INFIX + connector), "hash");
    while (!scan.isIterationCompleted()) {
      keys.addAll(scan.nextBatchList());
    }
    return new ArrayList<>(keys);
  }

  private static String globEscaped(String text) {
    return text.replaceAll("([\\\\*?\\[\\]])", "\\\\$1");
  }
}
