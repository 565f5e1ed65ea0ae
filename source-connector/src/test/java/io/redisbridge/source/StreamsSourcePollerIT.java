package io.redisbridge.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.redisbridge.testing.RedisServerExtension;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.connect.source.SourceRecord;
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
    Map<String, String> props = new HashMap<>();
    props.put("redis.streams", stream);
    props.put("redis.consumer.group", "g");
    props.put("redis.consumer.group.start.id", "0");
    props.put("redis.read.block.ms", "50");
    props.put("task.consumer.name", "c-0");
    for (int i = 0; i < extra.length; i += 2) {
      props.put(extra[i], extra[i + 1]);
    }
    return new StreamsSourcePoller(new RedisStreamsSourceTaskConfig(props), redis, key -> 0, acks,
        Clock.systemUTC(), new CountDownLatch(1));
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
    assertThat(redis.xpending("capped", "g").getMinId()).isEqualTo(StreamsSourcePoller.refOf(first.get(20)).id());
  }

  @Test
  void acknowledgesAndSkipsEntriesDeletedWhilePending() throws Exception {
    UnifiedJedis redis = redisServer.client();
    List<String> ids = StreamTestData.add(redis, "trimmed", 10, StreamTestData::order);
    redis.xgroupCreate("trimmed", "g", new StreamEntryID(0, 0), false);
    redis.xreadGroup("g", "c-0", XReadGroupParams.xReadGroupParams().count(10),
        Map.of("trimmed", StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
    redis.xdel("trimmed", new StreamEntryID(ids.get(1)), new StreamEntryID(ids.get(2)));

    List<SourceRecord> replayed = pollForRecords(poller(redis, new AckQueue(), "trimmed"));

    List<String> survivors = new java.util.ArrayList<>(ids);
    survivors.remove(2);
    survivors.remove(1);
    assertThat(replayed).extracting(record -> (String) record.sourceOffset().get("entry.id"))
        .containsExactlyElementsOf(survivors);
    assertThat(replayed.get(0).headers().lastWithName("redis.delivery.count").value()).isEqualTo(2L);
    assertThat(StreamTestData.pending(redis, "trimmed", "g")).isEqualTo(8);
  }
}
