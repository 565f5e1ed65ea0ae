package io.redisbridge.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class RedisConnectionConfigTest {

  private static RedisConnectionSettings read(Map<String, String> props) {
    return RedisConnectionConfig.read(new AbstractConfig(RedisConnectionConfig.addTo(new ConfigDef()), props));
  }

  @Test
  void readsTlsDatabaseAndCredentialsAndNeverPrintsThePassword() {
    RedisConnectionSettings settings = read(Map.of(
        "redis.uri", "rediss://cache.example:6380/3", "redis.user", "bridge", "redis.password", "s3cret"));

    assertThat(settings.tls()).isTrue();
    assertThat(settings.database()).isEqualTo(3);
    assertThat(settings.user()).isEqualTo("bridge");
    assertThat(settings.password()).isEqualTo("s3cret");
    assertThat(settings.toString()).doesNotContain("s3cret").contains("[hidden]");
  }

  @Test
  void clusterTakesSeveralSeedsStandaloneExactlyOne() {
    assertThat(read(Map.of("redis.mode", "cluster", "redis.uri", "redis://a:7000, redis://b:7001")).uris())
        .hasSize(2);
    assertThatThrownBy(() -> read(Map.of("redis.uri", "redis://a:7000,redis://b:7001")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("exactly one URI");
  }

  @Test
  void rejectsOtherSchemesMissingHostsAndNonNumericDatabasesWithoutEchoingCredentials() {
    assertThatThrownBy(() -> read(Map.of("redis.uri", "http://localhost:6379")))
        .hasMessageContaining("redis:// or rediss://");
    assertThatThrownBy(() -> read(Map.of("redis.uri", "redis://:6379")))
        .hasMessageContaining("must name a host");
    assertThatThrownBy(() -> read(Map.of("redis.uri", "redis://user:pw@localhost:6379/orders")))
        .hasMessageContaining("database number").hasMessageNotContaining("pw@");
  }
}
