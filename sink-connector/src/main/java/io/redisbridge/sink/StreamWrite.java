package io.redisbridge.sink;

import java.util.Map;
import org.apache.kafka.connect.sink.SinkRecord;

/** One XADD to make: the stream key and the entry's fields in order, for the record it came from. */
record StreamWrite(SinkRecord record, String stream, Map<byte[], byte[]> fields) {}
