package io.redisbridge.source;

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

  static void ensureGroups(UnifiedJedis redis, List<String> streams, String group, StreamEntryID startId) {
    for (String stream : streams) {
      try {
        redis.xgroupCreate(stream, group, startId, true);
        log.info("Created consumer group {} on stream {} starting at {}", group, stream, startId);
      } catch (JedisDataException e) {
        if (e.getMessage() == null || !e.getMessage().startsWith("BUSYGROUP")) {
          throw e;
        }
        log.debug("Consumer group {} already exists on stream {}", group, stream);
      }
    }
  }
}
