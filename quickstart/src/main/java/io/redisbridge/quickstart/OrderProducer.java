package io.redisbridge.quickstart;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.XAddParams;

/**
 * The producer of the Redis Streams article's order pipeline: XADD order events to {@code orders}
 * with {@code MAXLEN ~ 500000}, in small pipelined bursts.
 */
final class OrderProducer {

  private static final String[] PRODUCTS = {"vps-basic", "vps-pro", "managed-db", "object-storage", "cdn"};
  private static final String[] ACTIONS = {"purchase", "upgrade", "renew", "cancel"};

  private final UnifiedJedis redis;
  private final String stream;
  private final Random random = new Random(42);
  private final XAddParams params = XAddParams.xAddParams().maxLen(500_000).approximateTrimming();
  private int produced;

  OrderProducer(UnifiedJedis redis, String stream) {
    this.redis = redis;
    this.stream = stream;
  }

  /** Adds {@code count} orders in one round trip. */
  void produce(int count) {
    try (AbstractPipeline pipeline = redis.pipelined()) {
      for (int i = 0; i < count; i++) {
        pipeline.xadd(stream, params, order(++produced));
      }
      pipeline.sync();
    }
  }

  int produced() {
    return produced;
  }

  private Map<String, String> order(int number) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("order_id", "order-" + number);
    fields.put("customer_id", Integer.toString(1 + random.nextInt(200)));
    fields.put("product", PRODUCTS[random.nextInt(PRODUCTS.length)]);
    fields.put("action", ACTIONS[random.nextInt(ACTIONS.length)]);
    fields.put("amount", String.format(java.util.Locale.ROOT, "%.2f", 5 + random.nextInt(20_000) / 100.0));
    List<String> items = new ArrayList<>();
    for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
      String sku = PRODUCTS[random.nextInt(PRODUCTS.length)];
      items.add("{\"sku\":\"" + sku + "\",\"qty\":" + (1 + random.nextInt(4)) + "}");
    }
    fields.put("items", "[" + String.join(",", items) + "]");
    fields.put("timestamp", Long.toString(System.currentTimeMillis()));
    return fields;
  }
}
