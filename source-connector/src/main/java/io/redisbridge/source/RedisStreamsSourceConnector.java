package io.redisbridge.source;

import io.redisbridge.common.BridgeVersion;
import io.redisbridge.common.config.ConnectorValidation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.source.SourceConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads Redis Streams through a consumer group into Kafka, acknowledging each entry only after Kafka
 * has it. Each task is one consumer of the group with a stable name.
 */
public class RedisStreamsSourceConnector extends SourceConnector {

  private static final Logger log = LoggerFactory.getLogger(RedisStreamsSourceConnector.class);

  private Map<String, String> props;
  private RedisStreamsSourceConfig config;

  @Override
  public String version() {
    return BridgeVersion.get();
  }

  @Override
  public void start(Map<String, String> props) {
    this.config = new RedisStreamsSourceConfig(props);
    this.props = Map.copyOf(props);
    log.info("Starting source connector {} for streams {} in group {}", props.get("name"), config.streams(),
        config.consumerGroup());
  }

  @Override
  public Class<? extends Task> taskClass() {
    return RedisStreamsSourceTask.class;
  }

  @Override
  public List<Map<String, String>> taskConfigs(int maxTasks) {
    String prefix = config.consumerNamePrefix().isEmpty()
        ? props.getOrDefault("name", "redis-kafka-bridge") : config.consumerNamePrefix();
    List<Map<String, String>> configs = new ArrayList<>(maxTasks);
    for (int task = 0; task < maxTasks; task++) {
      Map<String, String> taskProps = new HashMap<>(props);
      taskProps.put(RedisStreamsSourceTaskConfig.TASK_CONSUMER_NAME, prefix + "-" + task);
      configs.add(taskProps);
    }
    return configs;
  }

  @Override
  public void stop() {}

  @Override
  public ConfigDef config() {
    return RedisStreamsSourceConfig.definition();
  }

  /** Adds the rules a ConfigDef cannot express and a live check of the Redis connection. */
  @Override
  public Config validate(Map<String, String> connectorConfigs) {
    return ConnectorValidation.complete(super.validate(connectorConfigs),
        RedisStreamsSourceConfig.crossFieldProblems(connectorConfigs), connectorConfigs);
  }

  /**
   * Offsets are informational (the consumer group decides where reading resumes); accept any
   * well-formed change so the offsets API works, and reject malformed ones with a clear message.
   */
  @Override
  public boolean alterOffsets(Map<String, String> connectorConfig, Map<Map<String, ?>, Map<String, ?>> offsets) {
    offsets.forEach(SourceOffsets::validate);
    return true;
  }
}
