package io.redisbridge.common.config;

import io.redisbridge.common.retry.Backoff;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;

/** How long both connectors wait between attempts while Redis is unreachable or busy. */
public final class RetryConfig {

  public static final String GROUP = "Retry";
  public static final String BACKOFF_INITIAL_MS = "redis.retry.backoff.initial.ms";
  public static final String BACKOFF_MAX_MS = "redis.retry.backoff.max.ms";

  private RetryConfig() {}

  public static ConfigDef addTo(ConfigDef def) {
    return def
        .define(BACKOFF_INITIAL_MS, Type.LONG, 100L, ConfigDef.Range.between(1, 60_000), Importance.LOW,
            "First wait after Redis could not be reached or answered busy (LOADING, BUSY, failover), in "
                + "milliseconds. Each further failure doubles it up to redis.retry.backoff.max.ms; "
                + "the task keeps running and retries for as long as it takes.",
            GROUP, 1, Width.SHORT, "Initial backoff (ms)")
        .define(BACKOFF_MAX_MS, Type.LONG, 10_000L, ConfigDef.Range.between(1, 600_000), Importance.LOW,
            "Longest wait between attempts to reach Redis, in milliseconds.",
            GROUP, 2, Width.SHORT, "Maximum backoff (ms)");
  }

  public static Backoff backoff(AbstractConfig config) {
    long initial = config.getLong(BACKOFF_INITIAL_MS);
    return new Backoff(initial, Math.max(initial, config.getLong(BACKOFF_MAX_MS)));
  }
}
