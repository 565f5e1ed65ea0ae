package io.redisbridge.common.redis;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.providers.ConnectionProvider;
import redis.clients.jedis.providers.SentineledConnectionProvider;

/**
 * Sentinel mode: Jedis's sentinel provider, which learns of a failover from the sentinels' pub/sub
 * messages, plus a check that does not depend on them. Those messages arrive on long-lived subscriptions
 * that wait without a deadline; a subscription left half-open by a network fault hears nothing, and the
 * client would keep sending to the old primary. So after every failure of a command the task asks the
 * sentinels directly, over new connections with the usual timeouts, and when they name another primary
 * the client starts over there (new pool, new subscriptions; the old ones are cut).
 */
final class FollowingSentinelProvider implements ConnectionProvider {

  private static final Logger log = LoggerFactory.getLogger(FollowingSentinelProvider.class);

  private final String masterName;
  private final Set<HostAndPort> sentinels;
  private final JedisClientConfig dataConfig;
  private final JedisClientConfig sentinelConfig;
  private final GenericObjectPoolConfig<Connection> pool;
  private final OpenConnections open = new OpenConnections();
  private volatile SentineledConnectionProvider current;

  FollowingSentinelProvider(String masterName, Set<HostAndPort> sentinels, JedisClientConfig dataConfig,
      JedisClientConfig sentinelConfig, GenericObjectPoolConfig<Connection> pool) {
    this.masterName = masterName;
    this.sentinels = Set.copyOf(sentinels);
    this.dataConfig = dataConfig;
    this.sentinelConfig = sentinelConfig;
    this.pool = pool;
    this.current = newProvider();
  }

  private SentineledConnectionProvider newProvider() {
    return new SentineledConnectionProvider(masterName, dataConfig, pool, sentinels, sentinelConfig);
  }

  @Override
  public Connection getConnection() {
    return open.track(current.getConnection());
  }

  @Override
  public Connection getConnection(CommandArguments args) {
    return open.track(current.getConnection(args));
  }

  @Override
  public Map<?, ?> getConnectionMap() {
    return current.getConnectionMap();
  }

  @Override
  public Map<?, ?> getPrimaryNodesConnectionMap() {
    return current.getPrimaryNodesConnectionMap();
  }

  HostAndPort currentPrimary() {
    return current.getCurrentMaster();
  }

  /**
   * Asks the sentinels where the primary is; when that is not where this client sends its commands,
   * starts over at the reported primary. Does nothing while no sentinel answers.
   */
  synchronized void followReportedPrimary() {
    HostAndPort reported = reportedPrimary();
    SentineledConnectionProvider stale = current;
    if (reported == null || reported.equals(stale.getCurrentMaster())) {
      return;
    }
    try {
      current = newProvider();
    } catch (RuntimeException e) {
      log.debug("Could not connect to the primary {} the sentinels report for {} yet: {}", reported, masterName,
          e.toString());
      return;
    }
    log.warn("The sentinels report the primary of {} at {}, but this client still sent to {}: it now sends to "
        + "{} (the sentinels' failover message did not reach it)", masterName, reported, stale.getCurrentMaster(),
        current.getCurrentMaster());
    stale.close();
  }

  private HostAndPort reportedPrimary() {
    for (HostAndPort sentinel : sentinels) {
      try (Jedis jedis = new Jedis(sentinel, sentinelConfig)) {
        List<String> address = jedis.sentinelGetMasterAddrByName(masterName);
        if (address != null && address.size() == 2) {
          return new HostAndPort(address.get(0), Integer.parseInt(address.get(1)));
        }
      } catch (RuntimeException e) {
        log.debug("Sentinel {} did not say where the primary of {} is: {}", sentinel, masterName, e.toString());
      }
    }
    return null;
  }

  @Override
  public void close() {
    open.cutAll();
    current.close();
  }
}
