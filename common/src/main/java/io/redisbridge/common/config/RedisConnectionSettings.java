package io.redisbridge.common.config;

import java.net.URI;
import java.util.List;

/**
 * How to reach Redis, read from {@link RedisConnectionConfig}. {@code toString} leaves the password
 * out so the settings can be logged.
 */
public record RedisConnectionSettings(
    List<URI> uris,
    RedisConnectionConfig.Mode mode,
    String user,
    String password,
    int socketTimeoutMs,
    int connectTimeoutMs,
    boolean verifyHostname,
    String truststorePath,
    String truststorePassword,
    String clientName) {

  public RedisConnectionSettings {
    uris = List.copyOf(uris);
  }

  public boolean tls() {
    return "rediss".equals(uris.get(0).getScheme());
  }

  /** The database number from the URI path, 0 when there is none. */
  public int database() {
    String path = uris.get(0).getPath();
    return path == null || path.length() <= 1 ? 0 : Integer.parseInt(path.substring(1));
  }

  /** The same settings with another client name, e.g. one per task. */
  public RedisConnectionSettings withClientName(String name) {
    return new RedisConnectionSettings(uris, mode, user, password, socketTimeoutMs, connectTimeoutMs,
        verifyHostname, truststorePath, truststorePassword, name);
  }

  @Override
  public String toString() {
    return "RedisConnectionSettings[uris=" + uris.stream().map(RedisConnectionConfig::redact).toList()
        + ", mode=" + mode + ", user=" + user + ", password=" + (password == null ? "none" : "[hidden]")
        + ", socketTimeoutMs=" + socketTimeoutMs + ", connectTimeoutMs=" + connectTimeoutMs
        + ", tls=" + tls() + ", verifyHostname=" + verifyHostname + ", truststore=" + truststorePath
        + ", clientName=" + clientName + "]";
  }
}
