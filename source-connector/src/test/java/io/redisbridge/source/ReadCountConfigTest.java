package io.redisbridge.source;

import static io.redisbridge.source.SourceProps.config;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How many entries one poll reads: more, unless set, when each poll is a Kafka transaction. */
class ReadCountConfigTest {

  @Test
  void atLeastOnceAndTheConnectorsOwnBoundariesReadRedisReadCount() {
    assertThat(config().readCountPerPoll(false)).isEqualTo(1000);
    assertThat(config("exactly.once.support", "requested").readCountPerPoll(false)).isEqualTo(1000);
    assertThat(config("exactly.once.support", "required").readCountPerPoll(true)).isEqualTo(1000);
  }

  @Test
  void aTransactionPerPollReadsTenThousandUnlessTheReadCountIsSet() {
    assertThat(config("exactly.once.support", "required").readCountPerPoll(false)).isEqualTo(10_000);
    assertThat(config("exactly.once.support", "required", "max.in.flight.entries", "200000")
        .readCountPerPoll(false)).as("not more with a larger in-flight cap").isEqualTo(10_000);
    assertThat(config("exactly.once.support", "required", "max.in.flight.entries", "6000")
        .readCountPerPoll(false)).as("at most half the in-flight cap").isEqualTo(3000);
    assertThat(config("exactly.once.support", "required", "max.in.flight.entries", "600")
        .readCountPerPoll(false)).as("never below redis.read.count").isEqualTo(1000);
    assertThat(config("exactly.once.support", "required", "redis.read.count", "500").readCountPerPoll(false))
        .as("a count the user set").isEqualTo(500);
  }
}
