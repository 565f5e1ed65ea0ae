package io.redisbridge.source.read;

import static org.assertj.core.api.Assertions.assertThat;

import io.redisbridge.source.StreamTestData;
import io.redisbridge.testing.FaultProxy;
import io.redisbridge.testing.RedisServerExtension;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;
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

  @Test
  void manyBusyStreamsAreReadAFewAtATimeAndInTurnAndAllAtOnceWhenTheyQuietDown() {
    UnifiedJedis redis = redisServer.client();
    List<String> streams = streamsWithGroup(redis, "many-", 30, 20);
    ConsumerIdentity identity = new ConsumerIdentity("g", "c");
    StreamReader reader = new StreamReader(redis, identity, streams, stream -> 0, new DeliveryCounts(redis, identity))
        .namingAtMost(10);
    assertThat(reader.read(100, 0)).as("own pending history: none").isEmpty();

    // One command over all 30 streams at first, then commands of 10 streams in turn.
    assertBusyReadsTakeTurns(redis, reader, streams, 1, 1);

    int left = 30 * 7;
    while (left > 0) {
      List<StreamEntry> read = reader.read(100, 0);
      assertThat(read).as("entries while %d are left", left).isNotEmpty();
      left -= read.size();
    }
    // Quiet again (the last reads came back less than half full): one command over all streams.
    assertThat(reader.read(100, 0)).isEmpty();
    streams.forEach(stream -> StreamTestData.add(redis, stream, 1, StreamTestData::order));
    long before = xreadgroupCalls(redis);
    assertThat(countByStream(reader.read(100, 0))).hasSize(30);
    assertThat(xreadgroupCalls(redis) - before).isEqualTo(1);
  }

  @Test
  void streamsInManySlotsAreReadInOneRoundTrip() {
    UnifiedJedis redis = redisServer.client();
    List<String> streams = streamsWithGroup(redis, "slots-", 100, 2);
    ConsumerIdentity identity = new ConsumerIdentity("g", "c");
    try (FaultProxy proxy = FaultProxy.to(redisServer.server().port());
        UnifiedJedis throughProxy = RedisClient.builder().hostAndPort("127.0.0.1", proxy.port())
            .clientConfig(DefaultJedisClientConfig.builder().socketTimeoutMillis(10_000).build()).build()) {
      // As on a cluster where every stream hashes to a slot of its own: a command per stream.
      StreamReader reader = new StreamReader(throughProxy, identity, streams, streams::indexOf,
          new DeliveryCounts(throughProxy, identity));
      assertThat(reader.read(1000, 0)).as("own pending history: none").isEmpty();
      proxy.latency(50);

      long started = System.nanoTime();
      List<StreamEntry> entries = reader.read(1000, 0);
      long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

      assertThat(countByStream(entries)).hasSize(100).allSatisfy((stream, n) -> assertThat(n).isEqualTo(2));
      // One after the other, the 100 commands would take at least 100 x 50 ms.
      assertThat(tookMs).isLessThan(1_500);
    }
  }

  @Test
  void manyBusySlotsArePipelinedAFewAtATimeAndInTurn() {
    UnifiedJedis redis = redisServer.client();
    List<String> streams = streamsWithGroup(redis, "busy-slots-", 30, 20);
    StreamReader reader = slotPerStream(redis, streams).namingAtMost(10);

    // Every slot at once at first (a command each), then the slots of 10 streams in turn.
    assertBusyReadsTakeTurns(redis, reader, streams, 30, 10);
  }

  /**
   * Reads of 100 from {@code reader} over 30 streams of 20 entries: the first, not yet known to be busy,
   * takes 3 entries from every stream in {@code firstCalls} XREADGROUP; the next three are busy, take 10
   * entries from 10 streams each in {@code busyCalls}, and between them reach every stream.
   */
  private static void assertBusyReadsTakeTurns(UnifiedJedis redis, StreamReader reader, List<String> streams,
      long firstCalls, long busyCalls) {
    long before = xreadgroupCalls(redis);
    assertThat(countByStream(reader.read(100, 0))).hasSize(30).allSatisfy((stream, n) -> assertThat(n).isEqualTo(3));
    assertThat(xreadgroupCalls(redis) - before).isEqualTo(firstCalls);
    Set<String> turns = new HashSet<>();
    for (int read = 0; read < 3; read++) {
      before = xreadgroupCalls(redis);
      Map<String, Long> byStream = countByStream(reader.read(100, 0));
      assertThat(xreadgroupCalls(redis) - before).isEqualTo(busyCalls);
      assertThat(byStream).hasSize(10).allSatisfy((stream, n) -> assertThat(n).isEqualTo(10));
      turns.addAll(byStream.keySet());
    }
    assertThat(turns).as("every stream had its turn").containsExactlyInAnyOrderElementsOf(streams);
  }

  @Test
  void anEmptyReadOfManySlotsWaitsOnceNotOncePerSlot() {
    UnifiedJedis redis = redisServer.client();
    List<String> streams = streamsWithGroup(redis, "quiet-", 100, 0);
    StreamReader reader = slotPerStream(redis, streams);

    int blockMs = 300;
    long before = xreadgroupCalls(redis);
    long started = System.nanoTime();
    assertThat(reader.read(1000, blockMs)).isEmpty();
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

    // Every slot asked once without blocking, then one wait. A wait of 3 ms on each of the 100 slots instead
    // ends only at Redis's next event-loop tick each (up to 100 ms): seconds for one empty read.
    assertThat(xreadgroupCalls(redis) - before).isEqualTo(101);
    assertThat(tookMs).isLessThan(2_000);
    // An entry in a slot the read did not wait on is found by the next read.
    StreamTestData.add(redis, "quiet-57", 1, StreamTestData::order);
    assertThat(reader.read(1000, blockMs)).extracting(StreamEntry::stream).containsExactly("quiet-57");
  }

  /**
   * A reader of {@code streams} as on a cluster where every stream hashes to a slot of its own (a command per
   * stream), past its empty replay of own pending history.
   */
  private static StreamReader slotPerStream(UnifiedJedis redis, List<String> streams) {
    ConsumerIdentity identity = new ConsumerIdentity("g", "c");
    StreamReader reader = new StreamReader(redis, identity, streams, streams::indexOf,
        new DeliveryCounts(redis, identity));
    assertThat(reader.read(1000, 0)).as("own pending history: none").isEmpty();
    return reader;
  }

  /** {@code count} streams named {@code prefix} and a number, each with group g and {@code entries} orders. */
  private static List<String> streamsWithGroup(UnifiedJedis redis, String prefix, int count, int entries) {
    List<String> streams = IntStream.range(0, count).mapToObj(i -> prefix + i).toList();
    for (String stream : streams) {
      redis.xgroupCreate(stream, "g", new StreamEntryID(0, 0), true);
      StreamTestData.add(redis, stream, entries, StreamTestData::order);
    }
    return streams;
  }

  private static long xreadgroupCalls(UnifiedJedis redis) {
    Matcher calls = Pattern.compile("cmdstat_xreadgroup:calls=(\\d+)").matcher(redis.info("commandstats"));
    return calls.find() ? Long.parseLong(calls.group(1)) : 0;
  }

  private static Map<String, Long> countByStream(List<StreamEntry> entries) {
    return entries.stream().collect(Collectors.groupingBy(StreamEntry::stream, Collectors.counting()));
  }
}
