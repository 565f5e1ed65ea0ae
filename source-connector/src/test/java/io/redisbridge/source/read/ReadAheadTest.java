package io.redisbridge.source.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.redisbridge.source.ack.AckQueue;
import io.redisbridge.source.ack.Acknowledger;
import io.redisbridge.source.ack.InFlightEntries;
import io.redisbridge.source.map.SourceOffsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.exceptions.JedisConnectionException;

class ReadAheadTest {

  private static final StreamEntry ENTRY = new StreamEntry("s", new StreamEntryID(1, 0), List.of(), false, 1);

  @Test
  void takeReturnsWhatTheReadOnItsOwnThreadReturned() throws Exception {
    AtomicReference<String> readBy = new AtomicReference<>();
    AtomicReference<Integer> asked = new AtomicReference<>();
    AtomicReference<List<EntryRef>> acked = new AtomicReference<>();
    EntryRef confirmedRef = new EntryRef("s", new StreamEntryID(0, 1));
    InFlightEntries inFlight = new InFlightEntries();
    inFlight.add(confirmedRef);
    AckQueue queue = new AckQueue();
    queue.confirm(new SourceRecord(Map.of("stream", "s", "group", "g"), SourceOffsets.offset(confirmedRef.id()), "t",
        null, null));
    Acknowledger acknowledger = new Acknowledger(null, new ConsumerIdentity("g", "c"), queue, inFlight);
    try (ReadAhead ahead = new ReadAhead("read-ahead-test", acknowledger, (confirmed, count) -> {
      readBy.set(Thread.currentThread().getName());
      acked.set(confirmed);
      asked.set(count);
      return List.of(ENTRY);
    })) {
      assertThat(ahead.ahead()).isFalse();
      ahead.start(7);
      assertThat(ahead.ahead()).isTrue();
      assertThatThrownBy(() -> ahead.start(7)).isInstanceOf(IllegalStateException.class);
      assertThat(inFlight.size()).as("in flight until the result is taken").isOne();

      assertThat(ahead.take()).containsExactly(ENTRY);
      assertThat(ahead.ahead()).isFalse();
      assertThat(readBy.get()).isEqualTo("read-ahead-test");
      assertThat(acked.get()).containsExactly(confirmedRef);
      assertThat(asked.get()).isEqualTo(7);
      assertThat(inFlight.size()).isZero();
      assertThat(acknowledger.ackedTotal()).isOne();
    }
  }

  @Test
  void aFailedReadIsThrownByTakeAsItselfAndItsAcksGoBackInLine() throws Exception {
    EntryRef confirmedRef = new EntryRef("s", new StreamEntryID(0, 1));
    AckQueue queue = new AckQueue();
    queue.confirm(new SourceRecord(Map.of("stream", "s", "group", "g"), SourceOffsets.offset(confirmedRef.id()), "t",
        null, null));
    Acknowledger acknowledger = new Acknowledger(null, new ConsumerIdentity("g", "c"), queue, new InFlightEntries());
    try (ReadAhead ahead = new ReadAhead("read-ahead-test", acknowledger, (acks, count) -> {
      throw new JedisConnectionException("Unexpected end of stream");
    })) {
      ahead.start(1);
      assertThat(acknowledger.backlog()).isZero();
      assertThatThrownBy(ahead::take).isInstanceOf(JedisConnectionException.class)
          .hasMessage("Unexpected end of stream");
      assertThat(acknowledger.backlog()).isOne();

      ahead.start(1);
      ahead.settle();
      assertThat(ahead.ahead()).isFalse();
      assertThat(acknowledger.backlog()).isOne();
      assertThat(acknowledger.ackedTotal()).isZero();
    }
  }
}
