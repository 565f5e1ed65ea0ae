package io.redisbridge.source.map;

/** An entry that cannot become a Kafka record as configured; it goes to the dead-letter stream. */
public final class MappingException extends Exception {

  MappingException(String message) {
    super(message);
  }
}
