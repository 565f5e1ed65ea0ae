package io.redisbridge.source.read;

import java.util.Collection;
import java.util.List;

/** Stream names for log lines and messages: all of a few, the first few of many (a task may read 1,000). */
public final class StreamNames {

  private static final int SHOWN = 5;

  private StreamNames() {
  }

  public static String brief(Collection<String> streams) {
    if (streams.size() <= SHOWN) {
      return streams.toString();
    }
    List<String> first = streams.stream().limit(SHOWN).toList();
    return "[" + String.join(", ", first) + " and " + (streams.size() - SHOWN) + " more]";
  }
}
