package io.redisbridge.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.redisbridge.source.discover.StreamAssignment;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** redis.streams or redis.streams.pattern: exactly one of them. */
class StreamSelectionConfigTest {

  private static Map<String, String> config(String streams, String pattern) {
    Map<String, String> props = new HashMap<>();
    props.put("redis.uri", "redis://127.0.0.1:6379");
    props.put("redis.streams", streams);
    props.put("redis.streams.pattern", pattern);
    return props;
  }

  @Test
  void aListOrAPatternIsEnough() {
    assertThat(RedisStreamsSourceConfig.crossFieldProblems(config("orders", ""))).isEmpty();
    assertThat(RedisStreamsSourceConfig.crossFieldProblems(config("", "orders:*"))).isEmpty();
    assertThat(new RedisStreamsSourceConfig(config("", "orders:*")).streams()).isEmpty();
  }

  @Test
  void neitherIsRefused() {
    assertThat(RedisStreamsSourceConfig.crossFieldProblems(config("", ""))).containsOnlyKeys("redis.streams");
    assertThat(RedisStreamsSourceConfig.crossFieldProblems(config(" ", "")).get("redis.streams"))
        .contains("redis.streams.pattern");
  }

  @Test
  void bothAreRefused() {
    assertThat(RedisStreamsSourceConfig.crossFieldProblems(config("orders", "orders:*")).get("redis.streams.pattern"))
        .contains("not both");
  }

  @Test
  void aTaskReadsWhatTheConnectorAssignedIt() {
    Map<String, String> props = config("", "orders:*");
    props.put(RedisStreamsSourceTaskConfig.TASK_CONSUMER_NAME, "c-1");
    props.put(RedisStreamsSourceTaskConfig.TASK_CONSUMER_NAMES, "c-0,c-1");
    props.put(RedisStreamsSourceTaskConfig.TASK_STREAMS, StreamAssignment.encode(java.util.List.of("orders:a,b")));
    props.put(RedisStreamsSourceTaskConfig.TASK_STREAMS_SPREAD, "true");
    RedisStreamsSourceTaskConfig task = new RedisStreamsSourceTaskConfig(props);
    assertThat(task.streams()).containsExactly("orders:a,b");
    assertThat(task.readersOfItsStreams()).containsExactly("c-1");
    props.put(RedisStreamsSourceTaskConfig.TASK_STREAMS_SPREAD, "false");
    assertThat(new RedisStreamsSourceTaskConfig(props).readersOfItsStreams()).containsExactly("c-0", "c-1");
  }
}
