package io.redisbridge.sink;

/** A record that cannot become a stream entry as configured; it is a failed record, not a retry. */
final class RecordConversionException extends Exception {

  RecordConversionException(String message) {
    super(message);
  }

  RecordConversionException(String message, Throwable cause) {
    super(message, cause);
  }
}
