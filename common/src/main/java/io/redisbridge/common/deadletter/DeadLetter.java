package io.redisbridge.common.deadletter;

import io.redisbridge.common.redis.StreamField;
import java.util.List;
import java.util.Map;

/**
 * One entry for a dead-letter stream: the original content, field by field (names may repeat, values
 * may be binary), and the metadata that says where it came from and why it was given up on.
 *
 * @param origin fields naming the source, e.g. original stream and ID, or topic, partition and offset
 * @param reason a sentence an operator can act on
 */
public record DeadLetter(List<StreamField> content, Map<String, String> origin, String reason) {

  public static final String REASON_FIELD = "reason";

  public DeadLetter {
    content = List.copyOf(content);
    origin = Map.copyOf(origin);
  }
}
