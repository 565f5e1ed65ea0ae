package io.redisbridge.common.redis;

import java.util.Optional;

/**
 * Names a key that hashes to the same Redis Cluster slot as another key, so both can be written in one
 * MULTI/EXEC. Cluster hashes only the hash tag (the text between the first '{' and the next '}', when
 * not empty) or, without one, the whole key. So a key that has a tag keeps it when a suffix is
 * appended, and a key without one becomes the tag of {@code {<key>}<suffix>}, which hashes exactly like
 * the key itself.
 */
public final class SameSlotKey {

  private SameSlotKey() {}

  /**
   * The key {@code base} plus {@code suffix}, in the slot of {@code base}; empty for the rare names that
   * cannot have one: no hash tag of their own, yet a '}' inside, which would end a wrapping tag early.
   */
  public static Optional<String> of(String base, String suffix) {
    if (hashTag(base) != null) {
      return Optional.of(base + suffix);
    }
    if (base.indexOf('}') >= 0) {
      return Optional.empty();
    }
    return Optional.of("{" + base + "}" + suffix);
  }

  /** The part of {@code key} that Redis Cluster hashes when it is not the whole key; null otherwise. */
  static String hashTag(String key) {
    int open = key.indexOf('{');
    if (open < 0) {
      return null;
    }
    int close = key.indexOf('}', open + 1);
    if (close < 0 || close == open + 1) {
      return null;
    }
    return key.substring(open + 1, close);
  }
}
