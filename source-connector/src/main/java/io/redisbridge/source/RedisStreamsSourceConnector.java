package io.redisbridge.source;

import io.redisbridge.common.BridgeVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.source.SourceConnector;

/** Reads Redis Streams through a consumer group into Kafka. */
public class RedisStreamsSourceConnector extends SourceConnector {

  private Map<String, String> props;

  @Override
  public String version() {
    return BridgeVersion.get();
  }

  @Override
  public void start(Map<String, String> props) {
    new RedisStreamsSourceConfig(props);
    this.props = Map.copyOf(props);
  }

  @Override
  public Class<? extends Task> taskClass() {
    return RedisStreamsSourceTask.class;
  }

  @Override
  public List<Map<String, String>> taskConfigs(int maxTasks) {
    List<Map<String, String>> configs = new ArrayList<>(maxTasks);
    for (int i = 0; i < maxTasks; i++) {
      configs.add(props);
    }
    return configs;
  }

  @Override
  public void stop() {}

  @Override
  public ConfigDef config() {
    return RedisStreamsSourceConfig.definition();
  }
}
