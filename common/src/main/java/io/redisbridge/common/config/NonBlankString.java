package io.redisbridge.common.config;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/** A string that must contain something other than white space. */
public final class NonBlankString implements ConfigDef.Validator {

  @Override
  public void ensureValid(String name, Object value) {
    if (value == null || value.toString().isBlank()) {
      throw new ConfigException(name, value, "must not be empty");
    }
  }

  @Override
  public String toString() {
    return "non-empty string";
  }
}
