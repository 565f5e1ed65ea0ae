package io.redisbridge.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
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
    List<EntryRef> acks = List.of(new EntryRef("s", new StreamEntryID(0, 1)));
    try (ReadAhead ahead = new ReadAhead("read-ahead-test", (confirmed, count) -> {
      readBy.set(Thread.currentThread().getName());
      acked.set(confirmed);
      asked.set(count);
      return List.of(ENTRY);
    })) {
      assertThat(ahead.ahead()).isFalse();
      ahead.start(acks, 7);
      assertThat(ahead.ahead()).isTrue();
      assertThatThrownBy(() -> ahead.start(acks, 7)).isInstanceOf(IllegalStateException.class);

      assertThat(ahead.take()).containsExactly(ENTRY);
      assertThat(ahead.ahead()).isFalse();
      assertThat(readBy.get()).isEqualTo("read-ahead-test");
      assertThat(acked.get()).isEqualTo(acks);
      assertThat(asked.get()).isEqualTo(7);
    }
  }

  @Test
  void aFailedReadIsThrownByTakeAsItself() throws Exception {
    try (ReadAhead ahead = new ReadAhead("read-ahead-test", (acks, count) -> {
      throw new JedisConnectionException("Unexpected end of stream");
    })) {
      ahead.start(List.of(), 1);
      assertThatThrownBy(ahead::take).isInstanceOf(JedisConnectionException.class)
          .hasMessage("Unexpected end of stream");

      ahead.start(List.of(), 1);
      ahead.settle();
      assertThat(ahead.ahead()).isFalse();
    }
  }
}
