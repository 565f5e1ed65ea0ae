package io.redisbridge.source.metrics;

import io.redisbridge.source.read.StreamNames;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.resps.StreamGroupInfo;

/**
 * The consumer group's pending count and lag on each stream, as {@code XINFO GROUPS} reports them (lag
 * needs Redis 7 and can be unknown after deletions), sampled on the poll thread at most every
 * {@link #INTERVAL_MS}, never per record. A user without {@code +xinfo|groups} gets no samples and one
 * warning, not a failing task.
 */
public final class StreamGroupStats {

  private static final Logger log = LoggerFactory.getLogger(StreamGroupStats.class);
  static final long INTERVAL_MS = 10_000;

  /** One stream's last sample; lag is null when Redis does not know it. */
  record Sample(long pending, Long lag) {}

  private final UnifiedJedis redis;
  /** The task's streams still there: the poller's own list, from which it removes deleted ones. */
  private final List<String> streams;
  private final String group;
  private final Clock clock;
  private volatile Map<String, Sample> samples = Map.of();
  private long nextAt;
  private boolean refused;

  public StreamGroupStats(UnifiedJedis redis, List<String> streams, String group, Clock clock) {
    this.redis = redis;
    this.streams = streams;
    this.group = group;
    this.clock = clock;
  }

  /** Samples every stream when the interval has passed; Redis failures leave the last samples. */
  public void sampleWhenDue() {
    long now = clock.millis();
    if (refused || now < nextAt) {
      return;
    }
    nextAt = now + INTERVAL_MS;
    Map<String, Sample> fresh = new HashMap<>();
    try {
      for (String stream : streams) {
        for (StreamGroupInfo info : redis.xinfoGroups(stream)) {
          if (info.getName().equals(group)) {
            Object lag = info.getGroupInfo().get("lag");
            fresh.put(stream, new Sample(info.getPending(), lag instanceof Number number ? number.longValue() : null));
          }
        }
      }
    } catch (JedisDataException e) {
      if (String.valueOf(e.getMessage()).toUpperCase(Locale.ROOT).contains("NOPERM")) {
        refused = true;
        log.warn("Group {} on streams {}: no pending and lag metrics, the Redis user may not run XINFO GROUPS "
            + "(grant +xinfo|groups): {}", group, StreamNames.brief(streams), e.getMessage());
      }
      return;
    } catch (RuntimeException e) {
      return; // Redis is away: the poll loop reports that; keep the last samples
    }
    samples = Map.copyOf(fresh);
  }

  /** The last sample of {@code stream}, or null before the first. */
  Sample of(String stream) {
    return samples.get(stream);
  }
}
