package io.redisbridge.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.source.ConnectorTransactionBoundaries;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.junit.jupiter.api.Test;

/**
 * exactly.once.support=required where the worker never asked the connector about it (a standalone
 * worker, which runs source connectors at-least-once) is refused with what to set; where it asked
 * (every distributed worker, which also refuses the property itself unless it runs exactly once) it is not.
 */
class ExactlyOnceValidationTest {

  private static Map<String, String> config(String exactlyOnceSupport) {
    Map<String, String> config = new HashMap<>();
    config.put("name", "eos");
    config.put("connector.class", RedisStreamsSourceConnector.class.getName());
    config.put("redis.uri", "redis://127.0.0.1:1");
    config.put("redis.connect.timeout.ms", "100");
    config.put("redis.streams", "orders");
    if (exactlyOnceSupport != null) {
      config.put("exactly.once.support", exactlyOnceSupport);
    }
    return config;
  }

  private static List<String> exactlyOnceErrors(RedisStreamsSourceConnector connector, Map<String, String> config) {
    return connector.validate(config).configValues().stream()
        .filter(value -> value.name().equals("exactly.once.support"))
        .flatMap(value -> value.errorMessages().stream()).toList();
  }

  @Test
  void refusesRequiredWhenTheWorkerDidNotAskAndSaysWhatToSet() {
    List<String> errors = exactlyOnceErrors(new RedisStreamsSourceConnector(), config("required"));

    assertThat(errors).singleElement().asString().contains("exactly.once.source.support=enabled")
        .contains("distributed");
  }

  @Test
  void acceptsRequiredWhenTheWorkerAskedForExactlyOnceSupportFirst() {
    RedisStreamsSourceConnector connector = new RedisStreamsSourceConnector();
    Map<String, String> config = config("required");

    assertThat(connector.exactlyOnceSupport(config)).isEqualTo(ExactlyOnceSupport.SUPPORTED);
    assertThat(exactlyOnceErrors(connector, config)).isEmpty();
    // The answer is for one validation only: the next one on this thread starts unasked.
    assertThat(exactlyOnceErrors(connector, config)).hasSize(1);
  }

  @Test
  void leavesAtLeastOnceConnectorsAlone() {
    assertThat(exactlyOnceErrors(new RedisStreamsSourceConnector(), config(null))).isEmpty();
    assertThat(exactlyOnceErrors(new RedisStreamsSourceConnector(), config("requested"))).isEmpty();
  }

  @Test
  void canDrawItsOwnTransactionBoundaries() {
    assertThat(new RedisStreamsSourceConnector().canDefineTransactionBoundaries(config("required")))
        .isEqualTo(ConnectorTransactionBoundaries.SUPPORTED);
  }
}
