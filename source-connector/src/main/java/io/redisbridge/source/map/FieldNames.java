package io.redisbridge.source.map;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Field names as strings, reusing the string of the entry before when the name at the same position is
 * the same. Entries of one stream mostly share their shape, so a record's map keys are the same string
 * objects entry after entry: no new string per field, and their hash codes, which every map and JSON
 * converter downstream asks for, are computed once.
 *
 * <p>Only the task's poll thread uses it.
 */
public final class FieldNames {

  private static final int POSITIONS = 64;

  private final byte[][] lastBytes = new byte[POSITIONS][];
  private final String[] lastNames = new String[POSITIONS];

  /** The name at {@code position} of an entry's fields, decoded as UTF-8. */
  String of(int position, byte[] name) {
    if (position >= POSITIONS) {
      return new String(name, StandardCharsets.UTF_8);
    }
    if (!Arrays.equals(lastBytes[position], name)) {
      lastBytes[position] = name;
      lastNames[position] = new String(name, StandardCharsets.UTF_8);
    }
    return lastNames[position];
  }
}
