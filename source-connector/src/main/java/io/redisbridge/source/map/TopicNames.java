package io.redisbridge.source.map;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Turns a rendered topic name into one Kafka accepts: Redis keys such as {@code orders:eu} or
 * {@code orders:{tenant-42}} contain characters Kafka topic names may not ({@code [a-zA-Z0-9._-]}, at most
 * 249 characters, not {@code .} or {@code ..}). Each other character becomes {@code _}; a name too long
 * keeps its first 240 characters and ends with a hash of the whole, so long names stay distinct.
 */
public final class TopicNames {

  static final int MAX_LENGTH = 249;
  private static final int KEPT_WHEN_TOO_LONG = 240;

  private TopicNames() {
  }

  /** {@code name} when Kafka accepts it, else the legal name it becomes. */
  static String legal(String name) {
    StringBuilder legal = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      legal.append(isLegal(c) ? c : '_');
    }
    String result = legal.toString();
    if (result.isEmpty() || result.equals(".") || result.equals("..")) {
      result = result.replace('.', '_') + "_";
    }
    if (result.length() > MAX_LENGTH) {
      CRC32 crc = new CRC32();
      crc.update(name.getBytes(StandardCharsets.UTF_8));
      result = result.substring(0, KEPT_WHEN_TOO_LONG) + "-" + String.format("%08x", crc.getValue());
    }
    return result;
  }

  private static boolean isLegal(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-';
  }
}
