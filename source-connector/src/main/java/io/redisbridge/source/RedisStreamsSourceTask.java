package io.redisbridge.source;

import io.redisbridge.common.BridgeVersion;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;

/** Placeholder until the source issue: reads nothing. */
public class RedisStreamsSourceTask extends SourceTask {

  @Override
  public String version() {
    return BridgeVersion.get();
  }

  @Override
  public void start(Map<String, String> props) {
    new RedisStreamsSourceConfig(props);
  }

  @Override
  public List<SourceRecord> poll() throws InterruptedException {
    Thread.sleep(500);
    return null;
  }

  @Override
  public void stop() {}
}
