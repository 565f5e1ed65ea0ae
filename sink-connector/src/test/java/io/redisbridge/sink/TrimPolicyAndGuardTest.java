package io.redisbridge.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.params.XAddParams;

class TrimPolicyAndGuardTest {

  private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(1_000_000), ZoneOffset.UTC);

  private static String args(String... keysAndValues) {
    Map<String, String> props = new HashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      props.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    XAddParams params = new TrimPolicy(new RedisStreamsSinkConfig(props), CLOCK).params();
    CommandArguments arguments = new CommandArguments(Protocol.Command.XADD);
    params.addParams(arguments);
    StringBuilder out = new StringBuilder();
    arguments.forEach(arg -> out.append(new String(arg.getRaw())).append(' '));
    return out.toString().trim();
  }

  @Test
  void buildsTheTrimmingArgumentsOfEachStrategy() {
    assertThat(args("trim.strategy", "none")).isEqualTo("XADD *");
    assertThat(args("trim.maxlen", "500")).isEqualTo("XADD MAXLEN ~ 500 *");
    assertThat(args("trim.maxlen", "500", "trim.exact", "true")).isEqualTo("XADD MAXLEN = 500 *");
    assertThat(args("trim.maxlen", "500", "trim.limit", "50")).isEqualTo("XADD MAXLEN ~ 500 LIMIT 50 *");
    assertThat(args("trim.strategy", "minid", "trim.retention.ms", "400000")).isEqualTo("XADD MINID ~ 600000-0 *");
    assertThat(args("trim.strategy", "none", "redis.stream.nomkstream", "true")).isEqualTo("XADD NOMKSTREAM *");
  }

  @Test
  void readsTheUsedShareOfMaxMemoryFromInfo() {
    assertThat(MemoryGuard.usedShare("# Memory\r\nused_memory:900\r\nmaxmemory:1000\r\n")).isEqualTo(0.9);
    assertThat(MemoryGuard.usedShare("used_memory:900\nmaxmemory:0\n")).isZero();
  }
}
