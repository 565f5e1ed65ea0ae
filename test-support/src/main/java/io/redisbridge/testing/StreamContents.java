package io.redisbridge.testing;

import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.commands.StreamCommands;
import redis.clients.jedis.resps.StreamEntry;

/** What a stream holds, read with XRANGE in pages so that a stream of any length is read in bounded replies. */
public final class StreamContents {

  private static final int PAGE = 10_000;

  private StreamContents() {
  }

  /** Every entry of {@code stream}, oldest first; empty when it does not exist. */
  public static List<StreamEntry> entries(StreamCommands redis, String stream) {
    List<StreamEntry> all = new ArrayList<>();
    StreamEntryID from = new StreamEntryID(0, 0);
    while (true) {
      List<StreamEntry> page = redis.xrange(stream, from, StreamEntryID.MAXIMUM_ID, PAGE);
      all.addAll(page);
      if (page.size() < PAGE) {
        return all;
      }
      StreamEntryID last = page.get(page.size() - 1).getID();
      from = new StreamEntryID(last.getTime(), last.getSequence() + 1);
    }
  }

  /** The value of {@code field} in every entry of {@code stream}, oldest first (null where an entry lacks it). */
  public static List<String> values(StreamCommands redis, String stream, String field) {
    return entries(redis, stream).stream().map(entry -> entry.getFields().get(field)).toList();
  }
}
