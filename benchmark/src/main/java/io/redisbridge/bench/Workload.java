package io.redisbridge.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the benchmark moves, and how fast: the order entries every phase uses, and pacing for the latency phases. */
final class Workload {

  /** Latency samples of the first seconds are dropped, while the JIT still compiles the paths measured. */
  static final int WARMUP_SECONDS = Integer.getInteger("bench.latency.warmup.seconds", 5);

  private Workload() {
  }

  /** An order event of about 150 bytes in five fields. */
  static Map<String, String> order(long number) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("order_id", "order-" + number);
    fields.put("customer_id", Long.toString(number % 10_007));
    fields.put("product", "vps-basic-monthly-2vcpu-4gb-80gb-ssd-frankfurt-eu-central-1");
    fields.put("action", (number & 1) == 0 ? "purchase" : "renew");
    fields.put("amount", String.format(java.util.Locale.ROOT, "%d.%02d", 5 + number % 300, number % 100));
    return fields;
  }

  /**
   * An order as the Redis Streams article's Node.js producer writes it: a JavaScript total ({@code 30} or
   * {@code 29.9}), {@code items} as {@code JSON.stringify} of one to three items, {@code Date.now()} as the
   * timestamp, and a W3C trace context.
   */
  static Map<String, String> articleOrder(long number) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("order_id", "ord-" + number);
    fields.put("customer_id", Long.toString(number % 10_007));
    fields.put("total", number % 4 == 0 ? Long.toString(30 + number % 50)
        : (29 + number % 50) + "." + (1 + number % 9));
    StringBuilder items = new StringBuilder("[");
    for (int i = 0; i <= number % 3; i++) {
      items.append(i > 0 ? "," : "").append("{\"sku\":\"vps-").append(i == 0 ? "basic" : "backup-" + i)
          .append("\",\"qty\":").append(1 + (number + i) % 3).append(",\"price\":").append(i == 0 ? "9.99" : "2.5")
          .append('}');
    }
    fields.put("items", items.append(']').toString());
    fields.put("timestamp", Long.toString(1_764_590_000_000L + number));
    fields.put("traceparent", String.format(java.util.Locale.ROOT, "00-%032x-%016x-01", number + 1, number + 7));
    fields.put("tracestate", "rojo=00f067aa0ba902b7");
    return fields;
  }

  /** Calls {@code send} with batches so that {@code total} items go out at {@code rate} per second. */
  static void paced(int rate, int total, java.util.function.IntConsumer send) {
    long start = System.nanoTime();
    int sent = 0;
    while (sent < total) {
      long due = Math.min(total, (System.nanoTime() - start) * rate / 1_000_000_000L);
      if (due > sent) {
        send.accept((int) (due - sent));
        sent = (int) due;
      } else {
        java.util.concurrent.locks.LockSupport.parkNanos(500_000);
      }
    }
  }

  /** Drops the samples of the first seconds, while the JIT is still compiling the paths measured. */
  static List<Long> afterWarmup(List<Long> latencies, int rate) {
    int skip = Math.min(latencies.size(), rate * WARMUP_SECONDS);
    return latencies.subList(skip, latencies.size());
  }

  static long[] sorted(List<Long> values) {
    return values.stream().mapToLong(Long::longValue).sorted().toArray();
  }
}
