package io.redisbridge.common.retry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

class BackoffTest {

  @Test
  void doublesUpToTheCapAndStartsOverAfterReset() {
    Backoff backoff = new Backoff(100, 1000);
    List<Long> delays = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      delays.add(backoff.nextDelayMs());
    }
    assertThat(delays).containsExactly(100L, 200L, 400L, 800L, 1000L, 1000L);

    backoff.reset();
    assertThat(backoff.nextDelayMs()).isEqualTo(100);
  }

  @Test
  void neverOverflowsAfterManyFailures() {
    Backoff backoff = new Backoff(1, 60_000);
    for (int i = 0; i < 200; i++) {
      assertThat(backoff.nextDelayMs()).isBetween(1L, 60_000L);
    }
  }

  @Test
  void sortsConnectionTroubleAndBusyRepliesAsTransient() {
    assertThat(RedisErrors.isTransient(new JedisConnectionException("reset"))).isTrue();
    assertThat(RedisErrors.isTransient(new RuntimeException(new JedisConnectionException("x")))).isTrue();
    assertThat(RedisErrors.isTransient(new JedisDataException("LOADING Redis is loading the dataset"))).isTrue();
    assertThat(RedisErrors.isTransient(new JedisDataException("BUSY Redis is busy running a script"))).isTrue();
    assertThat(RedisErrors.isTransient(new JedisDataException("WRONGTYPE Operation against a key"))).isFalse();
    assertThat(RedisErrors.isTransient(new JedisDataException("NOGROUP No such key"))).isFalse();
    assertThat(RedisErrors.isTransient(new redis.clients.jedis.exceptions.JedisMovedDataException(
        "MOVED 8288 127.0.0.1:7001", new redis.clients.jedis.HostAndPort("127.0.0.1", 7001), 8288))).isTrue();
  }

  @Test
  void sortsTheClusterPipelinesFailuresOnADeadNodeAsTransientAndLookalikesNot() {
    NullPointerException fromPipeline = new NullPointerException("Cannot invoke \"Connection.getMany(int)\"");
    fromPipeline.setStackTrace(new StackTraceElement[] {
        new StackTraceElement("redis.clients.jedis.MultiNodePipelineBase", "lambda$sync$0", null, 133),
        new StackTraceElement("redis.clients.jedis.MultiNodePipelineBase", "sync", null, 131)});
    assertThat(RedisErrors.isTransient(new RuntimeException(fromPipeline))).isTrue();
    IllegalStateException unsetReply = new IllegalStateException(
        "Please close pipeline or multi block before calling this method.");
    unsetReply.setStackTrace(new StackTraceElement[] {
        new StackTraceElement("redis.clients.jedis.Response", "get", null, 34)});
    assertThat(RedisErrors.isTransient(unsetReply)).isTrue();
    assertThat(RedisErrors.isTransient(new NullPointerException("a bug of ours"))).isFalse();
    assertThat(RedisErrors.isTransient(new IllegalStateException("Please close pipeline or multi block"))).isFalse();
  }
}
