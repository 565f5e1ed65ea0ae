package io.redisbridge.source;

import io.redisbridge.common.BridgeVersion;
import io.redisbridge.common.config.ConnectorValidation;
import io.redisbridge.common.config.RedisConnectionConfig;
import io.redisbridge.common.config.RedisConnectionSettings;
import io.redisbridge.common.redis.RedisClients;
import io.redisbridge.source.discover.PatternStreams;
import io.redisbridge.source.discover.StreamAssignment;
import io.redisbridge.source.map.SourceOffsets;
import io.redisbridge.source.read.StreamNames;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.source.ConnectorTransactionBoundaries;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.apache.kafka.connect.source.SourceConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

/**
 * Reads Redis Streams through a consumer group into Kafka, acknowledging each entry only after Kafka
 * has it. Each task is one consumer of the group with a stable name; which streams it reads is
 * {@link StreamAssignment}'s call, over the listed streams or those {@link PatternStreams} finds.
 */
public class RedisStreamsSourceConnector extends SourceConnector {

  private static final Logger log = LoggerFactory.getLogger(RedisStreamsSourceConnector.class);

  /** Set while an exactly-once worker validates this connector: exactlyOnceSupport() runs just before validate(). */
  private static final ThreadLocal<Boolean> EXACTLY_ONCE_PREFLIGHT = new ThreadLocal<>();

  private Map<String, String> props;
  private RedisStreamsSourceConfig config;
  /** With redis.streams.pattern only: its client and the streams it finds. */
  private UnifiedJedis patternClient;
  private PatternStreams patternStreams;

  @Override
  public String version() {
    return BridgeVersion.get();
  }

  @Override
  public void start(Map<String, String> props) {
    this.config = new RedisStreamsSourceConfig(props);
    this.props = Map.copyOf(props);
    String name = props.getOrDefault("name", "redis-kafka-bridge");
    String streamsProblem = RedisStreamsSourceConfig.crossFieldProblems(props).get(RedisStreamsSourceConfig.STREAMS);
    if (streamsProblem != null) {
      throw new ConfigException(RedisStreamsSourceConfig.STREAMS, "", streamsProblem);
    }
    if (config.streamsPattern().isEmpty()) {
      log.info("Starting source connector {} for streams {} in group {}", name, StreamNames.brief(config.streams()),
          config.consumerGroup());
      return;
    }
    log.info("Starting source connector {} for streams matching {} in group {}", name, config.streamsPattern(),
        config.consumerGroup());
    RedisConnectionSettings settings = RedisConnectionConfig.read(config);
    patternClient = RedisClients.create(settings.withClientName(settings.clientName() + ":stream-scan"));
    patternStreams = new PatternStreams(patternClient, config.streamsPattern(), config.streamsScanIntervalMs(), name,
        context::requestTaskReconfiguration);
  }

  @Override
  public Class<? extends Task> taskClass() {
    return RedisStreamsSourceTask.class;
  }

  @Override
  public List<Map<String, String>> taskConfigs(int maxTasks) {
    String prefix = config.consumerNamePrefix().isEmpty()
        ? props.getOrDefault("name", "redis-kafka-bridge") : config.consumerNamePrefix();
    List<String> streams = patternStreams == null ? config.streams() : patternStreams.current();
    StreamAssignment.Mode mode = StreamAssignment.effective(config.streamsAssignment(), streams.size(), maxTasks);
    List<List<String>> assigned = StreamAssignment.assign(streams, maxTasks, mode);
    List<Map<String, String>> configs = new ArrayList<>(maxTasks);
    for (int task = 0; task < maxTasks; task++) {
      Map<String, String> taskProps = new HashMap<>(props);
      taskProps.put(RedisStreamsSourceTaskConfig.TASK_CONSUMER_NAME, prefix + "-" + task);
      taskProps.put(RedisStreamsSourceTaskConfig.TASK_STREAMS, StreamAssignment.encode(assigned.get(task)));
      taskProps.put(RedisStreamsSourceTaskConfig.TASK_STREAMS_SPREAD,
          Boolean.toString(mode == StreamAssignment.Mode.SPREAD));
      configs.add(taskProps);
    }
    log.info("Source connector {}: {} streams over {} tasks, {}", props.get("name"), streams.size(), maxTasks,
        mode == StreamAssignment.Mode.SPREAD ? "each stream read by one task" : "every task reading every stream");
    String names = String.join(",", configs.stream()
        .map(task -> task.get(RedisStreamsSourceTaskConfig.TASK_CONSUMER_NAME)).toList());
    configs.forEach(task -> task.put(RedisStreamsSourceTaskConfig.TASK_CONSUMER_NAMES, names));
    return configs;
  }

  /**
   * Records and source offsets commit in one Kafka transaction on an exactly-once worker; the tasks
   * acknowledge entries after it commits and recognise, from the committed offsets, pending entries
   * Kafka already has (see {@link SourceOffsets}). Marks the validating thread: see {@link #validate}.
   */
  @Override
  public ExactlyOnceSupport exactlyOnceSupport(Map<String, String> connectorConfig) {
    EXACTLY_ONCE_PREFLIGHT.set(Boolean.TRUE);
    return ExactlyOnceSupport.SUPPORTED;
  }

  /**
   * With {@code transaction.boundary=connector} each task ends a transaction every
   * {@code transaction.max.entries} entries or {@code transaction.max.ms} ({@link ConnectorTransactions}):
   * far fewer commits than one per poll, without the user finding an interval. Any boundary keeps exactly
   * once: records and their offsets commit together, and entries are acknowledged after.
   */
  @Override
  public ConnectorTransactionBoundaries canDefineTransactionBoundaries(Map<String, String> connectorConfig) {
    return ConnectorTransactionBoundaries.SUPPORTED;
  }

  @Override
  public void stop() {
    if (patternStreams != null) {
      patternStreams.close();
      patternStreams = null;
    }
    if (patternClient != null) {
      patternClient.close();
      patternClient = null;
    }
  }

  @Override
  public ConfigDef config() {
    return RedisStreamsSourceConfig.definition();
  }

  /**
   * Adds the rules a ConfigDef cannot express, a live check of the Redis connection, and a refusal of
   * exactly.once.support=required where the worker would silently run at-least-once. A distributed
   * worker checks that property itself (refusing it unless exactly.once.source.support=enabled) and
   * asks {@link #exactlyOnceSupport} on this thread just before calling this method (Kafka 3.3 through
   * 4.x); a standalone worker, which cannot run source connectors exactly once, never does.
   */
  @Override
  public Config validate(Map<String, String> connectorConfigs) {
    boolean workerChecked = Boolean.TRUE.equals(EXACTLY_ONCE_PREFLIGHT.get());
    EXACTLY_ONCE_PREFLIGHT.remove();
    Config config = ConnectorValidation.complete(super.validate(connectorConfigs),
        RedisStreamsSourceConfig.crossFieldProblems(connectorConfigs), connectorConfigs,
        () -> SourcePermissions.of(connectorConfigs));
    String support = connectorConfigs.get(RedisStreamsSourceConfig.CONNECT_EXACTLY_ONCE_SUPPORT);
    if (support != null && "required".equalsIgnoreCase(support.trim()) && !workerChecked) {
      ConfigValue value = new ConfigValue(RedisStreamsSourceConfig.CONNECT_EXACTLY_ONCE_SUPPORT, support, List.of(),
          new ArrayList<>());
      value.addErrorMessage("exactly.once.support=required, but this worker did not check exactly-once "
          + "support: it runs source connectors at-least-once (standalone mode does). Run the connector on "
          + "distributed workers with exactly.once.source.support=enabled in every worker's properties (on a "
          + "running cluster first 'preparing' on every worker, then 'enabled'), or remove exactly.once.support.");
      config.configValues().add(value);
    }
    return config;
  }

  /**
   * Moves the consumer group (connector stopped): altering a stream's offset sets the group there
   * (XGROUP SETID), resetting sets it back to redis.consumer.group.start.id; see {@link GroupPositions}.
   */
  @Override
  public boolean alterOffsets(Map<String, String> connectorConfig, Map<Map<String, ?>, Map<String, ?>> offsets) {
    GroupPositions.apply(connectorConfig, offsets);
    return true;
  }
}
