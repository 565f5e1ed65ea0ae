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
  public static final String TLS_CA_PEM_PATH = "redis.tls.ca.pem.path";
  public static final String TLS_KEYSTORE_PATH = "redis.tls.keystore.path";
  public static final String TLS_KEYSTORE_PASSWORD = "redis.tls.keystore.password";
  public static final String TLS_CERTIFICATE_PEM_PATH = "redis.tls.certificate.pem.path";
  public static final String TLS_KEY_PEM_PATH = "redis.tls.key.pem.path";
  public static final String TLS_KEY_PASSWORD = "redis.tls.key.password";
  public static final String SENTINEL_MASTER = "redis.sentinel.master";
  public static final String SENTINEL_USER = "redis.sentinel.user";
  public static final String SENTINEL_PASSWORD = "redis.sentinel.password";

  /** Every key of this fragment. */
  public static final List<String> KEYS = List.of(URI, USER, PASSWORD, MODE, SOCKET_TIMEOUT_MS,
      CONNECT_TIMEOUT_MS, TLS_VERIFY_HOSTNAME, TLS_TRUSTSTORE_PATH, TLS_TRUSTSTORE_PASSWORD, TLS_CA_PEM_PATH,
      TLS_KEYSTORE_PATH, TLS_KEYSTORE_PASSWORD, TLS_CERTIFICATE_PEM_PATH, TLS_KEY_PEM_PATH, TLS_KEY_PASSWORD,
      SENTINEL_MASTER, SENTINEL_USER, SENTINEL_PASSWORD, CLIENT_NAME);

  private RedisConnectionConfig() {}

  /**
   * Standalone: one server (or a primary at a fixed address); sentinel: the primary the sentinels name,
   * followed through failovers; cluster: Redis Cluster, following slots and redirects.
   */
  public enum Mode { STANDALONE, SENTINEL, CLUSTER }

  public static ConfigDef addTo(ConfigDef def) {
    int order = 0;
    return def
        .define(URI, Type.STRING, "redis://localhost:6379", new RedisUriValidator(), Importance.HIGH,
            "Where Redis is: redis://host:port[/db] for plain TCP, rediss://host:port for TLS. "
                + "For redis.mode=cluster, a comma-separated list of seed nodes; for redis.mode=sentinel, the "
                + "comma-separated sentinels (e.g. redis://s1:26379,redis://s2:26379). Credentials in the URI "
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
            ConfigDef.CaseInsensitiveValidString.in("standalone", "sentinel", "cluster"), Importance.MEDIUM,
            "standalone for a single server; sentinel for a primary with replicas watched by Redis Sentinel "
                + "(the connectors ask the sentinels for the primary and follow it through failovers); cluster "
                + "for Redis Cluster, where each stream key lives in one hash slot.",
            GROUP, ++order, Width.SHORT, "Redis mode")
        .define(SOCKET_TIMEOUT_MS, Type.INT, 10_000, ConfigDef.Range.between(100, 600_000), Importance.LOW,
            "The deadline of every Redis call (a command, a pipeline, a transaction), in milliseconds; "
                + "blocking reads add their block time on top, so it only needs to cover the server's answer "
                + "time. A connection that timed out is discarded and the call retried; a task that waits "
                + "for Redis for twice this long logs a WARN (see redis-stall-ms).",
            GROUP, ++order, Width.SHORT, "Socket timeout (ms)")
        .define(CONNECT_TIMEOUT_MS, Type.INT, 5_000, ConfigDef.Range.between(100, 600_000), Importance.LOW,
            "How long to wait for a TCP (and TLS) connection to Redis, in milliseconds.",
            GROUP, ++order, Width.SHORT, "Connect timeout (ms)")
        .define(TLS_VERIFY_HOSTNAME, Type.BOOLEAN, true, Importance.LOW,
            "With rediss://, check that the server certificate names the host of redis.uri (as a DNS name "
                + "or IP address in its subject alternative names). Turn off only for test servers with "
                + "certificates for another name.",
            GROUP, ++order, Width.SHORT, "Verify TLS host name")
        .define(TLS_TRUSTSTORE_PATH, Type.STRING, "", new TrimmedString(), Importance.LOW,
            "With rediss://, a PKCS12 or JKS trust store with the certificates (e.g. your own CA) that the "
                + "Redis server's certificate must chain to. Empty uses the JVM's default trust store.",
            GROUP, ++order, Width.LONG, "TLS trust store")
        .define(TLS_TRUSTSTORE_PASSWORD, Type.PASSWORD, null, new OptionalPassword(), Importance.LOW,
            "Password of redis.tls.truststore.path, if it has one.",
            GROUP, ++order, Width.SHORT, "TLS trust store password")
        .define(TLS_CA_PEM_PATH, Type.STRING, "", new TrimmedString(), Importance.LOW,
            "With rediss://, instead of a trust store: a PEM file with the CA certificates the server's "
                + "certificate must chain to (what tls-ca-cert-file names on the server).",
            GROUP, ++order, Width.LONG, "TLS CA certificates (PEM)")
        .define(TLS_KEYSTORE_PATH, Type.STRING, "", new TrimmedString(), Importance.LOW,
            "With rediss://, for servers with tls-auth-clients yes: a PKCS12 or JKS key store with this "
                + "connector's client certificate and private key. Only this connector uses it; the worker's "
                + "javax.net.ssl settings are neither needed nor changed.",
            GROUP, ++order, Width.LONG, "TLS key store")
        .define(TLS_KEYSTORE_PASSWORD, Type.PASSWORD, null, new OptionalPassword(), Importance.LOW,
            "Password of redis.tls.keystore.path.",
            GROUP, ++order, Width.SHORT, "TLS key store password")
        .define(TLS_CERTIFICATE_PEM_PATH, Type.STRING, "", new TrimmedString(), Importance.LOW,
            "Instead of a key store: a PEM file with the client certificate (and any intermediate "
                + "certificates after it). Needs redis.tls.key.pem.path.",
            GROUP, ++order, Width.LONG, "TLS client certificate (PEM)")
        .define(TLS_KEY_PEM_PATH, Type.STRING, "", new TrimmedString(), Importance.LOW,
            "The private key of redis.tls.certificate.pem.path in PEM: PKCS#8 (BEGIN PRIVATE KEY), encrypted "
                + "PKCS#8 (with redis.tls.key.password) or RSA PKCS#1 (BEGIN RSA PRIVATE KEY).",
            GROUP, ++order, Width.LONG, "TLS client key (PEM)")
        .define(TLS_KEY_PASSWORD, Type.PASSWORD, null, new OptionalPassword(), Importance.LOW,
            "Password of an encrypted PEM key, or of the key inside redis.tls.keystore.path when it differs "
                + "from the store's password.",
            GROUP, ++order, Width.SHORT, "TLS key password")
        .define(SENTINEL_MASTER, Type.STRING, "", new TrimmedString(), Importance.MEDIUM,
            "With redis.mode=sentinel: the name the sentinels monitor the primary under (sentinel monitor "
                + "<name> ...).",
            GROUP, ++order, Width.MEDIUM, "Sentinel master name")
        .define(SENTINEL_USER, Type.STRING, "", new TrimmedString(), Importance.LOW,
            "With redis.mode=sentinel: ACL user for the sentinels, when they require one. The data nodes use "
                + "redis.user.",
            GROUP, ++order, Width.SHORT, "Sentinel user")
        .define(SENTINEL_PASSWORD, Type.PASSWORD, null, new OptionalPassword(), Importance.LOW,
            "With redis.mode=sentinel: password for the sentinels (sentinel requirepass or the sentinel "
                + "user's), separate from redis.password. Never logged.",
            GROUP, ++order, Width.SHORT, "Sentinel password")
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
    String sentinelMaster = path(config, SENTINEL_MASTER);
    if (mode == Mode.SENTINEL && sentinelMaster == null) {
      throw new ConfigException(SENTINEL_MASTER, "", "is needed with redis.mode=sentinel: the name the sentinels "
          + "monitor the primary under");
    }
    String sentinelUser = path(config, SENTINEL_USER);
    String user = config.getString(USER);
    Password password = config.getPassword(PASSWORD);
    return new RedisConnectionSettings(
        uris,
        mode,
        user == null || user.isBlank() ? null : user,
        password == null ? null : password.value(),
        config.getInt(SOCKET_TIMEOUT_MS),
        config.getInt(CONNECT_TIMEOUT_MS),
        config.getBoolean(TLS_VERIFY_HOSTNAME),
        tlsFiles(config),
        mode == Mode.SENTINEL ? new RedisConnectionSettings.Sentinel(sentinelMaster, sentinelUser,
            secret(config, SENTINEL_PASSWORD)) : null,
        config.getString(CLIENT_NAME));
  }

  private static TlsFiles tlsFiles(AbstractConfig config) {
    TlsFiles files = new TlsFiles(path(config, TLS_TRUSTSTORE_PATH), secret(config, TLS_TRUSTSTORE_PASSWORD),
        path(config, TLS_CA_PEM_PATH), path(config, TLS_KEYSTORE_PATH), secret(config, TLS_KEYSTORE_PASSWORD),
        secret(config, TLS_KEY_PASSWORD), path(config, TLS_CERTIFICATE_PEM_PATH), path(config, TLS_KEY_PEM_PATH));
    if (files.truststorePath() != null && files.caPemPath() != null) {
      throw new ConfigException(TLS_CA_PEM_PATH, files.caPemPath(), "set either " + TLS_TRUSTSTORE_PATH + " or "
          + TLS_CA_PEM_PATH + ", not both");
    }
    if (files.keystorePath() != null && (files.certificatePemPath() != null || files.keyPemPath() != null)) {
      throw new ConfigException(TLS_KEYSTORE_PATH, files.keystorePath(), "set either " + TLS_KEYSTORE_PATH
          + " or the PEM pair " + TLS_CERTIFICATE_PEM_PATH + " and " + TLS_KEY_PEM_PATH + ", not both");
    }
    if ((files.certificatePemPath() == null) != (files.keyPemPath() == null)) {
      String missing = files.certificatePemPath() == null ? TLS_CERTIFICATE_PEM_PATH : TLS_KEY_PEM_PATH;
      throw new ConfigException(missing, "", "is needed together with "
          + (files.certificatePemPath() == null ? TLS_KEY_PEM_PATH : TLS_CERTIFICATE_PEM_PATH));
    }
    for (String key : List.of(TLS_TRUSTSTORE_PATH, TLS_CA_PEM_PATH, TLS_KEYSTORE_PATH, TLS_CERTIFICATE_PEM_PATH,
        TLS_KEY_PEM_PATH)) {
      String file = path(config, key);
      if (file != null && !java.nio.file.Files.isReadable(java.nio.file.Path.of(file))) {
        throw new ConfigException(key, file, "is not a readable file on this worker");
      }
    }
    return files;
  }

  private static String path(AbstractConfig config, String key) {
    String value = config.getString(key);
    return value == null || value.isBlank() ? null : value.trim();
  }

  private static String secret(AbstractConfig config, String key) {
    Password password = config.getPassword(key);
    return password == null ? null : password.value();
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
