package io.redisbridge.source;

import io.redisbridge.common.redis.PermissionProbe;
import io.redisbridge.common.template.NameTemplate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What the source sends to each stream (and its dead-letter stream), as probes for {@code validate()}. */
final class SourcePermissions {

  private SourcePermissions() {}

  static List<PermissionProbe> of(Map<String, String> props) {
    RedisStreamsSourceConfig config = new RedisStreamsSourceConfig(props);
    NameTemplate deadLetters = config.deadLetterTemplate();
    List<PermissionProbe> probes = new ArrayList<>();
    List<String> streams = config.streams();
    if (!config.streamsPattern().isEmpty()) {
      probes.add(PermissionProbe.scan(config.streamsPattern()));
      // The streams are not known yet: the pattern itself, taken as a key name, matches the ACL's key
      // patterns as the streams it finds will.
      streams = List.of(config.streamsPattern());
    }
    for (String stream : streams) {
      probes.add(PermissionProbe.xgroupCreate(stream));
      probes.add(PermissionProbe.xreadgroup(stream));
      probes.add(PermissionProbe.xack(stream));
      probes.add(PermissionProbe.xpending(stream));
      // Exactly once replays departed consumers' entries under their names instead of claiming them.
      probes.add(config.exactlyOnce() ? PermissionProbe.xinfoConsumers(stream) : PermissionProbe.xautoclaim(stream));
      if (deadLetters != null) {
        String target = deadLetters.render(Map.of("stream", stream, "group", config.consumerGroup()));
        probes.add(PermissionProbe.type(target));
        probes.add(PermissionProbe.xadd(target));
        probes.add(PermissionProbe.transaction(stream));
      }
    }
    return probes;
  }
}
