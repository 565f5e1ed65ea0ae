package io.redisbridge.common.redis;

import io.redisbridge.common.config.RedisConnectionConfig;
import io.redisbridge.common.config.RedisConnectionSettings;
import java.util.List;
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
 * connector's settings, probe the rights the connector needs ({@link PermissionProbe}), and attach any
 * failure to the config key a user has to change.
 */
public final class RedisProbe {

  private static final int PROBE_TIMEOUT_MS = 3_000;

  private RedisProbe() {}

  /** A failed check: which key to fix and why. */
  public record Problem(String key, String message) {}

  public static Optional<Problem> problem(Map<String, String> props) {
    return problem(props, List.of());
  }

  /**
   * As {@link #problem(Map)}, and once PING works, whether the user may run what {@code permissions}
   * probe; a missing right is attached to redis.user.
   */
  public static Optional<Problem> problem(Map<String, String> props, List<PermissionProbe> permissions) {
    RedisConnectionSettings settings;
    try {
      settings = RedisConnectionConfig.read(new AbstractConfig(RedisConnectionConfig.addTo(new ConfigDef()),
          props, false));
    } catch (RuntimeException e) {
      return Optional.of(new Problem(keyNamedIn(e.getMessage()), e.getMessage()));
    }
    RedisConnectionSettings quick = new RedisConnectionSettings(settings.uris(), settings.mode(), settings.user(),
        settings.password(), Math.min(settings.socketTimeoutMs(), PROBE_TIMEOUT_MS),
        Math.min(settings.connectTimeoutMs(), PROBE_TIMEOUT_MS), settings.verifyHostname(),
        settings.tlsFiles(), settings.sentinel(), settings.clientName() + ":validate");
    try (UnifiedJedis redis = RedisClients.create(quick)) {
      redis.ping();
      for (PermissionProbe permission : permissions) {
        Optional<String> missing = permission.missingRight(redis, settings.user());
        if (missing.isPresent()) {
          return Optional.of(new Problem(RedisConnectionConfig.USER, missing.get()));
        }
      }
      return Optional.empty();
    } catch (JedisAccessControlException e) {
      return Optional.of(new Problem(RedisConnectionConfig.PASSWORD,
          "Redis refused the credentials: " + e.getMessage()));
    } catch (JedisDataException e) {
      String message = String.valueOf(e.getMessage()).toUpperCase(Locale.ROOT);
      String key = message.startsWith("NOAUTH") || message.startsWith("WRONGPASS") || message.startsWith("NOPERM")
          ? RedisConnectionConfig.PASSWORD : RedisConnectionConfig.URI;
      return Optional.of(new Problem(key, "Redis answered with an error: " + e.getMessage()));
    } catch (org.apache.kafka.common.config.ConfigException e) {
      return Optional.of(new Problem(keyNamedIn(e.getMessage()), e.getMessage()));
    } catch (RuntimeException e) {
      String where = settings.uris().stream().map(uri -> uri.getHost() + ":" + uri.getPort()).toList().toString();
      Optional<Problem> tls = settings.tls() ? tlsProblem(e, where, settings.tlsFiles().clientCertificate())
          : Optional.empty();
      return tls.isPresent() ? tls : Optional.of(new Problem(keyNamedIn(e.getMessage()), "cannot reach Redis at "
          + where + ": " + causes(e)));
    }
  }

  /** The messages of a failure and its causes: "Failed to create socket" alone does not say why. */
  private static String causes(Throwable failure) {
    StringBuilder text = new StringBuilder(String.valueOf(failure.getMessage()));
    for (Throwable cause = failure.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
      if (cause.getMessage() != null && !text.toString().contains(cause.getMessage())) {
        text.append(": ").append(cause.getMessage());
      }
    }
    return text.toString();
  }

  /** The key a ConfigException's message names ("... for configuration <key> ..."), else redis.uri. */
  private static String keyNamedIn(String message) {
    return RedisConnectionConfig.KEYS.stream().filter(key -> message != null && message.contains(key + ":"))
        .findFirst().orElse(RedisConnectionConfig.URI);
  }

  /** A TLS failure explained by what the user has to change, when the failure was one. */
  static Optional<Problem> tlsProblem(Throwable failure, String where, boolean clientCertificate) {
    String cause = null;
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof javax.net.ssl.SSLException || t instanceof java.security.cert.CertificateException) {
        cause = t.getMessage();
      }
    }
    if (cause == null) {
      // With TLS 1.3 a server that wants a client certificate rejects it after the client's side of the
      // handshake is done: the client only sees the connection closed on its first command.
      String closed = causes(failure).toLowerCase(Locale.ROOT);
      if (!clientCertificate && (closed.contains("broken pipe") || closed.contains("connection reset")
          || closed.contains("socket is closed") || closed.contains("unexpected end of stream"))) {
        return Optional.of(new Problem(RedisConnectionConfig.TLS_KEYSTORE_PATH, "TLS: the Redis server at " + where
            + " closed the connection right after the handshake; it most likely requires a client certificate "
            + "(tls-auth-clients yes): set " + RedisConnectionConfig.TLS_KEYSTORE_PATH + ", or "
            + RedisConnectionConfig.TLS_CERTIFICATE_PEM_PATH + " and " + RedisConnectionConfig.TLS_KEY_PEM_PATH
            + " (" + causes(failure) + ")"));
      }
      return Optional.empty();
    }
    String text = cause.toLowerCase(Locale.ROOT);
    if (text.contains("subject alternative") || text.contains("no name matching")) {
      return Optional.of(new Problem(RedisConnectionConfig.URI, "TLS: the certificate of the Redis server at "
          + where + " is not for this host name (" + cause + "). Connect by a name or address the certificate "
          + "holds; " + RedisConnectionConfig.TLS_VERIFY_HOSTNAME + "=false is for test servers only"));
    }
    if (text.contains("pkix") || text.contains("unable to find valid certification path")) {
      return Optional.of(new Problem(RedisConnectionConfig.TLS_TRUSTSTORE_PATH, "TLS: the certificate of the Redis "
          + "server at " + where + " does not chain to a trusted CA; set " + RedisConnectionConfig.TLS_TRUSTSTORE_PATH
          + " or " + RedisConnectionConfig.TLS_CA_PEM_PATH + " (" + cause + ")"));
    }
    if (text.contains("certificate_required") || text.contains("bad_certificate")
        || text.contains("unknown_ca") || text.contains("certificate_unknown")) {
      return Optional.of(new Problem(RedisConnectionConfig.TLS_KEYSTORE_PATH, "TLS: the Redis server at " + where
          + " requires a client certificate it trusts (tls-auth-clients); set "
          + RedisConnectionConfig.TLS_KEYSTORE_PATH + ", or " + RedisConnectionConfig.TLS_CERTIFICATE_PEM_PATH
          + " and " + RedisConnectionConfig.TLS_KEY_PEM_PATH + " (" + cause + ")"));
    }
    return Optional.of(new Problem(RedisConnectionConfig.URI, "TLS with the Redis server at " + where
        + " failed: " + cause));
  }
}
