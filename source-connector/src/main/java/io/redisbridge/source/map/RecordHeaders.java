package io.redisbridge.source.map;

import io.redisbridge.source.read.StreamEntry;
import java.util.List;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.header.ConnectHeaders;

/**
 * The headers each record carries ({@code record.headers}): where the entry came from and how often it
 * was delivered. Each costs the worker a header conversion and the broker the bytes on every record
 * (together the largest single cost of a record at worker defaults), so only the entry ID, which a consumer
 * de-duplicates redeliveries by and which nothing else in the record carries, travels by default.
 */
public final class RecordHeaders {

  static final String STREAM = "redis.stream";
  public static final String ENTRY_ID = "redis.entry.id";
  static final String DELIVERY_COUNT = "redis.delivery.count";
  public static final List<String> ALL = List.of(STREAM, ENTRY_ID, DELIVERY_COUNT);

  private final boolean stream;
  private final boolean entryId;
  private final boolean deliveryCount;

  RecordHeaders(List<String> names) {
    this.stream = names.contains(STREAM);
    this.entryId = names.contains(ENTRY_ID);
    this.deliveryCount = names.contains(DELIVERY_COUNT);
  }

  ConnectHeaders of(StreamEntry entry, String id) {
    ConnectHeaders headers = new ConnectHeaders();
    if (stream) {
      headers.addString(STREAM, entry.stream());
    }
    if (entryId) {
      headers.addString(ENTRY_ID, id);
    }
    if (deliveryCount) {
      headers.addLong(DELIVERY_COUNT, entry.deliveryCount());
    }
    return headers;
  }

  /** Accepts a list of the header names above, each at most once; an empty list means no headers. */
  public static final class Validator implements ConfigDef.Validator {
    @Override
    public void ensureValid(String name, Object value) {
      @SuppressWarnings("unchecked")
      List<String> names = (List<String>) value;
      for (String header : names) {
        if (!ALL.contains(header.trim())) {
          throw new ConfigException(name, value, "'" + header.trim() + "' is not one of " + String.join(", ", ALL));
        }
      }
      if (names.stream().map(String::trim).distinct().count() != names.size()) {
        throw new ConfigException(name, value, "a header is listed twice");
      }
    }

    @Override
    public String toString() {
      return "any of " + String.join(", ", ALL) + " (empty: none)";
    }
  }
}
