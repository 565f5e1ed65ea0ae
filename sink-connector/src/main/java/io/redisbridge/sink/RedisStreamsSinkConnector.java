package io.redisbridge.sink;

import io.redisbridge.common.BridgeVersion;
import io.redisbridge.common.config.ConnectorValidation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes Kafka records to Redis Streams with pipelined XADD and MAXLEN/MINID trimming. */
public class RedisStreamsSinkConnector extends SinkConnector {

  /** Set by the connector for each task, not by users: the task's number, for its metrics' names. */
  static final String TASK_INDEX = "task.index";

  private static final Logger log = LoggerFactory.getLogger(RedisStreamsSinkConnector.class);

  private Map<String, String> props;

  @Override
  public String version() {
    return BridgeVersion.get();
  }

  @Override
  public void start(Map<String, String> props) {
    RedisStreamsSinkConfig config = new RedisStreamsSinkConfig(props);
    this.props = Map.copyOf(props);
    log.info("Starting sink connector {} writing to stream {} with trimming {}", props.get("name"),
        config.getString(RedisStreamsSinkConfig.STREAM), config.trimStrategy());
  }

  @Override
  public Class<? extends Task> taskClass() {
    return RedisStreamsSinkTask.class;
  }

  @Override
  public List<Map<String, String>> taskConfigs(int maxTasks) {
    List<Map<String, String>> configs = new ArrayList<>(maxTasks);
    for (int i = 0; i < maxTasks; i++) {
      Map<String, String> task = new java.util.HashMap<>(props);
      task.put(TASK_INDEX, Integer.toString(i));
      configs.add(task);
    }
    return configs;
  }

  @Override
  public void stop() {}

  @Override
  public ConfigDef config() {
    return RedisStreamsSinkConfig.definition();
  }

  /**
   * Connect moves the consumer group's offsets itself; with exactly.once.enabled the offsets stored
   * in Redis decide where tasks resume, so they move too.
   */
  @Override
  public boolean alterOffsets(Map<String, String> connectorConfig, Map<TopicPartition, Long> offsets) {
    StoredOffsetsAlteration.apply(connectorConfig, offsets);
    return true;
  }

  /** Adds the rules a ConfigDef cannot express and a live check of the Redis connection and rights. */
  @Override
  public Config validate(Map<String, String> connectorConfigs) {
    return ConnectorValidation.complete(super.validate(connectorConfigs),
        RedisStreamsSinkConfig.crossFieldProblems(connectorConfigs), connectorConfigs,
        () -> SinkPermissions.of(connectorConfigs));
  }
}
