package io.redisbridge.common.config;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/** A string, possibly empty, without leading or trailing white space (a common copy-paste slip in names). */
public final class TrimmedString implements ConfigDef.Validator {

  @Override
  public void ensureValid(String name, Object value) {
    if (value != null && !value.toString().equals(value.toString().strip())) {
      throw new ConfigException(name, value, "must not start or end with white space");
    }
  }

  @Override
  public String toString() {
    return "string without surrounding white space";
  }
}
