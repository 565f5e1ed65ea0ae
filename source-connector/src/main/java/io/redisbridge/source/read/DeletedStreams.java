package io.redisbridge.source.read;

import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Tells a stream deleted while the task reads it from other failures. Redis answers a read, claim or
 * group command on a missing key with NOGROUP (or, for XGROUP CREATE without MKSTREAM, "requires the key
 * to exist"; for a read blocked on it, UNBLOCKED), and fails the whole command, other streams included.
 */
public final class DeletedStreams {

  private DeletedStreams() {
  }

  /**
   * Whether {@code e} is an error Redis gives for a missing stream (or a missing group): NOGROUP, or
   * UNBLOCKED for a read that was blocked on the stream when it was deleted.
   */
  public static boolean mayExplain(RuntimeException e) {
    String message = e instanceof JedisDataException ? e.getMessage() : null;
    return message != null && (message.startsWith("NOGROUP") || isMissingKey(message)
        || message.startsWith("UNBLOCKED") && message.contains("no longer exists"));
  }

  static boolean isMissingKey(String message) {
    return message.contains("requires the key to exist");
  }

  /** Those of {@code streams} that no longer exist. */
  public static List<String> among(UnifiedJedis redis, List<String> streams) {
    List<String> gone = new ArrayList<>();
    for (String stream : streams) {
      if (!redis.exists(stream)) {
        gone.add(stream);
      }
    }
    return gone;
  }
}
