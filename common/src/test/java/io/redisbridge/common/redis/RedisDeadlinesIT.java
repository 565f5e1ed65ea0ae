package io.redisbridge.common.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.redisbridge.common.config.RedisConnectionConfig;
import io.redisbridge.common.config.RedisConnectionSettings;
import io.redisbridge.testing.FaultProxy;
import io.redisbridge.testing.RedisServerExtension;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.params.XReadGroupParams;

/**
 * Every call of the connectors' client has a deadline, blocking reads included, through a proxy that
 * leaves connections half-open; a timed-out connection is discarded; closing the client ends a call
 * that waits.
 */
class RedisDeadlinesIT {

  @RegisterExtension
  static final RedisServerExtension redisServer = new RedisServerExtension();

  private FaultProxy proxy;

  @BeforeEach
  void startProxy() {
    proxy = FaultProxy.to(redisServer.server().port());
    redisServer.client().del("deadlines");
    redisServer.client().xgroupCreate("deadlines", "g", new StreamEntryID(0, 0), true);
  }

  @AfterEach
  void closeProxy() {
    proxy.close();
  }

  private RedisConnectionSettings settings(int socketTimeoutMs) {
    Map<String, String> props = new HashMap<>();
    props.put(RedisConnectionConfig.URI, "redis://127.0.0.1:" + proxy.port());
    props.put(RedisConnectionConfig.SOCKET_TIMEOUT_MS, Integer.toString(socketTimeoutMs));
    return RedisConnectionConfig.read(new AbstractConfig(RedisConnectionConfig.addTo(new ConfigDef()), props, false));
  }

  private static Object blockingRead(UnifiedJedis redis) {
    return redis.xreadGroup("g", "c", XReadGroupParams.xReadGroupParams().count(10).block(500),
        Map.of("deadlines", StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
  }

  @Test
  void aBlockingReadOnAHalfOpenConnectionEndsAfterItsBlockTimePlusTheSocketTimeoutAndTheNextCallWorks() {
    try (UnifiedJedis redis = RedisClients.create(settings(1_000), 500)) {
      redis.ping();
      proxy.cut();
      long started = System.nanoTime();
      assertThatThrownBy(() -> blockingRead(redis)).isInstanceOf(JedisConnectionException.class);
      long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      assertThat(tookMs).isBetween(1_400L, 4_000L);

      proxy.heal();
      // The silenced connection was discarded: this call gets a new one and an answer.
      assertThat(redis.ping()).isEqualTo("PONG");
      assertThat(blockingRead(redis)).isNull();
    }
  }

  @Test
  void aPlainCommandOnAHalfOpenConnectionEndsAfterTheSocketTimeout() {
    try (UnifiedJedis redis = RedisClients.create(settings(1_000), 500)) {
      redis.ping();
      proxy.cut();
      long started = System.nanoTime();
      assertThatThrownBy(() -> redis.xlen("deadlines")).isInstanceOf(JedisConnectionException.class);
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isBetween(900L, 3_000L);
    }
  }

  @Test
  void closingTheClientEndsACallThatWaitsOnAHalfOpenConnectionAtOnce() throws Exception {
    UnifiedJedis redis = RedisClients.create(settings(60_000), 500);
    redis.ping();
    proxy.cut();
    CompletableFuture<Object> read = CompletableFuture.supplyAsync(() -> blockingRead(redis));
    await("the read was sent into the silence").atMost(Duration.ofSeconds(10))
        .until(() -> proxy.droppedBytes() > 0);

    long started = System.nanoTime();
    redis.close();

    assertThatThrownBy(() -> read.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(JedisConnectionException.class);
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(5_000L);
  }

  @Test
  void closingTheClientEndsANewConnectionWaitingInItsHandshake() throws Exception {
    UnifiedJedis redis = RedisClients.create(settings(60_000), 500);
    proxy.cut();
    // The pool is empty: this call opens a connection, whose CLIENT SETNAME goes into the silence.
    CompletableFuture<Object> read = CompletableFuture.supplyAsync(() -> blockingRead(redis));
    await("the handshake was sent into the silence").atMost(Duration.ofSeconds(10))
        .until(() -> proxy.droppedBytes() > 0);

    long started = System.nanoTime();
    redis.close();

    assertThatThrownBy(() -> read.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(JedisConnectionException.class);
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(5_000L);
  }
}
