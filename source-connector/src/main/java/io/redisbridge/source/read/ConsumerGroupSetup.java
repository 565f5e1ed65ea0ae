package io.redisbridge.source.read;

import io.redisbridge.common.retry.RedisErrors;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;

/** Creates the consumer group on each stream where it is missing; an existing group is left as it is. */
public final class ConsumerGroupSetup {

  private static final Logger log = LoggerFactory.getLogger(ConsumerGroupSetup.class);

  private ConsumerGroupSetup() {}

  /**
   * Creates the group where it is missing, and the stream too when {@code createStreams}.
   *
   * @return the streams that do not exist, when not {@code createStreams}
   */
  public static List<String> ensureGroups(UnifiedJedis redis, List<String> streams, String group, StreamEntryID startId,
      boolean createStreams) {
    List<String> missing = new ArrayList<>();
    List<String> created = new ArrayList<>();
    for (String stream : streams) {
      try {
        redis.xgroupCreate(stream, group, startId, createStreams);
        created.add(stream);
      } catch (JedisDataException e) {
        String message = String.valueOf(e.getMessage());
        if (!createStreams && DeletedStreams.isMissingKey(message)) {
          missing.add(stream);
        } else if (message.startsWith("BUSYGROUP")
            || (RedisErrors.isOutOfMemory(e) && groupExists(redis, stream, group))) {
          // Out of memory, Redis refuses XGROUP CREATE before it looks for the group: a group that exists
          // needs nothing more, and a task restarted under maxmemory must not wait for memory it does not need.
          log.debug("Consumer group {} already exists on stream {}", group, stream);
        } else {
          throw e;
        }
      }
    }
    if (!created.isEmpty()) {
      log.info("Created consumer group {} on streams {} starting at {}", group, StreamNames.brief(created), startId);
    }
    return missing;
  }

  private static boolean groupExists(UnifiedJedis redis, String stream, String group) {
    try {
      return redis.xinfoGroups(stream).stream().anyMatch(info -> group.equals(info.getName()));
    } catch (JedisDataException e) {
      return false; // no such stream yet
    }
  }
}
