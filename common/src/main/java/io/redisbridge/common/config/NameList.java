package io.redisbridge.common.config;

import java.util.List;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/** A list of names, possibly empty, none of them blank. */
public final class NameList implements ConfigDef.Validator {

  @Override
  public void ensureValid(String name, Object value) {
    if (value instanceof List<?> items && items.stream().anyMatch(item -> item.toString().isBlank())) {
      throw new ConfigException(name, value, "contains an empty name");
    }
  }

  @Override
  public String toString() {
    return "comma-separated names";
  }
}
