package io.redisbridge.sink;

import io.redisbridge.common.BridgeVersion;
import java.util.Collection;
import java.util.Map;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;

/** Placeholder until the sink issue: refuses records rather than dropping them. */
public class RedisStreamsSinkTask extends SinkTask {

  @Override
  public String version() {
    return BridgeVersion.get();
  }

  @Override
  public void start(Map<String, String> props) {
    new RedisStreamsSinkConfig(props);
  }

  @Override
  public void put(Collection<SinkRecord> records) {
    if (!records.isEmpty()) {
      throw new ConnectException("the Redis Streams sink cannot write records yet");
    }
  }

  @Override
  public void stop() {}
}
