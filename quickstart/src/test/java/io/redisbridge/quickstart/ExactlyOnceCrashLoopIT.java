package io.redisbridge.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.resps.StreamEntry;

/**
 * Exactly-once both ways under ten SIGKILLs of Connect workers, a worker joining, a kill -9 of Redis and
 * of the broker (see {@link PipelineCrashLoop}): every entry of the input stream is in Kafka once
 * (read_committed), the output stream holds one entry per record, and nothing is pending or
 * dead-lettered. The seed is printed; rerun one with -Dcrash.seed=<seed>.
 */
class ExactlyOnceCrashLoopIT {

  private static final int COUNT = 200_000;

  @Test
  void everyEntryArrivesOnceThroughWorkerKillsARebalanceAndRedisAndBrokerCrashes() throws Exception {
    long seed = Long.getLong("crash.seed", System.nanoTime());
    System.out.println("exactly-once crash loop seed: " + seed + " (rerun with -Dcrash.seed=" + seed + ")");
    try (PipelineCrashLoop loop = new PipelineCrashLoop(true)) {
      loop.seed(COUNT);
      List<String> input = loop.inputIds();
      loop.deployConnectors();

      loop.crash(seed, 10, COUNT);
      List<String> inKafka = loop.awaitDrained(COUNT);

      assertThat(inKafka).hasSize(COUNT).doesNotHaveDuplicates();
      assertThat(new HashSet<>(inKafka)).isEqualTo(new HashSet<>(input));
      List<StreamEntry> output = loop.output();
      Set<String> orders = new HashSet<>();
      Set<String> sourceIds = new HashSet<>();
      for (StreamEntry entry : output) {
        orders.add(entry.getFields().get("order_id"));
        sourceIds.add(entry.getFields().get("header.redis.entry.id"));
      }
      assertThat(output).hasSize(COUNT);
      assertThat(orders).hasSize(COUNT);
      assertThat(sourceIds).isEqualTo(new HashSet<>(input));
      assertThat(loop.pending()).isZero();
      assertThat(loop.deadLettersWritten()).isFalse();
    }
  }
}
