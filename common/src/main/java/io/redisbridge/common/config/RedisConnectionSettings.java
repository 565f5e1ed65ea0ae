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
    TlsFiles tlsFiles,
    Sentinel sentinel,
    String clientName) {

  /** Where the sentinels find the primary: its name, and the sentinels' own credentials. */
  public record Sentinel(String master, String user, String password) {
    @Override
    public String toString() {
      return "Sentinel[master=" + master + ", user=" + user + ", password="
          + (password == null ? "none" : "[hidden]") + "]";
    }
  }

  public RedisConnectionSettings {
    uris = List.copyOf(uris);
    tlsFiles = tlsFiles == null ? TlsFiles.NONE : tlsFiles;
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
        verifyHostname, tlsFiles, sentinel, name);
  }

  /** The same settings with {@code extraMs} more on the socket timeout, e.g. for a WAIT inside a pipeline. */
  public RedisConnectionSettings withSocketTimeoutExtendedBy(long extraMs) {
    return new RedisConnectionSettings(uris, mode, user, password, (int) Math.min(Integer.MAX_VALUE,
        socketTimeoutMs + extraMs), connectTimeoutMs, verifyHostname, tlsFiles, sentinel, clientName);
  }

  @Override
  public String toString() {
    return "RedisConnectionSettings[uris=" + uris.stream().map(RedisConnectionConfig::redact).toList()
        + ", mode=" + mode + ", user=" + user + ", password=" + (password == null ? "none" : "[hidden]")
        + ", socketTimeoutMs=" + socketTimeoutMs + ", connectTimeoutMs=" + connectTimeoutMs
        + ", tls=" + tls() + ", verifyHostname=" + verifyHostname + ", " + tlsFiles
        + (sentinel == null ? "" : ", " + sentinel)
        + ", clientName=" + clientName + "]";
  }
}
