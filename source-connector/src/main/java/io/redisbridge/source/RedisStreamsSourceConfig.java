package io.redisbridge.source;

import io.redisbridge.common.config.RedisConnectionConfig;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;

/** The source connector's configuration. */
public final class RedisStreamsSourceConfig extends AbstractConfig {

  public RedisStreamsSourceConfig(Map<String, String> props) {
    super(definition(), props);
  }

  public static ConfigDef definition() {
    return RedisConnectionConfig.addTo(new ConfigDef());
  }
}
