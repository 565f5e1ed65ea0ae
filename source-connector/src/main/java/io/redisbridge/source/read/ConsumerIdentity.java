package io.redisbridge.source.read;

import java.nio.charset.StandardCharsets;

/** A task's place in Redis: the consumer group and its own consumer name within it. */
public record ConsumerIdentity(String group, String consumer) {

  public byte[] groupBytes() {
    return group.getBytes(StandardCharsets.UTF_8);
  }

  public byte[] consumerBytes() {
    return consumer.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "group " + group + " consumer " + consumer;
  }
}
