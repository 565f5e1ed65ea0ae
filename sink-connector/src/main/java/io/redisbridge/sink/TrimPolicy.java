package io.redisbridge.sink;

import java.time.Clock;
import java.util.function.Function;
import redis.clients.jedis.params.XAddParams;

/** The XADD arguments that keep a stream bounded, per the trimming settings. */
final class TrimPolicy {

  private final RedisStreamsSinkConfig.TrimStrategy strategy;
  private final long maxLen;
  private final boolean exact;
  private final long retentionMs;
  private final long limit;
  private final boolean noMkStream;
  private final Clock clock;

  TrimPolicy(RedisStreamsSinkConfig config, Clock clock) {
    this.strategy = config.trimStrategy();
    this.maxLen = config.trimMaxLen();
    this.exact = config.trimExact();
    this.retentionMs = config.trimRetentionMs();
    this.limit = config.trimLimit();
    this.noMkStream = config.noMkStream();
    this.clock = clock;
  }

  /**
   * The XADD arguments of each write in one batch: the shared trimming (MINID computed from the clock
   * once per batch), plus the write's own entry ID when it has one.
   */
  Function<StreamWrite, XAddParams> forBatch() {
    XAddParams shared = params();
    return write -> write.id() == null ? shared : params().id(write.id());
  }

  /** Parameters for the XADDs of one batch; MINID is computed from the clock once per batch. */
  XAddParams params() {
    XAddParams params = XAddParams.xAddParams();
    if (noMkStream) {
      params.noMkStream();
    }
    switch (strategy) {
      case NONE -> {
        return params;
      }
      case MAXLEN -> params.maxLen(maxLen);
      case MINID -> params.minId(Math.max(0, clock.millis() - retentionMs) + "-0");
      default -> throw new IllegalStateException("unknown trim strategy " + strategy);
    }
    if (exact) {
      params.exactTrimming();
    } else {
      params.approximateTrimming();
      if (limit > 0) {
        params.limit(limit);
      }
    }
    return params;
  }
}
