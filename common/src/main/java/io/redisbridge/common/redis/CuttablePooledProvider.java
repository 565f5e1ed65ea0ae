package io.redisbridge.common.redis;

import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Connection;
import redis.clients.jedis.ConnectionFactory;
import redis.clients.jedis.DefaultJedisSocketFactory;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.providers.PooledConnectionProvider;

/** A single server's pool whose close also cuts the connections in use; see {@link OpenConnections}. */
final class CuttablePooledProvider extends PooledConnectionProvider {

  private final OpenConnections open;

  CuttablePooledProvider(HostAndPort server, JedisClientConfig config, GenericObjectPoolConfig<Connection> pool) {
    this(new OpenConnections(), server, config, pool);
  }

  private CuttablePooledProvider(OpenConnections open, HostAndPort server, JedisClientConfig config,
      GenericObjectPoolConfig<Connection> pool) {
    // Its own socket factory, so that even a connection still in its handshake is cut on close.
    super(new ConnectionFactory(open.trackingSockets(new DefaultJedisSocketFactory(server, config)), config), pool);
    this.open = open;
  }

  @Override
  public Connection getConnection() {
    return open.track(super.getConnection());
  }

  @Override
  public Connection getConnection(CommandArguments args) {
    return open.track(super.getConnection(args));
  }

  @Override
  public void close() {
    open.cutAll();
    super.close();
  }
}
