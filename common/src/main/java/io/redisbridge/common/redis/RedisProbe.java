package io.redisbridge.common.redis;

import io.redisbridge.common.config.RedisConnectionConfig;
import io.redisbridge.common.config.RedisConnectionSettings;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * The live check behind {@code Connector.validate()}: connect, authenticate and PING with the
 * connector's settings, and attach any failure to the config key a user has to change.
 */
public final class RedisProbe {

  private static final int PROBE_TIMEOUT_MS = 3_000;

  private RedisProbe() {}

  /** A failed check: which key to fix and why. */
  public record Problem(String key, String message) {}

  public static Optional<Problem> problem(Map<String, String> props) {
    RedisConnectionSettings settings;
    try {
      settings = RedisConnectionConfig.read(new AbstractConfig(RedisConnectionConfig.addTo(new ConfigDef()),
          props, false));
    } catch (RuntimeException e) {
      return Optional.of(new Problem(RedisConnectionConfig.URI, e.getMessage()));
    }
    RedisConnectionSettings quick = new RedisConnectionSettings(settings.uris(), settings.mode(), settings.user(),
        settings.password(), Math.min(settings.socketTimeoutMs(), PROBE_TIMEOUT_MS),
        Math.min(settings.connectTimeoutMs(), PROBE_TIMEOUT_MS), settings.verifyHostname(),
        settings.truststorePath(), settings.truststorePassword(), settings.clientName() + ":validate");
    try (UnifiedJedis redis = RedisClients.create(quick)) {
      redis.ping();
      return Optional.empty();
    } catch (JedisAccessControlException e) {
      return Optional.of(new Problem(RedisConnectionConfig.PASSWORD,
          "Redis refused the credentials: " + e.getMessage()));
    } catch (JedisDataException e) {
      String message = String.valueOf(e.getMessage()).toUpperCase(Locale.ROOT);
      String key = message.startsWith("NOAUTH") || message.startsWith("WRONGPASS") || message.startsWith("NOPERM")
          ? RedisConnectionConfig.PASSWORD : RedisConnectionConfig.URI;
      return Optional.of(new Problem(key, "Redis answered with an error: " + e.getMessage()));
    } catch (RuntimeException e) {
      return Optional.of(new Problem(RedisConnectionConfig.URI, "cannot reach Redis at "
          + settings.uris().stream().map(uri -> uri.getHost() + ":" + uri.getPort()).toList() + ": " + e.getMessage()));
    }
  }
}
