package io.redisbridge.source;

import io.redisbridge.testing.ConnectClusterExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.XAddParams;
import redis.clients.jedis.resps.StreamGroupInfo;

/** Writes and inspects streams the way a test needs: pipelined, and in the group's terms. */
public final class StreamTestData {

  private StreamTestData() {}

  /** An order event shaped like the ones in the Redis Streams article. */
  public static Map<String, String> order(int n) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("order_id", "o-" + n);
    fields.put("customer_id", Integer.toString(n % 97));
    fields.put("product", "vps-basic");
    fields.put("action", "purchase");
    fields.put("amount", "9.99");
    return fields;
  }

  /** Adds {@code count} entries made by {@code fields}; returns their IDs in order. */
  public static List<String> add(UnifiedJedis redis, String stream, int count,
      IntFunction<Map<String, String>> fields) {
    List<String> ids = new ArrayList<>(count);
    int batch = 5_000;
    for (int from = 0; from < count; from += batch) {
      List<Response<StreamEntryID>> replies = new ArrayList<>();
      try (AbstractPipeline pipeline = redis.pipelined()) {
        for (int n = from; n < Math.min(count, from + batch); n++) {
          replies.add(pipeline.xadd(stream, StreamEntryID.NEW_ENTRY, fields.apply(n)));
        }
        pipeline.sync();
      }
      replies.forEach(reply -> ids.add(reply.get().toString()));
    }
    return ids;
  }

  /** Adds one entry with binary fields; returns its ID. */
  static String addBinary(UnifiedJedis redis, String stream, Map<byte[], byte[]> fields) {
    return new String(redis.xadd(stream.getBytes(StandardCharsets.UTF_8), XAddParams.xAddParams(), fields),
        StandardCharsets.UTF_8);
  }

  /** Entry IDs of the records in {@code topic}, read until {@code expected} arrived or time ran out. */
  static Set<String> entryIdsIn(ConnectClusterExtension connect, String topic, int expected, Duration timeout) {
    Set<String> ids = new HashSet<>();
    connect.consume(topic, expected, timeout, record -> ids.add(entryId(record)));
    return ids;
  }

  /** The entry ID header the source puts on every record. */
  static String entryId(ConsumerRecord<byte[], byte[]> record) {
    return new String(record.headers().lastHeader("redis.entry.id").value(), StandardCharsets.UTF_8);
  }

  static long pending(UnifiedJedis redis, String stream, String group) {
    return redis.xpending(stream, group).getTotal();
  }

  /** The group's lag as XINFO GROUPS reports it (Redis 7). */
  static Long lag(UnifiedJedis redis, String stream, String group) {
    for (StreamGroupInfo info : redis.xinfoGroups(stream)) {
      if (info.getName().equals(group)) {
        return (Long) info.getGroupInfo().get("lag");
      }
    }
    throw new AssertionError("no group " + group + " on " + stream);
  }
}
