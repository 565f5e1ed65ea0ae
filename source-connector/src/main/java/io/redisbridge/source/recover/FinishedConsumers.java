package io.redisbridge.source.recover;

import io.redisbridge.common.retry.RedisErrors;
import io.redisbridge.source.read.ConsumerIdentity;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.resps.StreamConsumerInfo;

/**
 * Removes consumers no task runs any more (tasks.max lowered, streams moved to other tasks, a renamed
 * connector) from the group once nothing is pending for them, so {@code XINFO CONSUMERS} shows the
 * consumers that work. A consumer goes only when it has no pending entries and has been idle for
 * {@code redis.claim.min.idle.ms}, and never one of this connector's tasks that read the stream. Idle is
 * since the consumer's last read on Redis 7.2 and later, since its last delivery before: there a live
 * consumer of another application on a quiet stream may go too, which costs it nothing (Redis makes it
 * again when it next gets entries). The check and the {@code XGROUP DELCONSUMER} run in one script, so an
 * entry delivered to the consumer between a look and the delete cannot be dropped with it. Runs on the
 * task's poll thread after each recovery pass over a stream.
 */
final class FinishedConsumers {

  private static final Logger log = LoggerFactory.getLogger(FinishedConsumers.class);

  /** Deletes consumer ARGV[2] of group ARGV[1] if it has no pending entries and is idle for ARGV[3] ms. */
  private static final String DELETE_IF_FINISHED = String.join("\n",
      "for _, consumer in ipairs(redis.call('XINFO', 'CONSUMERS', KEYS[1], ARGV[1])) do",
      "  local info = {}",
      "  for i = 1, #consumer, 2 do info[consumer[i]] = consumer[i + 1] end",
      "  if info['name'] == ARGV[2] then",
      "    if info['pending'] == 0 and info['idle'] >= tonumber(ARGV[3]) then",
      "      redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], ARGV[2])",
      "      return 1",
      "    end",
      "    return 0",
      "  end",
      "end",
      "return 0");

  private final UnifiedJedis redis;
  private final ConsumerIdentity self;
  private final long minIdleMs;
  private boolean enabled;

  FinishedConsumers(UnifiedJedis redis, ConsumerIdentity self, long minIdleMs, boolean enabled) {
    this.redis = redis;
    this.self = self;
    this.minIdleMs = minIdleMs;
    this.enabled = enabled;
  }

  /** Removes the finished consumers of {@code stream}'s group, never this task's own or one in {@code keep}. */
  void removeFrom(String stream, Set<String> keep) {
    if (!enabled) {
      return;
    }
    List<StreamConsumerInfo> consumers;
    try {
      consumers = redis.xinfoConsumers2(stream, self.group());
    } catch (JedisDataException e) {
      if (RedisErrors.isTransient(e)) {
        throw e;
      }
      if (String.valueOf(e.getMessage()).startsWith("NOPERM")) {
        stop(stream, e);
      }
      return; // else no such key or group (any more): no consumers to remove
    }
    for (StreamConsumerInfo consumer : consumers) {
      String name = consumer.getName();
      if (name.equals(self.consumer()) || keep.contains(name) || consumer.getPending() > 0
          || consumer.getIdle() < minIdleMs) {
        continue;
      }
      boolean removed;
      try {
        removed = removeIfFinished(stream, name);
      } catch (JedisDataException e) {
        if (RedisErrors.isTransient(e)) {
          throw e;
        }
        stop(stream, e);
        return;
      }
      if (removed) {
        log.info("Removed consumer {} from group {} on stream {}: no task runs it, nothing is pending for it, "
            + "idle for {} ms ({})", name, self.group(), stream, consumer.getIdle(), self);
      }
    }
  }

  private void stop(String stream, JedisDataException e) {
    enabled = false;
    log.warn("Cannot remove finished consumers from group {} on stream {} ({}): {}. They stay in XINFO "
        + "CONSUMERS; allow XINFO CONSUMERS, EVAL and XGROUP DELCONSUMER, or set "
        + "redis.consumer.remove.finished=false", self.group(), stream, self, e.getMessage());
  }

  /** Deletes {@code consumer} if, at that moment, nothing is pending for it and it has been idle long enough. */
  boolean removeIfFinished(String stream, String consumer) {
    return Long.valueOf(1).equals(redis.eval(DELETE_IF_FINISHED, List.of(stream),
        List.of(self.group(), consumer, Long.toString(minIdleMs))));
  }
}
