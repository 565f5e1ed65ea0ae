package io.redisbridge.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.resps.StreamEntry;

/**
 * The default at-least-once modes under the same crash loop as {@link ExactlyOnceCrashLoopIT}: nothing
 * is lost; the duplicates the crashes cause are counted and printed, which is what the exactly-once
 * modes remove.
 */
class AtLeastOnceCrashLoopIT {

  private static final int COUNT = 200_000;

  @Test
  void losesNothingThroughWorkerKillsARebalanceAndRedisAndBrokerCrashesAndCountsTheDuplicates() throws Exception {
    long seed = Long.getLong("crash.seed", System.nanoTime());
    System.out.println("at-least-once crash loop seed: " + seed + " (rerun with -Dcrash.seed=" + seed + ")");
    try (PipelineCrashLoop loop = new PipelineCrashLoop(false)) {
      loop.seed(COUNT);
      List<String> input = loop.inputIds();
      loop.deployConnectors();

      loop.crash(seed, 10, COUNT);
      List<String> inKafka = loop.awaitDrained(COUNT);

      Set<String> distinctInKafka = new HashSet<>(inKafka);
      assertThat(distinctInKafka).isEqualTo(new HashSet<>(input));
      List<StreamEntry> output = loop.output();
      Set<String> orders = new HashSet<>();
      for (StreamEntry entry : output) {
        orders.add(entry.getFields().get("order_id"));
      }
      assertThat(orders).hasSize(COUNT);
      assertThat(loop.pending()).isZero();
      System.out.printf("at-least-once crash loop: %d entries, %d duplicate records in Kafka, %d duplicate "
          + "entries in the output stream%n", COUNT, inKafka.size() - COUNT, output.size() - COUNT);
    }
  }
}
