package io.redisbridge.common.redis;

import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.UnifiedJedis;

/** The client of a Sentinel-managed Redis; see {@link FollowingSentinelProvider} for how it follows failovers. */
public final class SentinelRedis extends UnifiedJedis {

  private final FollowingSentinelProvider provider;

  SentinelRedis(FollowingSentinelProvider provider) {
    super(provider, RedisProtocol.RESP2);
    this.provider = provider;
  }

  /** Where the commands go now. */
  public HostAndPort currentPrimary() {
    return provider.currentPrimary();
  }

  /** After a failed command: follows the primary the sentinels report, if it moved. */
  void followReportedPrimary() {
    provider.followReportedPrimary();
  }
}
