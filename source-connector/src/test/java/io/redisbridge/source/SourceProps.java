package io.redisbridge.source;

import java.util.HashMap;
import java.util.Map;

/** Source connector properties for the config tests: stream {@code orders} on a local Redis, and what a test adds. */
final class SourceProps {

  private SourceProps() {}

  /** The base properties with {@code keysAndValues} (key, value, key, value...) added. */
  static Map<String, String> props(String... keysAndValues) {
    Map<String, String> props = new HashMap<>();
    props.put("redis.uri", "redis://127.0.0.1:6379");
    props.put("redis.streams", "orders");
    for (int i = 0; i < keysAndValues.length; i += 2) {
      props.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return props;
  }

  static RedisStreamsSourceConfig config(String... keysAndValues) {
    return new RedisStreamsSourceConfig(props(keysAndValues));
  }
}
