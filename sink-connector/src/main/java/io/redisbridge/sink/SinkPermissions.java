package io.redisbridge.sink;

import io.redisbridge.common.redis.PermissionProbe;
import io.redisbridge.common.template.NameTemplate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the sink sends to the streams it writes, as probes for {@code validate()}. The streams are known
 * only where the template names them from the listed topics (partition 0 standing for all): with
 * {@code ${key}} or {@code topics.regex} only the commands without a key are probed.
 */
final class SinkPermissions {

  private SinkPermissions() {}

  static List<PermissionProbe> of(Map<String, String> props) {
    RedisStreamsSinkConfig config = new RedisStreamsSinkConfig(props);
    String connector = props.getOrDefault("name", "redis-streams-sink");
    List<PermissionProbe> probes = new ArrayList<>();
    for (String stream : named(config.streamTemplate(), props)) {
      probes.add(PermissionProbe.xadd(stream));
      if (config.exactlyOnce()) {
        probes.add(PermissionProbe.type(stream));
        probes.add(PermissionProbe.transaction(stream));
        Optional<String> offsets = StreamOffsetStore.keyOf(stream, connector);
        offsets.ifPresent(key -> {
          probes.add(PermissionProbe.hgetall(key));
          probes.add(PermissionProbe.hset(key));
        });
      }
      if (config.streamTtlMs() > 0) {
        // The offsets hash needs no probe of its own: the command right is the same, and its key's is HSET's.
        probes.add(PermissionProbe.pexpire(stream));
      }
      if (config.waitReplicas() > 0) {
        probes.add(PermissionProbe.waitReplicas(stream));
      }
      if (config.memoryGuardRatio() > 0) {
        probes.add(PermissionProbe.info(stream));
      }
      if (config.entryIdHeader() != null) {
        probes.add(PermissionProbe.xrange(stream));
      }
    }
    NameTemplate deadLetters = config.deadLetterTemplate();
    if (deadLetters != null) {
      named(deadLetters, props).forEach(target -> probes.add(PermissionProbe.xadd(target)));
    }
    return probes;
  }

  /** The keys {@code template} names for the listed topics; none when it depends on record keys. */
  private static Set<String> named(NameTemplate template, Map<String, String> props) {
    Set<String> names = new LinkedHashSet<>();
    String topics = props.getOrDefault("topics", "");
    if (template.uses("key") || topics.isBlank()) {
      return names;
    }
    for (String topic : topics.split(",")) {
      if (!topic.isBlank()) {
        names.add(template.render(Map.of("topic", topic.trim(), "partition", "0")));
      }
    }
    return names;
  }
}
