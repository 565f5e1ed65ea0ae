package io.redisbridge.quickstart;

import java.util.HashMap;
import java.util.Map;

/**
 * Connector configs for the tests that deploy on a separately launched worker: a source from a stream to
 * its topic and a sink from a topic to a stream, with string keys and the value converter given.
 */
final class PipelineConfigs {

  /** Schemaless JSON values. */
  static final Map<String, String> JSON_VALUES = Map.of(
      "value.converter", "org.apache.kafka.connect.json.JsonConverter",
      "value.converter.schemas.enable", "false");

  private PipelineConfigs() {
  }

  /** Reads {@code stream} from its start as {@code group} into the topic of the same name, as maps. */
  static Map<String, String> source(int redisPort, String stream, String group, Map<String, String> values) {
    Map<String, String> source = common(redisPort, values);
    source.put("connector.class", "io.redisbridge.source.RedisStreamsSourceConnector");
    source.put("redis.streams", stream);
    source.put("redis.consumer.group", group);
    source.put("redis.consumer.group.start.id", "0");
    source.put("value.format", "map");
    return source;
  }

  /** Writes {@code topic} to {@code stream}. */
  static Map<String, String> sink(int redisPort, String topic, String stream, Map<String, String> values) {
    Map<String, String> sink = common(redisPort, values);
    sink.put("connector.class", "io.redisbridge.sink.RedisStreamsSinkConnector");
    sink.put("topics", topic);
    sink.put("redis.stream", stream);
    return sink;
  }

  private static Map<String, String> common(int redisPort, Map<String, String> values) {
    Map<String, String> config = new HashMap<>(values);
    config.put("redis.uri", "redis://127.0.0.1:" + redisPort);
    config.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
    return config;
  }
}
