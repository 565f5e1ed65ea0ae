package io.redisbridge.source;

import io.redisbridge.common.retry.RedisStallWatch;
import io.redisbridge.source.read.ConsumerGroupSetup;
import io.redisbridge.source.read.ConsumerIdentity;
import io.redisbridge.source.read.DeletedStreams;
import io.redisbridge.source.read.StreamReader;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.UnifiedJedis;

/**
 * The streams a task reads, and what keeps it reading when they are deleted under it. A listed stream is
 * read whatever happens to it, so it gets its group back; a stream found by a pattern is dropped, and the
 * next scan reconfigures the tasks without it. Either way its pending entries went with it.
 */
final class TaskStreams {

  private static final Logger log = LoggerFactory.getLogger(TaskStreams.class);

  private final RedisStreamsSourceTaskConfig config;
  private final UnifiedJedis redis;
  private final ConsumerIdentity identity;
  private final List<String> activeStreams;
  private final StreamReader reader;
  private final RedisStallWatch watch;

  TaskStreams(RedisStreamsSourceTaskConfig config, UnifiedJedis redis, ConsumerIdentity identity, StreamReader reader,
      RedisStallWatch watch) {
    this.config = config;
    this.redis = redis;
    this.identity = identity;
    this.activeStreams = new ArrayList<>(config.streams());
    this.reader = reader;
    this.watch = watch;
  }

  /**
   * The task's streams that still exist, a live view: the delivery mode's recovery and the group stats read
   * it as streams go.
   */
  List<String> active() {
    return activeStreams;
  }

  /** Creates the group where it is missing; before the first read. */
  void createGroups() {
    // A stream found by a pattern may be gone by now: creating it again would bring it back, empty.
    List<String> missing = watch.call("XGROUP CREATE", () -> ConsumerGroupSetup.ensureGroups(redis,
        config.streams(), config.consumerGroup(), config.groupStartId(), config.streamsPattern().isEmpty()));
    if (!missing.isEmpty()) {
      forget(missing);
    }
  }

  /**
   * After a command failed as if a stream were missing: deals with the streams that are gone, and says so
   * once for each; false when none is (then the failure has another cause, e.g. a destroyed group).
   */
  boolean recoverDeleted() {
    List<String> gone;
    try {
      gone = watch.call("EXISTS", () -> DeletedStreams.among(redis, activeStreams));
    } catch (RuntimeException e) {
      return false; // Redis cannot say now; the failure takes its usual path
    }
    if (gone.isEmpty()) {
      return false;
    }
    if (config.streamsPattern().isEmpty()) {
      // All a listed stream holds once it is back is new: read it from its start.
      watch.run("XGROUP CREATE", () -> ConsumerGroupSetup.ensureGroups(redis, gone, config.consumerGroup(),
          new StreamEntryID(0, 0), true));
      gone.forEach(stream -> log.warn("Stream {} was deleted while {} read it; its pending entries went with "
          + "it. The task made the group again and reads the stream from its start", stream, identity));
    } else {
      forget(gone);
    }
    reader.replayHistory();
    return true;
  }

  private void forget(List<String> gone) {
    activeStreams.removeAll(gone);
    reader.forget(gone);
    for (String stream : gone) {
      log.warn("Stream {} was deleted while {} read it; its pending entries went with it. The task reads its "
          + "other {} streams", stream, identity, activeStreams.size());
    }
  }
}
