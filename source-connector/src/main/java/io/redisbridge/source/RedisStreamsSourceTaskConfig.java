package io.redisbridge.source;

import io.redisbridge.source.discover.StreamAssignment;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;

/** What one task gets: the connector's config plus the consumer name the connector assigned it. */
public final class RedisStreamsSourceTaskConfig extends RedisStreamsSourceConfig {

  /** Set by the connector, not by users. */
  public static final String TASK_CONSUMER_NAME = "task.consumer.name";
  /** Set by the connector: the consumer names of every task of this generation, in task order. */
  public static final String TASK_CONSUMER_NAMES = "task.consumer.names";
  /** Set by the connector: the streams this task reads (see {@link StreamAssignment#encode}). */
  public static final String TASK_STREAMS = "task.streams";
  /** Set by the connector: true when each of this task's streams is read by this task alone. */
  public static final String TASK_STREAMS_SPREAD = "task.streams.spread";

  public RedisStreamsSourceTaskConfig(Map<String, String> props) {
    super(taskDefinition(), props);
  }

  static ConfigDef taskDefinition() {
    return definition().define(TASK_CONSUMER_NAME, Type.STRING, ConfigDef.NO_DEFAULT_VALUE,
            Importance.HIGH, "Consumer name of this task within the group (assigned by the connector).")
        .define(TASK_CONSUMER_NAMES, Type.LIST, "", Importance.LOW,
            "Consumer names of all tasks of the connector (assigned by the connector).")
        .define(TASK_STREAMS, Type.STRING, null, Importance.LOW,
            "The streams this task reads (assigned by the connector); redis.streams when unset.")
        .define(TASK_STREAMS_SPREAD, Type.BOOLEAN, false, Importance.LOW,
            "Whether this task is the only reader of its streams (assigned by the connector).");
  }

  /** The streams this task reads: those the connector assigned it, or every listed one. */
  @Override
  public List<String> streams() {
    String assigned = getString(TASK_STREAMS);
    return assigned == null ? super.streams() : StreamAssignment.decode(assigned);
  }

  /**
   * The consumers that read this task's streams: this one alone when streams are spread over tasks,
   * every task's otherwise. Pending entries of any other consumer are left over from before.
   */
  public List<String> readersOfItsStreams() {
    return getBoolean(TASK_STREAMS_SPREAD) ? List.of(consumerName()) : taskConsumerNames();
  }

  public String consumerName() {
    return getString(TASK_CONSUMER_NAME);
  }

  /** Every task's consumer name, this one's included; just this one's from a connector that did not say. */
  public List<String> taskConsumerNames() {
    List<String> names = getList(TASK_CONSUMER_NAMES);
    return names.isEmpty() ? List.of(consumerName()) : names;
  }
}
