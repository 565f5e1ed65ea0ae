/**
 * Reading: the consumer group on each stream ({@link io.redisbridge.source.read.ConsumerGroupSetup}), XREADGROUP
 * of the consumer's own history and then of new entries ({@link io.redisbridge.source.read.StreamReader}),
 * one batch ahead ({@link io.redisbridge.source.read.ReadAhead}), and the raw replies as
 * {@link io.redisbridge.source.read.StreamEntry}s.
 */
package io.redisbridge.source.read;
