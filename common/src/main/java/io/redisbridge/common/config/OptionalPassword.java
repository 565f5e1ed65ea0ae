package io.redisbridge.common.config;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/** Unset, or a non-empty password: an empty one is almost always a missing variable in a deployment. */
public final class OptionalPassword implements ConfigDef.Validator {

  @Override
  public void ensureValid(String name, Object value) {
    if (value instanceof Password password && password.value().isEmpty()) {
      throw new ConfigException(name, "[hidden]", "is empty; leave it unset when Redis needs no password");
    }
  }

  @Override
  public String toString() {
    return "unset or non-empty";
  }
}
