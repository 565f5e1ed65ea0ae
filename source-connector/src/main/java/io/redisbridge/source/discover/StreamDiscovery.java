package io.redisbridge.source.discover;

import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import redis.clients.jedis.Connection;
import redis.clients.jedis.ConnectionPool;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * The stream keys that match redis.streams.pattern: {@code SCAN ... MATCH pattern TYPE stream}, on every
 * primary of a Redis Cluster (each holds its own slots' keys; replicas only repeat them). SCAN walks the
 * keyspace in small steps, so it never blocks Redis the way KEYS would.
 */
public final class StreamDiscovery {

  private static final int SCAN_COUNT = 1000;

  private StreamDiscovery() {
  }

  /** The matching stream keys, sorted. */
  public static SortedSet<String> find(UnifiedJedis redis, String pattern) {
    SortedSet<String> streams = new TreeSet<>();
    if (redis instanceof RedisClusterClient cluster) {
      for (ConnectionPool node : cluster.getClusterNodes().values()) {
        try (Connection connection = node.getResource()) {
          Jedis jedis = new Jedis(connection);
          if (jedis.info("replication").contains("role:master")) {
            scan(jedis::scan, pattern, streams);
          }
        }
      }
    } else {
      scan(redis::scan, pattern, streams);
    }
    return streams;
  }

  @FunctionalInterface
  private interface Scan {
    ScanResult<String> next(String cursor, ScanParams params, String type);
  }

  private static void scan(Scan scan, String pattern, SortedSet<String> into) {
    ScanParams params = new ScanParams().match(pattern).count(SCAN_COUNT);
    String cursor = ScanParams.SCAN_POINTER_START;
    do {
      ScanResult<String> page = scan.next(cursor, params, "stream");
      List<String> keys = page.getResult();
      into.addAll(keys);
      cursor = page.getCursor();
    } while (!ScanParams.SCAN_POINTER_START.equals(cursor));
  }
}
