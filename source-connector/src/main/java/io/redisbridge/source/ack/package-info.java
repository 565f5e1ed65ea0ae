/**
 * Confirming and acknowledging: Kafka's confirmations cross from the producer thread
 * ({@link io.redisbridge.source.ack.AckQueue}), entries stay in flight until then
 * ({@link io.redisbridge.source.ack.InFlightEntries}), and only then are they XACKed
 * ({@link io.redisbridge.source.ack.Acknowledger}). This is where at-least-once is kept.
 */
package io.redisbridge.source.ack;
