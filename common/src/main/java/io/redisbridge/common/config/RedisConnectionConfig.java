package io.redisbridge.common.config;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * The config fragment both connectors share to reach Redis: address, credentials, TLS, topology and
 * timeouts. It defines the keys and reads them back as a {@link RedisConnectionSettings}.
 */
public final class RedisConnectionConfig {

  public static final String GROUP = "Redis connection";

  public static final String URI = "redis.uri";
  public static final String USER = "redis.user";
  public static final String PASSWORD = "redis.password";
  public static final String MODE = "redis.mode";
  public static final String SOCKET_TIMEOUT_MS = "redis.socket.timeout.ms";
  public static final String CONNECT_TIMEOUT_MS = "redis.connect.timeout.ms";
  public static final String TLS_VERIFY_HOSTNAME = "redis.tls.verify.hostname";
  public static final String CLIENT_NAME = "redis.client.name";
  public static final String TLS_TRUSTSTORE_PATH = "redis.tls.truststore.path";
  public static final String TLS_TRUSTSTORE_PASSWORD = "redis.tls.truststore.password";

  /** Every key of this fragment. */
  public static final List<String> KEYS = List.of(URI, USER, PASSWORD, MODE, SOCKET_TIMEOUT_MS,
      CONNECT_TIMEOUT_MS, TLS_VERIFY_HOSTNAME, TLS_TRUSTSTORE_PATH, TLS_TRUSTSTORE_PASSWORD, CLIENT_NAME);

  private RedisConnectionConfig() {}

  /** Standalone covers a single server and a replicated primary; cluster follows slots and redirects. */
  public enum Mode { STANDALONE, CLUSTER }

  public static ConfigDef addTo(ConfigDef def) {
    int order = 0;
    return def
        .define(URI, Type.STRING, "redis://localhost:6379", new RedisUriValidator(), Importance.HIGH,
            "Where Redis is: redis://host:port[/db] for plain TCP, rediss://host:port for TLS. "
                + "For redis.mode=cluster, a comma-separated list of seed nodes. Credentials in the URI "
                + "are ignored: use redis.user and redis.password so they are never logged.",
            GROUP, ++order, Width.LONG, "Redis URI")
        .define(USER, Type.STRING, "", new TrimmedString(), Importance.MEDIUM,
            "ACL user name (Redis 6+). Empty means the default user.",
            GROUP, ++order, Width.SHORT, "Redis user")
        .define(PASSWORD, Type.PASSWORD, null, new OptionalPassword(), Importance.MEDIUM,
            "Password of the ACL user, or the requirepass password when redis.user is empty. "
                + "Never logged; use a config provider to keep it out of the connector config.",
            GROUP, ++order, Width.SHORT, "Redis password")
        .define(MODE, Type.STRING, "standalone",
            ConfigDef.CaseInsensitiveValidString.in("standalone", "cluster"), Importance.MEDIUM,
            "standalone for a single server or a primary; cluster for Redis Cluster, where each stream key "
                + "lives in one hash slot.",
            GROUP, ++order, Width.SHORT, "Redis mode")
        .define(SOCKET_TIMEOUT_MS, Type.INT, 10_000, ConfigDef.Range.between(100, 600_000), Importance.LOW,
            "Socket read timeout for Redis commands, in milliseconds. Blocking reads add their block "
                + "time on top of this, so it only needs to cover the server's answer time.",
            GROUP, ++order, Width.SHORT, "Socket timeout (ms)")
        .define(CONNECT_TIMEOUT_MS, Type.INT, 5_000, ConfigDef.Range.between(100, 600_000), Importance.LOW,
            "How long to wait for a TCP (and TLS) connection to Redis, in milliseconds.",
            GROUP, ++order, Width.SHORT, "Connect timeout (ms)")
        .define(TLS_VERIFY_HOSTNAME, Type.BOOLEAN, true, Importance.LOW,
            "With rediss://, check that the server certificate names the host. Turn off only for "
                + "test servers with self-signed certificates for another name. The JVM's trust store "
                + "(javax.net.ssl.trustStore) decides which certificates are trusted.",
            GROUP, ++order, Width.SHORT, "Verify TLS host name")
        .define(TLS_TRUSTSTORE_PATH, Type.STRING, "", new TrimmedString(), Importance.LOW,
            "With rediss://, a PKCS12 or JKS trust store with the certificates (e.g. your own CA) that the "
                + "Redis server's certificate must chain to. Empty uses the JVM's default trust store.",
            GROUP, ++order, Width.LONG, "TLS trust store")
        .define(TLS_TRUSTSTORE_PASSWORD, Type.PASSWORD, null, new OptionalPassword(), Importance.LOW,
            "Password of redis.tls.truststore.path, if it has one.",
            GROUP, ++order, Width.SHORT, "TLS trust store password")
        .define(CLIENT_NAME, Type.STRING, "redis-kafka-bridge", new NonBlankString(), Importance.LOW,
            "Prefix of the CLIENT SETNAME of each connection, so CLIENT LIST shows which task a "
                + "connection belongs to.",
            GROUP, ++order, Width.MEDIUM, "Client name");
  }

  public static RedisConnectionSettings read(AbstractConfig config) {
    Mode mode = Mode.valueOf(config.getString(MODE).trim().toUpperCase(java.util.Locale.ROOT));
    List<java.net.URI> uris = parseUris(config.getString(URI));
    if (mode == Mode.STANDALONE && uris.size() != 1) {
      throw new ConfigException(URI, config.getString(URI), "redis.mode=standalone takes exactly one URI");
    }
    String user = config.getString(USER);
    Password password = config.getPassword(PASSWORD);
    Password truststorePassword = config.getPassword(TLS_TRUSTSTORE_PASSWORD);
    String truststore = config.getString(TLS_TRUSTSTORE_PATH);
    return new RedisConnectionSettings(
        uris,
        mode,
        user == null || user.isBlank() ? null : user,
        password == null ? null : password.value(),
        config.getInt(SOCKET_TIMEOUT_MS),
        config.getInt(CONNECT_TIMEOUT_MS),
        config.getBoolean(TLS_VERIFY_HOSTNAME),
        truststore.isEmpty() ? null : truststore,
        truststorePassword == null ? null : truststorePassword.value(),
        config.getString(CLIENT_NAME));
  }

  static List<java.net.URI> parseUris(String value) {
    List<java.net.URI> uris = new ArrayList<>();
    for (String part : value.split(",")) {
      if (!part.isBlank()) {
        uris.add(java.net.URI.create(part.trim()));
      }
    }
    return uris;
  }

  /** Accepts one or more comma-separated redis:// or rediss:// URIs with a host. */
  static final class RedisUriValidator implements ConfigDef.Validator {
    @Override
    public void ensureValid(String name, Object value) {
      if (value == null || value.toString().isBlank()) {
        throw new ConfigException(name, value, "must name at least one Redis server, e.g. redis://localhost:6379");
      }
      for (String part : value.toString().split(",")) {
        if (part.isBlank()) {
          continue;
        }
        java.net.URI uri;
        try {
          uri = java.net.URI.create(part.trim());
        } catch (IllegalArgumentException e) {
          throw new ConfigException(name, part, "is not a URI: " + e.getMessage());
        }
        if (!"redis".equals(uri.getScheme()) && !"rediss".equals(uri.getScheme())) {
          throw new ConfigException(name, redact(uri), "must start with redis:// or rediss://");
        }
        if (uri.getHost() == null) {
          throw new ConfigException(name, redact(uri), "must name a host, e.g. redis://localhost:6379");
        }
        String path = uri.getPath();
        if (path != null && !path.isEmpty() && !path.equals("/") && !path.substring(1).matches("\\d{1,2}")) {
          throw new ConfigException(name, redact(uri), "the path may only be a database number, e.g. /0");
        }
      }
    }

    @Override
    public String toString() {
      return "redis://host:port[/db] or rediss://host:port[/db], comma-separated for cluster seeds";
    }
  }

  /** A URI as it may appear in an error message: without user info. */
  static String redact(java.net.URI uri) {
    return uri.getUserInfo() == null ? uri.toString() : uri.toString().replace(uri.getRawUserInfo() + "@", "***@");
  }
}
