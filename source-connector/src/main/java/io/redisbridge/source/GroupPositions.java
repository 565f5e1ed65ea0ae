package io.redisbridge.source;

import io.redisbridge.common.config.RedisConnectionConfig;
import io.redisbridge.common.redis.RedisClients;
import io.redisbridge.source.map.SourceOffsets;
import io.redisbridge.source.discover.StreamDiscovery;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.connect.errors.ConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Carries Connect's offsets API into Redis: the consumer group, not Connect's offsets, decides where
 * reading resumes, so altering a stream's offset (connector stopped) moves the group there with
 * {@code XGROUP SETID}, and resetting moves it back to {@code redis.consumer.group.start.id} (a task's
 * progress partition names no stream, so its reset moves every stream of the connector). Connect then
 * stores the new offsets itself, which exactly-once keeps consistent: a pending entry at or below its
 * consumer's offset counts as in Kafka.
 */
final class GroupPositions {

  private static final Logger log = LoggerFactory.getLogger(GroupPositions.class);

  private GroupPositions() {}

  /** A stream's consumer group. */
  private record StreamGroup(String stream, String group) {}

  static void apply(Map<String, String> connectorConfig, Map<Map<String, ?>, Map<String, ?>> offsets) {
    offsets.forEach(SourceOffsets::validate);
    RedisStreamsSourceConfig config = new RedisStreamsSourceConfig(connectorConfig);
    Map<StreamGroup, StreamEntryID> targets = new LinkedHashMap<>();
    Set<String> resetGroups = new LinkedHashSet<>();
    offsets.forEach((partition, offset) -> {
      String group = (String) partition.get(SourceOffsets.GROUP);
      String stream = SourceOffsets.streamOf(partition, offset);
      if (stream == null) {
        // A task's progress reset: it names no stream, so every stream of the connector goes back.
        resetGroups.add(group);
        return;
      }
      StreamGroup key = new StreamGroup(stream, group);
      StreamEntryID target = offset == null ? config.groupStartId() : SourceOffsets.entryId(offset);
      StreamEntryID earlier = targets.putIfAbsent(key, target);
      if (earlier != null && !earlier.equals(target)) {
        throw new ConnectException("Offsets for stream " + key.stream() + " group " + key.group()
            + " name different entry IDs (" + earlier + " and " + target + "); a consumer group has one "
            + "position, so give every partition of it the same offset");
      }
    });
    if (targets.isEmpty() && resetGroups.isEmpty()) {
      return;
    }
    try (UnifiedJedis redis = RedisClients.create(RedisConnectionConfig.read(config))) {
      if (!resetGroups.isEmpty()) {
        List<String> streams = config.streams().isEmpty() ? List.copyOf(StreamDiscovery.find(redis,
            config.streamsPattern())) : config.streams();
        for (String group : resetGroups) {
          streams.forEach(stream -> targets.putIfAbsent(new StreamGroup(stream, group), config.groupStartId()));
        }
      }
      targets.forEach((key, target) -> {
        try {
          redis.xgroupSetID(key.stream(), key.group(), target);
        } catch (JedisDataException e) {
          if (e.getMessage() == null || !e.getMessage().startsWith("NOGROUP")) {
            throw e;
          }
          redis.xgroupCreate(key.stream(), key.group(), target, true);
        }
        log.info("Moved consumer group {} on stream {} to {} through the offsets API", key.group(), key.stream(),
            target);
      });
    } catch (JedisDataException e) {
      throw new ConnectException("Redis refused to move the consumer group: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      if (e instanceof ConnectException) {
        throw e;
      }
      throw new ConnectException("Could not move the consumer group in Redis: " + e.getMessage(), e);
    }
  }
}
