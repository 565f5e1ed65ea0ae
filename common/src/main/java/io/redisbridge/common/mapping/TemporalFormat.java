package io.redisbridge.common.mapping;

/** How Connect's Date, Time and Timestamp logical types are written as text. */
public enum TemporalFormat {
  /** ISO-8601: 2024-03-01, 13:45:00.250, 2024-03-01T13:45:00.250Z. */
  ISO,
  /** Milliseconds since the epoch (Date: midnight UTC of that day; Time: since midnight). */
  EPOCH_MILLIS,
  /** Whole seconds since the epoch: what a source field declared timestamp(seconds) was read from. */
  EPOCH_SECONDS
}
