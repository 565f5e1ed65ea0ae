package io.redisbridge.sink;

import java.util.Map;
import org.apache.kafka.connect.sink.SinkRecord;
import redis.clients.jedis.StreamEntryID;

/**
 * One XADD to make: the stream key and the entry's fields in order, for the record it came from.
 *
 * @param id the entry ID to write, or null to let Redis assign one
 */
record StreamWrite(SinkRecord record, String stream, Map<byte[], byte[]> fields, StreamEntryID id) {}
