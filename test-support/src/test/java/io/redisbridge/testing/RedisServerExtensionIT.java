package io.redisbridge.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.UnifiedJedis;

class RedisServerExtensionIT {

  @RegisterExtension
  static final RedisServerExtension redis = new RedisServerExtension("--appendfsync", "always");

  @Test
  void dataSurvivesKillAndRestartInTheSameDataDirectory() {
    RedisServer server = redis.server();
    try (UnifiedJedis jedis = server.newClient()) {
      jedis.xadd("fixture-stream", StreamEntryID.NEW_ENTRY, Map.of("k", "v"));
    }

    server.kill();
    assertThat(server.isAnswering()).isFalse();
    server.restart();

    assertThat(server.isAnswering()).isTrue();
    try (UnifiedJedis jedis = server.newClient()) {
      assertThat(jedis.xlen("fixture-stream")).isEqualTo(1);
    }
  }

  @Test
  void passesExtraServerArguments() {
    try (UnifiedJedis jedis = redis.server().newClient()) {
      assertThat(jedis.configGet("appendfsync")).containsEntry("appendfsync", "always");
    }
  }

  @Test
  void gracefulStopThenRestartKeepsData() {
    RedisServer server = redis.server();
    try (UnifiedJedis jedis = server.newClient()) {
      jedis.set("fixture-key", "kept");
    }

    server.stop();
    assertThat(server.isAnswering()).isFalse();
    server.restart();

    try (UnifiedJedis jedis = server.newClient()) {
      assertThat(jedis.get("fixture-key")).isEqualTo("kept");
    }
  }
}
