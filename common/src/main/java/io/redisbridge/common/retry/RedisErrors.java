package io.redisbridge.common.retry;

import java.util.Locale;
import redis.clients.jedis.exceptions.JedisBusyException;
import redis.clients.jedis.exceptions.JedisClusterOperationException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisRedirectionException;

/**
 * The one place that sorts Redis failures into "the server is unreachable or busy, try again" and
 * "this command can never succeed as sent".
 */
public final class RedisErrors {

  private RedisErrors() {}

  public static boolean isTransient(Throwable error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof JedisConnectionException
          || cause instanceof JedisBusyException
          || cause instanceof JedisClusterOperationException
          // MOVED or ASK reaching the caller: a pipeline or transaction used a slot map a failover or
          // resharding has changed since; the caller learns the new one and sends again.
          || cause instanceof JedisRedirectionException
          || cause instanceof ReplicaShortfallException
          || cause instanceof java.net.SocketException
          || cause instanceof java.net.SocketTimeoutException) {
        return true;
      }
      if (cause instanceof JedisDataException && isTransientReply(cause.getMessage())) {
        return true;
      }
      if (cause instanceof IllegalStateException && cause.getMessage() != null
          && cause.getMessage().contains("Pool not open")) {
        return true;
      }
      if (lostInClusterPipeline(cause)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Jedis's cluster pipeline does not throw when it cannot reach a node (a primary that just died): it
   * logs the failure and leaves that node's replies unset, so reading one fails with an
   * IllegalStateException, or the sync itself with a NullPointerException when it never got a
   * connection. Either way the node is down, not the command wrong.
   */
  private static boolean lostInClusterPipeline(Throwable error) {
    StackTraceElement[] frames = error.getStackTrace();
    if (frames.length == 0) {
      return false;
    }
    String thrower = frames[0].getClassName();
    if (error instanceof NullPointerException) {
      return thrower.startsWith("redis.clients.jedis.MultiNodePipelineBase");
    }
    return error instanceof IllegalStateException && thrower.equals("redis.clients.jedis.Response")
        && String.valueOf(error.getMessage()).startsWith("Please close pipeline or multi block");
  }

  /**
   * Redis answered, with an error reply (OOM, READONLY, a wrong type...): the round trip itself worked,
   * unlike a timeout or a broken connection.
   */
  public static boolean isReply(Throwable error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof JedisDataException) {
        return true;
      }
    }
    return false;
  }

  /** Redis refused a write for lack of memory ({@code maxmemory} reached under {@code noeviction}). */
  public static boolean isOutOfMemory(Throwable error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof JedisDataException && String.valueOf(cause.getMessage()).startsWith("OOM")) {
        return true;
      }
    }
    return false;
  }

  /** Replies a server gives while it cannot serve for a while: loading, failing over, out of memory. */
  static boolean isTransientReply(String message) {
    if (message == null) {
      return false;
    }
    String upper = message.toUpperCase(Locale.ROOT);
    return upper.startsWith("LOADING") || upper.startsWith("BUSY") || upper.startsWith("TRYAGAIN")
        || upper.startsWith("CLUSTERDOWN") || upper.startsWith("MASTERDOWN") || upper.startsWith("READONLY")
        || upper.startsWith("OOM") || upper.startsWith("NOREPLICAS")
        // A transaction refused at EXEC because a queued command was (OOM, READONLY, MOVED during a failover):
        // nothing of it ran, so it is safe to send again.
        || upper.startsWith("EXECABORT");
  }
}
