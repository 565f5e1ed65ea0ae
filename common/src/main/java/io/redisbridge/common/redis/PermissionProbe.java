package io.redisbridge.common.redis;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import redis.clients.jedis.AbstractTransaction;
import redis.clients.jedis.Protocol.Command;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * One command a connector will send, sent by {@code validate()} in a form that changes nothing, to learn
 * whether the Redis user may run it on the key. Redis checks a user's ACL before it runs a command, so
 * a harmless call that Redis then refuses for another reason (a consumer group that does not exist, an
 * invalid ID, an odd number of fields) still proves the right; only NOPERM says it is missing.
 *
 * @param rule the ACL rules that grant what the probe needs, for the error message
 * @param key the key the command touches, or null
 */
public record PermissionProbe(String rule, String key, Consumer<UnifiedJedis> send) {

  /** A consumer group name no deployment uses: probes that name a group must not find one. */
  static final String NO_GROUP = "redis-kafka-bridge:permission-probe";

  /** The problem, when Redis refused the command for lack of rights. */
  public Optional<String> missingRight(UnifiedJedis redis, String user) {
    try {
      send.accept(redis);
      return Optional.empty();
    } catch (JedisDataException e) {
      String reply = String.valueOf(e.getMessage());
      // A refused EXEC comes back as EXECABORT naming the NOPERM.
      if (!reply.toUpperCase(Locale.ROOT).contains("NOPERM")) {
        return Optional.empty();
      }
      String who = user == null || user.isEmpty() ? "the default Redis user" : "Redis user '" + user + "'";
      String on = key == null ? "" : " on key '" + key + "'";
      String grant = key == null ? rule : rule + " ~" + key;
      return Optional.of(who + " may not run what the connector needs" + on + " (Redis answered: " + reply
          + "); grant it with ACL SETUSER <user> " + grant + ". docs/redis-deployments-and-security.md "
          + "(Least privilege) lists the rule for each connector and option");
    }
  }

  /** A probe of {@code command} on {@code key}. */
  private static PermissionProbe on(String rule, String key, Command command, String... args) {
    return new PermissionProbe(rule, key, redis -> send(redis, key, command, args));
  }

  /** A probe of a command without a key, sent to the node that serves {@code stream}. */
  private static PermissionProbe nodeOf(String stream, String rule, Command command, String... args) {
    return new PermissionProbe(rule, null, redis -> send(redis, stream, command, args));
  }

  private static void send(UnifiedJedis redis, String routeBy, Command command, String... args) {
    byte[][] bytes = new byte[args.length][];
    for (int i = 0; i < args.length; i++) {
      bytes[i] = args[i].getBytes(StandardCharsets.UTF_8);
    }
    redis.sendCommand(routeBy.getBytes(StandardCharsets.UTF_8), command, bytes);
  }

  /** XADD with ID 0-0, which Redis refuses (after the ACL check) before it touches the key. */
  public static PermissionProbe xadd(String stream) {
    return on("+xadd", stream, Command.XADD, stream, "0-0", "probe", "probe");
  }

  /** XGROUP CREATE with an invalid ID: refused before any group is created. */
  public static PermissionProbe xgroupCreate(String stream) {
    return on("+xgroup|create", stream, Command.XGROUP, "CREATE", stream, NO_GROUP, "not-an-id");
  }

  /** XREADGROUP of a group that does not exist: NOGROUP. */
  public static PermissionProbe xreadgroup(String stream) {
    return on("+xreadgroup", stream, Command.XREADGROUP, "GROUP", NO_GROUP, "probe", "COUNT", "1", "STREAMS",
        stream, "0");
  }

  /** XACK in a group that does not exist: acknowledges nothing. */
  public static PermissionProbe xack(String stream) {
    return on("+xack", stream, Command.XACK, stream, NO_GROUP, "0-1");
  }

  /** XPENDING of a group that does not exist: NOGROUP. */
  public static PermissionProbe xpending(String stream) {
    return on("+xpending", stream, Command.XPENDING, stream, NO_GROUP);
  }

  /** XAUTOCLAIM in a group that does not exist: NOGROUP. */
  public static PermissionProbe xautoclaim(String stream) {
    return on("+xautoclaim", stream, Command.XAUTOCLAIM, stream, NO_GROUP, "probe", "0", "0-0", "COUNT", "1");
  }

  /** XINFO CONSUMERS of a group that does not exist: NOGROUP. */
  public static PermissionProbe xinfoConsumers(String stream) {
    return on("+xinfo|consumers", stream, Command.XINFO, "CONSUMERS", stream, NO_GROUP);
  }

  /** SCAN of one key matching {@code pattern}: reads nothing it keeps. Sent to the node of the pattern's slot. */
  public static PermissionProbe scan(String pattern) {
    return nodeOf(pattern, "+scan", Command.SCAN, "0", "MATCH", pattern, "COUNT", "1", "TYPE", "stream");
  }

  /** XRANGE from + to -: always empty. */
  public static PermissionProbe xrange(String stream) {
    return on("+xrange", stream, Command.XRANGE, stream, "+", "-", "COUNT", "1");
  }

  /** PEXPIRE with a time that is not a number: refused by the command, after the ACL check. */
  public static PermissionProbe pexpire(String key) {
    return on("+pexpire", key, Command.PEXPIRE, key, "probe");
  }

  public static PermissionProbe type(String key) {
    return on("+type", key, Command.TYPE, key);
  }

  /** HSET with a field but no value after it: refused by the command, after the ACL check. */
  public static PermissionProbe hset(String key) {
    return on("+hset", key, Command.HSET, key, "probe", "probe", "probe");
  }

  public static PermissionProbe hgetall(String key) {
    return on("+hgetall", key, Command.HGETALL, key);
  }

  /** WAIT for no replica: answers at once. Sent to the node that serves {@code stream}. */
  public static PermissionProbe waitReplicas(String stream) {
    return nodeOf(stream, "+wait", Command.WAIT, "0", "0");
  }

  /** INFO memory, on the node that serves {@code stream}. */
  public static PermissionProbe info(String stream) {
    return nodeOf(stream, "+info", Command.INFO, "memory");
  }

  /**
   * An empty MULTI/EXEC on the node that serves {@code key}. The client does not surface MULTI's own
   * reply: a refused MULTI shows as EXEC without MULTI.
   */
  public static PermissionProbe transaction(String key) {
    return new PermissionProbe("+multi +exec", null, redis -> {
      try (AbstractTransaction transaction = SlotTransactions.begin(redis, key)) {
        transaction.exec();
      } catch (JedisDataException e) {
        if (String.valueOf(e.getMessage()).contains("without MULTI")) {
          throw new JedisDataException("NOPERM MULTI was refused (EXEC answered: " + e.getMessage() + ")");
        }
        throw e;
      }
    });
  }
}
