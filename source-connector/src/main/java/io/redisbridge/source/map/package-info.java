/**
 * Mapping: an entry becomes a Kafka record (value, key, headers, topic, source partition and offset) in
 * {@link io.redisbridge.source.map.EntryRecordMapper}.
 */
package io.redisbridge.source.map;
