package io.redisbridge.sink;

import io.redisbridge.common.config.RedisConnectionConfig;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;

/** The sink connector's configuration. */
public final class RedisStreamsSinkConfig extends AbstractConfig {

  public RedisStreamsSinkConfig(Map<String, String> props) {
    super(definition(), props);
  }

  public static ConfigDef definition() {
    return RedisConnectionConfig.addTo(new ConfigDef());
  }
}
