package io.redisbridge.source;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;

/** Creates the consumer group on each stream where it is missing; an existing group is left as it is. */
final class ConsumerGroupSetup {

  private static final Logger log = LoggerFactory.getLogger(ConsumerGroupSetup.class);

  private ConsumerGroupSetup() {}

  /**
   * Creates the group where it is missing, and the stream too when {@code createStreams}.
   *
   * @return the streams that do not exist, when not {@code createStreams}
   */
  static List<String> ensureGroups(UnifiedJedis redis, List<String> streams, String group, StreamEntryID startId,
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
        } else if (!message.startsWith("BUSYGROUP")) {
          throw e;
        } else {
          log.debug("Consumer group {} already exists on stream {}", group, stream);
        }
      }
    }
    if (!created.isEmpty()) {
      log.info("Created consumer group {} on streams {} starting at {}", group, StreamNames.brief(created), startId);
    }
    return missing;
  }
}
