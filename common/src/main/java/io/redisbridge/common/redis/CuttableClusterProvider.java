package io.redisbridge.common.redis;

import java.util.Set;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.providers.ClusterConnectionProvider;

/** A Redis Cluster's pools whose close also cuts the connections in use; see {@link OpenConnections}. */
final class CuttableClusterProvider extends ClusterConnectionProvider {

  private final OpenConnections open = new OpenConnections();

  CuttableClusterProvider(Set<HostAndPort> nodes, JedisClientConfig config, GenericObjectPoolConfig<Connection> pool) {
    super(nodes, config, pool);
  }

  @Override
  public Connection getConnection(HostAndPort node) {
    return open.track(super.getConnection(node));
  }

  @Override
  public Connection getConnection(CommandArguments args) {
    return open.track(super.getConnection(args));
  }

  @Override
  public Connection getReplicaConnection(CommandArguments args) {
    return open.track(super.getReplicaConnection(args));
  }

  @Override
  public Connection getConnection() {
    return open.track(super.getConnection());
  }

  @Override
  public Connection getConnectionFromSlot(int slot) {
    return open.track(super.getConnectionFromSlot(slot));
  }

  @Override
  public Connection getReplicaConnectionFromSlot(int slot) {
    return open.track(super.getReplicaConnectionFromSlot(slot));
  }

  @Override
  public void close() {
    open.cutAll();
    super.close();
  }
}
