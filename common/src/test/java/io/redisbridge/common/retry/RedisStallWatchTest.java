package io.redisbridge.common.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.exceptions.JedisConnectionException;

class RedisStallWatchTest {

  private final AtomicLong now = new AtomicLong(1_000_000);
  private final RedisStallWatch watch = new RedisStallWatch("task t", "streams s", 5_000, now::get);

  @Test
  void isZeroWhileCallsSucceed() {
    watch.call("PING", () -> {
      now.addAndGet(300);
      return "PONG";
    });
    watch.check();
    assertThat(watch.stalledMs()).isZero();
    assertThat(watch.stalls()).isZero();
  }

  @Test
  void growsWhileACallWaitsAndCountsOneStallPerEpisode() throws Exception {
    CountDownLatch waiting = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Thread caller = new Thread(() -> watch.call("XREADGROUP", () -> {
      waiting.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return null;
    }));
    caller.start();
    waiting.await();
    now.addAndGet(4_000);
    watch.check();
    assertThat(watch.stalledMs()).isEqualTo(4_000);
    assertThat(watch.stalls()).isZero();

    now.addAndGet(2_000);
    watch.check();
    watch.check();
    assertThat(watch.stalledMs()).isEqualTo(6_000);
    assertThat(watch.stalls()).isEqualTo(1);

    release.countDown();
    caller.join();
    assertThat(watch.stalledMs()).isZero();
  }

  @Test
  void failuresKeepTheEpisodeOpenUntilACallSucceeds() {
    for (int attempt = 0; attempt < 4; attempt++) {
      assertThatThrownBy(() -> watch.run("XACK", () -> {
        throw new JedisConnectionException("Read timed out");
      })).isInstanceOf(JedisConnectionException.class);
      now.addAndGet(2_000);
    }
    watch.check();
    assertThat(watch.stalledMs()).isEqualTo(8_000);
    assertThat(watch.stalls()).isEqualTo(1);

    watch.run("XACK", () -> { });
    assertThat(watch.stalledMs()).isZero();

    assertThatThrownBy(() -> watch.run("XACK", () -> {
      throw new JedisConnectionException("Read timed out");
    })).isInstanceOf(JedisConnectionException.class);
    now.addAndGet(6_000);
    watch.check();
    assertThat(watch.stalls()).isEqualTo(2);
  }

  @Test
  void anErrorReplyIsAnAnswerNotAStall() {
    assertThatThrownBy(() -> watch.run("XADD", () -> {
      throw new redis.clients.jedis.exceptions.JedisDataException("OOM command not allowed");
    })).isInstanceOf(redis.clients.jedis.exceptions.JedisDataException.class);
    now.addAndGet(10_000);
    watch.check();
    assertThat(watch.stalledMs()).isZero();
    assertThat(watch.stalls()).isZero();
  }

  @Test
  void thresholdIsTwiceTheSocketTimeoutPlusTheBlockTime() {
    assertThat(RedisStallWatch.thresholdMs(10_000, 500)).isEqualTo(20_500);
  }
}
