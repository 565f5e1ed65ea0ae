package io.redisbridge.source.read;

import static org.assertj.core.api.Assertions.assertThat;

import io.redisbridge.source.StreamTestData;
import io.redisbridge.testing.RedisServerExtension;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.UnifiedJedis;

/** What one read asks of Redis, against a real server. */
class StreamReaderIT {

  @RegisterExtension
  static final RedisServerExtension redisServer = new RedisServerExtension();

  @Test
  void anIdleStreamInAnotherSlotDoesNotHoldBackTheEntriesOfABusyOne() {
    UnifiedJedis redis = redisServer.client();
    for (String stream : List.of("idle", "busy")) {
      redis.xgroupCreate(stream, "g", new StreamEntryID(0, 0), true);
    }
    StreamTestData.add(redis, "busy", 10, StreamTestData::order);
    ConsumerIdentity identity = new ConsumerIdentity("g", "c");
    // As on a cluster where the two keys hash to different slots: one command per stream.
    StreamReader reader = new StreamReader(redis, identity, List.of("idle", "busy"),
        stream -> stream.equals("idle") ? 1 : 2, new DeliveryCounts(redis, identity));
    assertThat(reader.read(100, 0)).isEmpty(); // no own pending history on either stream
    assertThat(reader.replayingHistory()).isFalse();

    int blockMs = 20_000;
    long started = System.nanoTime();
    List<StreamEntry> entries = reader.read(100, blockMs);
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

    assertThat(entries).hasSize(10).allMatch(entry -> entry.stream().equals("busy"));
    // Blocking on the idle stream first would have taken its share of the block time (10 s) to answer.
    assertThat(tookMs).isLessThan(blockMs / 2);
  }
}
