package io.redisbridge.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.redisbridge.source.ack.AckQueue;
import io.redisbridge.source.map.EntryRecord;
import io.redisbridge.source.read.StreamReader;
import io.redisbridge.testing.RedisServerExtension;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.storage.OffsetStorageReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.XReadGroupParams;

/** The poll cycle without a worker, against a real Redis: what it reads, holds back and acknowledges. */
class StreamsSourcePollerIT {

  @RegisterExtension
  static final RedisServerExtension redisServer = new RedisServerExtension();

  private static StreamsSourcePoller poller(UnifiedJedis redis, AckQueue acks, String stream, String... extra) {
    return poller(redis, acks, Map.of(), stream, extra);
  }

  /** A poller whose task finds {@code committed} in Connect's offset store (entry IDs by source partition). */
  private static StreamsSourcePoller poller(UnifiedJedis redis, AckQueue acks,
      Map<Map<String, String>, String> committed, String stream, String... extra) {
    return poller(redis, acks, Clock.systemUTC(), committed, stream, extra);
  }

  private static StreamsSourcePoller poller(UnifiedJedis redis, AckQueue acks, Clock clock,
      Map<Map<String, String>, String> committed, String stream, String... extra) {
    Map<String, String> props = new HashMap<>();
    props.put("redis.streams", stream);
    props.put("redis.consumer.group", "g");
    props.put("redis.consumer.group.start.id", "0");
    props.put("redis.read.block.ms", "50");
    props.put("task.consumer.name", "c-0");
    for (int i = 0; i < extra.length; i += 2) {
      props.put(extra[i], extra[i + 1]);
    }
    RedisStreamsSourceTaskConfig config = new RedisStreamsSourceTaskConfig(props);
    return new StreamsSourcePoller(config, config.readCountPerPoll(false), redis, key -> 0, acks,
        clock, new CountDownLatch(1), new CommittedOffsets(committed),
        new io.redisbridge.common.retry.RedisStallWatch("test task", "streams " + stream, 60_000));
  }

  /** Connect's offset store as a task reads it, holding what earlier runs committed. */
  private record CommittedOffsets(Map<Map<String, String>, String> entryIds) implements OffsetStorageReader {
    @Override
    public <T> Map<String, Object> offset(Map<String, T> partition) {
      String id = entryIds.get(partition);
      return id == null ? null : Map.of("entry.id", id);
    }

    @Override
    public <T> Map<Map<String, T>, Map<String, Object>> offsets(Collection<Map<String, T>> partitions) {
      Map<Map<String, T>, Map<String, Object>> found = new HashMap<>();
      partitions.forEach(partition -> found.put(partition, offset(partition)));
      return found;
    }
  }

  /** Creates group g on {@code stream} and delivers its first {@code count} entries to {@code consumer}: pending. */
  private static void deliverAll(UnifiedJedis redis, String stream, String consumer, int count) {
    redis.xgroupCreate(stream, "g", new StreamEntryID(0, 0), false);
    redis.xreadGroup("g", consumer, XReadGroupParams.xReadGroupParams().count(count),
        Map.of(stream, StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
  }

  /** The first records a poller returns; a poll may come back empty while it checks its own history. */
  private static List<SourceRecord> pollForRecords(StreamsSourcePoller poller) throws InterruptedException {
    for (int attempt = 0; attempt < 5; attempt++) {
      List<SourceRecord> records = poller.poll();
      if (records != null) {
        return records;
      }
    }
    throw new AssertionError("no records in 5 polls");
  }

  /** A clock the test moves. */
  private static final class SteppedClock extends Clock {
    private long millis = System.currentTimeMillis();

    void advance(long by) {
      millis += by;
    }

    @Override
    public long millis() {
      return millis;
    }

    @Override
    public java.time.Instant instant() {
      return java.time.Instant.ofEpochMilli(millis);
    }

    @Override
    public java.time.ZoneId getZone() {
      return java.time.ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  @Test
  void readsWhatThePreviousInstanceOfTheTaskReadAfterThisOneStarted() throws Exception {
    UnifiedJedis redis = redisServer.client();
    List<String> ids = StreamTestData.add(redis, "overlap", 10, StreamTestData::order);
    SteppedClock clock = new SteppedClock();
    AckQueue acks = new AckQueue();
    // At the cap the poller reads nothing ahead, so the previous instance below gets the new entries.
    StreamsSourcePoller poller = poller(redis, acks, clock, Map.of(), "overlap", "max.in.flight.entries", "10");
    List<SourceRecord> first = pollForRecords(poller);
    assertThat(first).hasSize(10);
    assertThat(poller.poll()).as("at the cap").isNull();

    // The previous instance, still stopping, reads 3 more entries under the same consumer name and dies.
    List<String> late = StreamTestData.add(redis, "overlap", 3, StreamTestData::order);
    redis.xreadGroup("g", "c-0", XReadGroupParams.xReadGroupParams().count(3),
        Map.of("overlap", StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
    first.forEach(acks::confirm);
    assertThat(poller.poll()).as("nothing new, and not yet the grace period").isNull();
    assertThat(poller.poll()).isNull();
    assertThat(StreamTestData.pending(redis, "overlap", "g")).isEqualTo(3);

    clock.advance(StreamReader.PREDECESSOR_GRACE_MS);
    poller.poll(); // notices the grace period is over
    List<SourceRecord> replayed = pollForRecords(poller);
    assertThat(replayed).extracting(record -> EntryRecord.refOf(record).id().toString())
        .containsExactlyElementsOf(late);
    assertThat(ids).hasSize(10);
  }

  @Test
  void stopsReadingAtTheInFlightCapUntilKafkaConfirms() throws Exception {
    UnifiedJedis redis = redisServer.client();
    StreamTestData.add(redis, "capped", 200, StreamTestData::order);
    AckQueue acks = new AckQueue();
    StreamsSourcePoller poller = poller(redis, acks, "capped", "max.in.flight.entries", "50");

    List<SourceRecord> first = pollForRecords(poller);
    List<SourceRecord> atCap = poller.poll();

    assertThat(first).hasSize(50);
    assertThat(atCap).isNull();
    assertThat(StreamTestData.pending(redis, "capped", "g")).isEqualTo(50);

    first.subList(0, 20).forEach(acks::confirm);
    List<SourceRecord> afterConfirm = pollForRecords(poller);

    assertThat(afterConfirm).hasSize(20);
    assertThat(StreamTestData.pending(redis, "capped", "g")).isEqualTo(50);
    assertThat(redis.xpending("capped", "g").getMinId()).isEqualTo(EntryRecord.refOf(first.get(20)).id());
  }

  @Test
  void exactlyOnceAcknowledgesPendingEntriesKafkaAlreadyHasInsteadOfProducingThemAgain() throws Exception {
    UnifiedJedis redis = redisServer.client();
    List<String> ids = StreamTestData.add(redis, "eos-own", 10, StreamTestData::order);
    deliverAll(redis, "eos-own", "c-0", 10);
    // A run that crashed had entries up to the 6th in a committed transaction when it died.
    Map<String, String> partition = Map.of("stream", "eos-own", "group", "g", "consumer", "c-0");
    StreamsSourcePoller poller = poller(redis, new AckQueue(), Map.of(partition, ids.get(5)), "eos-own",
        "exactly.once.support", "required");

    List<SourceRecord> replayed = pollForRecords(poller);

    assertThat(replayed).extracting(record -> (String) record.sourceOffset().get("entry.id"))
        .containsExactlyElementsOf(ids.subList(6, 10));
    assertThat(replayed).allSatisfy(record -> assertThat(record.sourcePartition()).isEqualTo(partition));
    assertThat(StreamTestData.pending(redis, "eos-own", "g")).isEqualTo(4);
    assertThat(redis.xpending("eos-own", "g").getMinId()).isEqualTo(new StreamEntryID(ids.get(6)));
  }

  @Test
  void exactlyOnceReplaysADepartedConsumersEntriesAsThatConsumerUnderItsOwnPartition() throws Exception {
    UnifiedJedis redis = redisServer.client();
    List<String> ids = StreamTestData.add(redis, "eos-departed", 10, StreamTestData::order);
    deliverAll(redis, "eos-departed", "c-7", 10);
    Map<String, String> departed = Map.of("stream", "eos-departed", "group", "g", "consumer", "c-7");
    AckQueue acks = new AckQueue();
    StreamsSourcePoller poller = poller(redis, acks, Map.of(departed, ids.get(3)), "eos-departed",
        "exactly.once.support", "required", "task.consumer.names", "c-0",
        "redis.claim.interval.ms", "1", "redis.claim.min.idle.ms", "1");

    List<SourceRecord> adopted = pollForRecords(poller);

    assertThat(adopted).extracting(record -> (String) record.sourceOffset().get("entry.id"))
        .containsExactlyElementsOf(ids.subList(4, 10));
    assertThat(adopted).allSatisfy(record -> assertThat(record.sourcePartition()).isEqualTo(departed));
    // Still the departed consumer's until Kafka confirms: a crash now would replay them the same way.
    assertThat(redis.xpending("eos-departed", "g").getConsumerMessageCount()).containsOnlyKeys("c-7")
        .containsEntry("c-7", 6L);

    adopted.forEach(acks::confirm);
    poller.poll();
    assertThat(StreamTestData.pending(redis, "eos-departed", "g")).isZero();
  }

  @Test
  void exactlyOnceLeavesADepartedConsumerToTheOneTaskItHashesTo() throws Exception {
    UnifiedJedis redis = redisServer.client();
    StreamTestData.add(redis, "eos-owner", 5, StreamTestData::order);
    deliverAll(redis, "eos-owner", "gone", 5);
    List<String> tasks = List.of("c-0", "c-1");
    String owner = tasks.get(Math.floorMod("gone".hashCode(), 2));
    String other = tasks.get(1 - tasks.indexOf(owner));
    String[] settings = {"exactly.once.support", "required", "task.consumer.names", "c-0,c-1",
        "redis.claim.interval.ms", "1", "redis.claim.min.idle.ms", "1", "redis.read.block.ms", "20"};

    String[] asOther = java.util.stream.Stream.concat(java.util.Arrays.stream(settings),
        java.util.stream.Stream.of("task.consumer.name", other)).toArray(String[]::new);
    StreamsSourcePoller notOwner = poller(redis, new AckQueue(), "eos-owner", asOther);
    for (int poll = 0; poll < 5; poll++) {
      assertThat(notOwner.poll()).isNull();
    }
    String[] asOwner = java.util.stream.Stream.concat(java.util.Arrays.stream(settings),
        java.util.stream.Stream.of("task.consumer.name", owner)).toArray(String[]::new);
    assertThat(pollForRecords(poller(redis, new AckQueue(), "eos-owner", asOwner))).hasSize(5);
  }

  @Test
  void acknowledgesAndSkipsEntriesDeletedWhilePending() throws Exception {
    UnifiedJedis redis = redisServer.client();
    List<String> ids = StreamTestData.add(redis, "trimmed", 10, StreamTestData::order);
    deliverAll(redis, "trimmed", "c-0", 10);
    redis.xdel("trimmed", new StreamEntryID(ids.get(1)), new StreamEntryID(ids.get(2)));

    List<SourceRecord> replayed = pollForRecords(poller(redis, new AckQueue(), "trimmed", "record.headers",
        "redis.entry.id,redis.delivery.count"));

    List<String> survivors = new java.util.ArrayList<>(ids);
    survivors.remove(2);
    survivors.remove(1);
    assertThat(replayed).extracting(record -> (String) record.sourceOffset().get("entry.id"))
        .containsExactlyElementsOf(survivors);
    assertThat(replayed.get(0).headers().lastWithName("redis.delivery.count").value()).isEqualTo(2L);
    assertThat(StreamTestData.pending(redis, "trimmed", "g")).isEqualTo(8);
  }

  @Test
  void entriesReadAheadThatNoPollTookStayPendingAndTheNextRunDeliversThem() throws Exception {
    UnifiedJedis redis = redisServer.client();
    List<String> ids = StreamTestData.add(redis, "ahead", 30, StreamTestData::order);
    AckQueue acks = new AckQueue();
    StreamsSourcePoller stopped = poller(redis, acks, "ahead", "redis.read.count", "10");

    List<SourceRecord> first = pollForRecords(stopped);
    // The next ten are read while Connect would send the first: delivered to c-0, so pending.
    await().atMost(Duration.ofSeconds(10)).until(() -> StreamTestData.pending(redis, "ahead", "g") == 20);
    // Kafka confirms the first ten; the task stops as RedisStreamsSourceTask.stop() does.
    first.forEach(acks::confirm);
    stopped.flushAcksQuietly();
    stopped.close();
    assertThat(StreamTestData.pending(redis, "ahead", "g")).isEqualTo(10);

    StreamsSourcePoller restarted = poller(redis, new AckQueue(), "ahead", "redis.read.count", "10");
    List<String> delivered = new ArrayList<>();
    while (delivered.size() < 20) {
      List<SourceRecord> records = restarted.poll();
      if (records != null) {
        records.forEach(record -> delivered.add((String) record.sourceOffset().get("entry.id")));
      }
    }
    restarted.close();

    assertThat(first).extracting(record -> (String) record.sourceOffset().get("entry.id"))
        .containsExactlyElementsOf(ids.subList(0, 10));
    assertThat(delivered).containsExactlyElementsOf(ids.subList(10, 30));
  }

  @Test
  void aReadAheadWaitingForEntriesReturnsThoseAddedAfterThePoll() throws Exception {
    UnifiedJedis redis = redisServer.client();
    StreamTestData.add(redis, "later", 1, StreamTestData::order);
    // A long block: the read ahead is still waiting when the entries arrive, and returns them then.
    StreamsSourcePoller poller = poller(redis, new AckQueue(), "later", "redis.read.block.ms", "2000");
    pollForRecords(poller);

    List<String> added = StreamTestData.add(redis, "later", 3, StreamTestData::order);
    List<SourceRecord> next = pollForRecords(poller);

    assertThat(next).extracting(record -> (String) record.sourceOffset().get("entry.id")).isSubsetOf(added)
        .isNotEmpty();
  }

  @Test
  void theInFlightCapHoldsAcrossSeveralStreamsReadByOneCommand() throws Exception {
    UnifiedJedis redis = redisServer.client();
    StreamTestData.add(redis, "cap-east", 200, StreamTestData::order);
    StreamTestData.add(redis, "cap-west", 200, StreamTestData::order);
    StreamsSourcePoller poller = poller(redis, new AckQueue(), "cap-east,cap-west", "max.in.flight.entries", "50");

    List<SourceRecord> first = pollForRecords(poller);
    List<SourceRecord> atCap = poller.poll();

    // XREADGROUP's COUNT applies per stream: each of the two gets half of what the cap leaves.
    assertThat(first).hasSize(50);
    assertThat(first).extracting(record -> (String) record.sourceOffset().get("stream"))
        .containsOnly("cap-east", "cap-west");
    assertThat(atCap).isNull();
    assertThat(StreamTestData.pending(redis, "cap-east", "g") + StreamTestData.pending(redis, "cap-west", "g"))
        .isEqualTo(50);
  }
}
