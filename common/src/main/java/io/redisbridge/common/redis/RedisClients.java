package io.redisbridge.common.redis;

import io.redisbridge.common.config.RedisConnectionConfig;
import io.redisbridge.common.config.RedisConnectionSettings;
import java.net.URI;
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

  public static UnifiedJedis create(RedisConnectionSettings settings) {
    JedisClientConfig clientConfig = clientConfig(settings);
    // A task uses a handful of connections at most: one for blocking reads, one for acks and writes.
    GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
    pool.setMaxTotal(8);
    pool.setMaxIdle(8);
    pool.setMinIdle(0);
    pool.setTestOnBorrow(false);
    pool.setJmxEnabled(false);
    if (settings.mode() == RedisConnectionConfig.Mode.CLUSTER) {
      Set<HostAndPort> nodes = new LinkedHashSet<>();
      for (URI uri : settings.uris()) {
        nodes.add(hostAndPort(uri));
      }
      return RedisClusterClient.builder().nodes(nodes).clientConfig(clientConfig).poolConfig(pool).build();
    }
    return RedisClient.builder().hostAndPort(hostAndPort(settings.uris().get(0)))
        .clientConfig(clientConfig).poolConfig(pool).build();
  }

  static JedisClientConfig clientConfig(RedisConnectionSettings settings) {
    DefaultJedisClientConfig.Builder builder = DefaultJedisClientConfig.builder()
        .resp2()
        .socketTimeoutMillis(settings.socketTimeoutMs())
        .connectionTimeoutMillis(settings.connectTimeoutMs())
        .clientName(settings.clientName())
        .user(settings.user())
        .password(settings.password());
    if (settings.mode() == RedisConnectionConfig.Mode.STANDALONE) {
      builder.database(settings.database());
    }
    if (settings.tls()) {
      builder.ssl(true);
      if (settings.truststorePath() != null) {
        builder.sslSocketFactory(TrustStores.socketFactory(settings.truststorePath(), settings.truststorePassword()));
      }
      if (settings.verifyHostname()) {
        SSLParameters params = new SSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS");
        builder.sslParameters(params);
      } else {
        builder.hostnameVerifier((host, session) -> true);
      }
    }
    return builder.build();
  }

  static HostAndPort hostAndPort(URI uri) {
    int port = uri.getPort() == -1 ? 6379 : uri.getPort();
    return new HostAndPort(uri.getHost(), port);
  }

}
