package io.redisbridge.source;

/** An entry that cannot become a Kafka record as configured; it goes to the dead-letter stream. */
final class MappingException extends Exception {

  MappingException(String message) {
    super(message);
  }
}
