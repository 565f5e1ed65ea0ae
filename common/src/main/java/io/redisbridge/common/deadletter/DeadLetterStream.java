package io.redisbridge.common.deadletter;

import io.redisbridge.common.redis.StreamField;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import redis.clients.jedis.params.XAddParams;

/**
 * Writes dead letters to a Redis stream in the format both connectors share: the original fields,
 * then the origin fields and {@code reason}. Operators read it with XRANGE like any stream.
 */
public final class DeadLetterStream {

  private final long maxLen;

  /** @param maxLen approximate cap on the dead-letter stream's length; 0 keeps everything */
  public DeadLetterStream(long maxLen) {
    this.maxLen = maxLen;
  }

  /** The XADD arguments for {@code letter}; callers add them to a pipeline or transaction. */
  public XAddParams params() {
    XAddParams params = XAddParams.xAddParams();
    if (maxLen > 0) {
      params.maxLen(maxLen).approximateTrimming();
    }
    return params;
  }

  /**
   * The entry's fields in order. Byte-array keys hash by identity, so every original field is kept
   * even where a name repeats or equals a metadata name.
   */
  public Map<byte[], byte[]> fields(DeadLetter letter) {
    Map<byte[], byte[]> fields = new LinkedHashMap<>();
    for (StreamField field : letter.content()) {
      fields.put(field.name(), field.value());
    }
    new TreeMap<>(letter.origin()).forEach((name, value) -> fields.put(utf8(name), utf8(value)));
    fields.put(utf8(DeadLetter.REASON_FIELD), utf8(letter.reason()));
    return fields;
  }

  private static byte[] utf8(String value) {
    return value.getBytes(StandardCharsets.UTF_8);
  }
}
