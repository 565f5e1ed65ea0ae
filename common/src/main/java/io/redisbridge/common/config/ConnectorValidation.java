package io.redisbridge.common.config;

import io.redisbridge.common.redis.PermissionProbe;
import io.redisbridge.common.redis.RedisProbe;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigValue;

/**
 * What both connectors' {@code validate()} add to ConfigDef's per-key checks: cross-key rules and, when
 * the connection keys are valid, a live PING and a probe of the connector's rights, each error attached
 * to the key a user has to change.
 */
public final class ConnectorValidation {

  private ConnectorValidation() {}

  public static Config complete(Config validated, Map<String, String> crossFieldProblems, Map<String, String> props) {
    return complete(validated, crossFieldProblems, props, () -> List.of());
  }

  /**
   * As {@link #complete(Config, Map, Map)}, and when every key is valid, probes the rights the connector
   * needs on the keys {@code permissions} names.
   */
  public static Config complete(Config validated, Map<String, String> crossFieldProblems, Map<String, String> props,
      Supplier<List<PermissionProbe>> permissions) {
    Map<String, ConfigValue> byName = new HashMap<>();
    validated.configValues().forEach(value -> byName.put(value.name(), value));
    crossFieldProblems.forEach((key, problem) -> byName.get(key).addErrorMessage(problem));
    boolean connectionValid = RedisConnectionConfig.KEYS.stream()
        .allMatch(key -> byName.get(key) == null || byName.get(key).errorMessages().isEmpty());
    if (connectionValid) {
      boolean allValid = byName.values().stream().allMatch(value -> value.errorMessages().isEmpty());
      RedisProbe.problem(props, allValid ? permissions.get() : List.of())
          .ifPresent(problem -> byName.get(problem.key()).addErrorMessage(problem.message()));
    }
    return validated;
  }
}
