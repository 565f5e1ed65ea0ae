package io.redisbridge.common.redis;

import io.redisbridge.common.config.RedisConnectionConfig;
import io.redisbridge.common.config.RedisConnectionSettings;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import javax.net.ssl.SSLParameters;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.UnifiedJedis;

/** Builds the one client type both connectors use, standalone or cluster, from the shared settings. */
public final class RedisClients {

  private RedisClients() {}

  /** A client that sends no blocking command. */
  public static UnifiedJedis create(RedisConnectionSettings settings) {
    return create(settings, 0);
  }

  /**
   * A client whose blocking commands block at most {@code longestBlockMs}. Every call it makes has a
   * deadline: the socket timeout, plus that block time for blocking commands; a connection that timed out
   * is discarded, never returned to the pool. Closing the client also cuts the connections in use, so no
   * thread of a stopped task keeps waiting on Redis.
   */
  public static UnifiedJedis create(RedisConnectionSettings settings, int longestBlockMs) {
    JedisClientConfig clientConfig = clientConfig(settings, longestBlockMs);
    // A task uses a handful of connections at most: one for blocking reads, one for acks and writes.
    GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
    pool.setMaxTotal(8);
    pool.setMaxIdle(8);
    pool.setMinIdle(0);
    pool.setTestOnBorrow(false);
    pool.setJmxEnabled(false);
    // Waiting for a free connection has a deadline too (the pool's default is forever).
    pool.setMaxWait(Duration.ofMillis(settings.socketTimeoutMs() + (long) longestBlockMs));
    if (settings.mode() == RedisConnectionConfig.Mode.CLUSTER) {
      Set<HostAndPort> nodes = new LinkedHashSet<>();
      for (URI uri : settings.uris()) {
        nodes.add(hostAndPort(uri));
      }
      return RedisClusterClient.builder().nodes(nodes).clientConfig(clientConfig)
          .connectionProvider(new CuttableClusterProvider(nodes, clientConfig, pool)).build();
    }
    if (settings.mode() == RedisConnectionConfig.Mode.SENTINEL) {
      Set<HostAndPort> sentinels = new LinkedHashSet<>();
      for (URI uri : settings.uris()) {
        sentinels.add(hostAndPort(uri, 26379));
      }
      return new SentinelRedis(new FollowingSentinelProvider(settings.sentinel().master(), sentinels, clientConfig,
          sentinelClientConfig(settings), pool));
    }
    HostAndPort server = hostAndPort(settings.uris().get(0));
    return RedisClient.builder().hostAndPort(server).clientConfig(clientConfig)
        .connectionProvider(new CuttablePooledProvider(server, clientConfig, pool)).build();
  }

  static JedisClientConfig clientConfig(RedisConnectionSettings settings) {
    return clientConfig(settings, 0);
  }

  static JedisClientConfig clientConfig(RedisConnectionSettings settings, int longestBlockMs) {
    DefaultJedisClientConfig.Builder builder = DefaultJedisClientConfig.builder()
        .resp2()
        .socketTimeoutMillis(settings.socketTimeoutMs())
        // Jedis reads a blocking command's reply with this timeout, not the one above; 0 would mean forever.
        .blockingSocketTimeoutMillis(settings.socketTimeoutMs() + longestBlockMs)
        .connectionTimeoutMillis(settings.connectTimeoutMs())
        .clientName(settings.clientName())
        .user(settings.user())
        .password(settings.password());
    if (settings.mode() != RedisConnectionConfig.Mode.CLUSTER) {
      builder.database(settings.database());
    }
    tls(builder, settings);
    return builder.build();
  }

  /**
   * The sentinels' connections: their own credentials, the data nodes' TLS and timeouts. Jedis keeps one
   * subscription per sentinel open for failover messages, which waits without a deadline by design (it is
   * quiet between failovers); {@link FollowingSentinelProvider} does not rely on it alone.
   */
  static JedisClientConfig sentinelClientConfig(RedisConnectionSettings settings) {
    DefaultJedisClientConfig.Builder builder = DefaultJedisClientConfig.builder()
        .resp2()
        .socketTimeoutMillis(settings.socketTimeoutMs())
        .connectionTimeoutMillis(settings.connectTimeoutMs())
        .clientName(settings.clientName() + ":sentinel")
        .user(settings.sentinel().user())
        .password(settings.sentinel().password());
    tls(builder, settings);
    return builder.build();
  }

  private static void tls(DefaultJedisClientConfig.Builder builder, RedisConnectionSettings settings) {
    if (settings.tls()) {
      builder.ssl(true);
      if (settings.tlsFiles().any()) {
        builder.sslSocketFactory(TlsSocketFactories.create(settings.tlsFiles()));
      }
      if (settings.verifyHostname()) {
        SSLParameters params = new SSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS");
        builder.sslParameters(params);
      } else {
        // Explicit parameters without endpoint identification: left unset, the client would still check.
        SSLParameters params = new SSLParameters();
        params.setEndpointIdentificationAlgorithm(null);
        builder.sslParameters(params);
        builder.hostnameVerifier((host, session) -> true);
      }
    }
  }

  static HostAndPort hostAndPort(URI uri) {
    return hostAndPort(uri, 6379);
  }

  private static HostAndPort hostAndPort(URI uri, int defaultPort) {
    return new HostAndPort(uri.getHost(), uri.getPort() == -1 ? defaultPort : uri.getPort());
  }

}
