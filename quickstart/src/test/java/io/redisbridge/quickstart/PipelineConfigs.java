package io.redisbridge.quickstart;

import java.util.HashMap;
import java.util.Map;

/**
 * Connector configs for the tests that deploy on a separately launched worker: a source from a stream to
 * its topic and a sink from a topic to a stream, both with schemaless JSON values.
 */
final class PipelineConfigs {

  private PipelineConfigs() {
  }

  /** Reads {@code stream} from its start as {@code group} into the topic of the same name. */
  static Map<String, String> source(int redisPort, String stream, String group) {
    Map<String, String> source = new HashMap<>();
    source.put("connector.class", "io.redisbridge.source.RedisStreamsSourceConnector");
    source.put("redis.uri", "redis://127.0.0.1:" + redisPort);
    source.put("redis.streams", stream);
    source.put("redis.consumer.group", group);
    source.put("redis.consumer.group.start.id", "0");
    source.put("value.format", "map");
    source.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
    source.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
    source.put("value.converter.schemas.enable", "false");
    return source;
  }

  /** Writes {@code topic} to {@code stream}. */
  static Map<String, String> sink(int redisPort, String topic, String stream) {
    Map<String, String> sink = new HashMap<>();
    sink.put("connector.class", "io.redisbridge.sink.RedisStreamsSinkConnector");
    sink.put("redis.uri", "redis://127.0.0.1:" + redisPort);
    sink.put("topics", topic);
    sink.put("redis.stream", stream);
    sink.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
    sink.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
    sink.put("value.converter.schemas.enable", "false");
    return sink;
  }
}
