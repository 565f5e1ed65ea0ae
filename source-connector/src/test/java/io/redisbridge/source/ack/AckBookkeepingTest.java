package io.redisbridge.source.ack;

import static org.assertj.core.api.Assertions.assertThat;

import io.redisbridge.source.read.EntryRef;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.StreamEntryID;

class AckBookkeepingTest {

  private static EntryRef ref(String stream, long millis) {
    return new EntryRef(stream, new StreamEntryID(millis, 0));
  }

  /** A record as the mapper makes it for the entry {@code ref}. */
  private static SourceRecord record(EntryRef ref) {
    return new SourceRecord(Map.of("stream", ref.stream(), "group", "g"), Map.of("entry.id", ref.id().toString()),
        "topic", null, null);
  }

  @Test
  void inFlightCountsEachEntryOnceAndForgetsItWhenRemoved() {
    InFlightEntries inFlight = new InFlightEntries();
    inFlight.add(ref("a", 1));
    inFlight.add(ref("a", 1));
    inFlight.add(ref("b", 1));

    assertThat(inFlight.size()).isEqualTo(2);
    assertThat(inFlight.contains(ref("b", 1))).isTrue();

    inFlight.remove(ref("a", 1));
    inFlight.remove(ref("a", 1));
    inFlight.remove(ref("c", 9));

    assertThat(inFlight.size()).isEqualTo(1);
    assertThat(inFlight.contains(ref("a", 1))).isFalse();
  }

  @Test
  void confirmationsFromManyProducerThreadsAllReachThePollThread() throws Exception {
    AckQueue queue = new AckQueue();
    int threads = 4;
    int perThread = 25_000;
    ExecutorService producers = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    for (int t = 0; t < threads; t++) {
      int thread = t;
      producers.submit(() -> {
        start.await();
        for (int i = 0; i < perThread; i++) {
          queue.confirm(record(ref("s" + thread, i)));
        }
        return null;
      });
    }
    List<EntryRef> drained = new ArrayList<>();
    start.countDown();
    producers.shutdown();
    while (!producers.isTerminated() || queue.size() > 0) {
      queue.drainTo(drained);
      producers.awaitTermination(10, TimeUnit.MILLISECONDS);
    }

    assertThat(drained).hasSize(threads * perThread);
    assertThat(new HashSet<>(drained)).hasSize(threads * perThread);
  }

  @Test
  void waitingForAConfirmationReturnsAsSoonAsOneArrivesAndKeepsIt() throws Exception {
    AckQueue queue = new AckQueue();
    assertThat(queue.awaitConfirmation(1)).isFalse();

    Thread producer = new Thread(() -> queue.confirm(record(ref("a", 1))));
    producer.start();

    assertThat(queue.awaitConfirmation(10_000)).isTrue();
    List<EntryRef> drained = new ArrayList<>();
    assertThat(queue.drainTo(drained)).isEqualTo(1);
    assertThat(drained).containsExactly(ref("a", 1));
    producer.join();
  }
}
