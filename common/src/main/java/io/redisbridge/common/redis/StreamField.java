package io.redisbridge.common.redis;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** One field of a stream entry, as bytes, so binary content passes through unchanged. */
public record StreamField(byte[] name, byte[] value) {

  public static StreamField of(String name, String value) {
    return new StreamField(name.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
  }

  public String nameAsString() {
    return new String(name, StandardCharsets.UTF_8);
  }

  public int size() {
    return name.length + value.length;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof StreamField field && Arrays.equals(name, field.name) && Arrays.equals(value, field.value);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(name) + Arrays.hashCode(value);
  }

  @Override
  public String toString() {
    return nameAsString() + "=(" + value.length + " bytes)";
  }
}
