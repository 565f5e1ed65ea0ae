package io.redisbridge.source.recover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.redisbridge.source.read.ConsumerIdentity;
import io.redisbridge.testing.RedisServerExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.XReadGroupParams;
import redis.clients.jedis.resps.StreamConsumerInfo;
import redis.clients.jedis.resps.StreamEntry;

/** Which consumers leave the group, against a real Redis. */
class FinishedConsumersIT {

  @RegisterExtension
  static final RedisServerExtension redisServer = new RedisServerExtension();

  private static final long MIN_IDLE_MS = 200;
  private UnifiedJedis redis;

  @BeforeEach
  void stream() {
    redis = redisServer.client();
    redis.del("s");
    for (int i = 0; i < 10; i++) {
      redis.xadd("s", StreamEntryID.NEW_ENTRY, Map.of("n", Integer.toString(i)));
    }
    redis.xgroupCreate("s", "g", new StreamEntryID(0, 0), false);
  }

  private List<StreamEntry> read(String consumer, int count) {
    List<Map.Entry<String, List<StreamEntry>>> reply = redis.xreadGroup("g", consumer,
        XReadGroupParams.xReadGroupParams().count(count), Map.of("s", StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
    return reply == null ? List.of() : reply.get(0).getValue();
  }

  private void join(String consumer) {
    redis.xgroupCreateConsumer("s", "g", consumer);
  }

  private List<String> consumers() {
    return redis.xinfoConsumers2("s", "g").stream().map(StreamConsumerInfo::getName).sorted().toList();
  }

  private void awaitIdle(String consumer) {
    await(consumer + " idle").atMost(Duration.ofSeconds(10)).until(() -> redis.xinfoConsumers2("s", "g").stream()
        .anyMatch(info -> info.getName().equals(consumer) && info.getIdle() >= MIN_IDLE_MS));
  }

  private FinishedConsumers finished(String self) {
    return new FinishedConsumers(redis, new ConsumerIdentity("g", self), MIN_IDLE_MS, true);
  }

  @Test
  void aConsumerGoesOnlyOnceItsEntriesAreAcknowledgedAndItIsIdle() {
    List<StreamEntry> held = read("departed", 3);
    join("self");
    awaitIdle("departed");

    finished("self").removeFrom("s", Set.of());
    assertThat(consumers()).as("entries still pending: it stays").containsExactly("departed", "self");

    held.forEach(entry -> redis.xack("s", "g", entry.getID()));
    finished("self").removeFrom("s", Set.of());
    assertThat(consumers()).containsExactly("self");
  }

  @Test
  void neitherTheTaskItselfNorOneToKeepNorARecentReaderGoes() {
    join("self");
    join("kept");
    awaitIdle("self");
    awaitIdle("kept");
    join("reader");

    finished("self").removeFrom("s", Set.of("kept"));

    assertThat(consumers()).containsExactly("kept", "reader", "self");
  }

  @Test
  void theDeleteChecksAgainSoEntriesDeliveredAfterALookAreNotDropped() {
    join("departed");
    awaitIdle("departed");
    FinishedConsumers finished = finished("self");
    // XINFO said: nothing pending, idle. Then the consumer reads again before the delete runs.
    read("departed", 2);

    assertThat(finished.removeIfFinished("s", "departed")).isFalse();
    assertThat(consumers()).containsExactly("departed");
    assertThat(redis.xpending("s", "g").getTotal()).isEqualTo(2);
    assertThat(finished.removeIfFinished("s", "nobody")).isFalse();
  }

  @Test
  void turnedOffItRemovesNothing() {
    join("departed");
    awaitIdle("departed");

    new FinishedConsumers(redis, new ConsumerIdentity("g", "self"), MIN_IDLE_MS, false).removeFrom("s", Set.of());

    assertThat(consumers()).containsExactly("departed");
  }

  @Test
  void aMissingStreamOrGroupIsNothingToRemove() {
    finished("self").removeFrom("no-such-stream", Set.of());
    assertThat(consumers()).isEmpty();
  }
}
