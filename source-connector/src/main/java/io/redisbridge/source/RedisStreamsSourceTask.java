package io.redisbridge.source;

import io.redisbridge.common.BridgeVersion;
import io.redisbridge.common.config.RedisConnectionConfig;
import io.redisbridge.common.config.RedisConnectionSettings;
import io.redisbridge.common.redis.RedisClients;
import io.redisbridge.common.retry.RedisStallWatch;
import io.redisbridge.source.ack.AckQueue;
import io.redisbridge.source.metrics.SourceTaskMetrics;
import io.redisbridge.source.read.StreamNames;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.ToIntFunction;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * One consumer of the group. A thin adapter of the Connect lifecycle over {@link StreamsSourcePoller},
 * whose work runs on the task's I/O thread ({@link BoundedPolls}) so that {@code poll()} stays short.
 *
 * <p>Threads: {@code start}, {@code poll} and (on current workers) {@code stop} run on the task thread;
 * {@code commitRecord} runs on the producer's callback thread and only enqueues. Older workers call
 * {@code stop} from another thread while {@code poll} runs; {@link BoundedPolls} serializes the two.
 */
public class RedisStreamsSourceTask extends SourceTask {

  private static final Logger log = LoggerFactory.getLogger(RedisStreamsSourceTask.class);
  /**
   * How long a stopping task waits for its last acknowledgements. With Connect's graceful timeout at 5 s
   * by default, this leaves room to close everything else; what is not acknowledged is delivered again.
   */
  static final long STOP_ACK_BUDGET_MS = 2_000;
  /** How much longer than a read's BLOCK time a poll waits for its work before returning empty. */
  private static final long POLL_WAIT_MARGIN_MS = 500;

  private final AckQueue ackQueue = new AckQueue();
  private final CountDownLatch stopSignal = new CountDownLatch(1);
  private UnifiedJedis redis;
  private StreamsSourcePoller poller;
  private BoundedPolls polls;
  private RedisStallWatch stallWatch;
  private SourceTaskMetrics metrics;
  /** Set when Connect leaves transaction boundaries to the connector. */
  private ConnectorTransactions transactions;
  private volatile boolean stopping;

  @Override
  public String version() {
    return BridgeVersion.get();
  }

  @Override
  public void start(Map<String, String> props) {
    RedisStreamsSourceTaskConfig config = new RedisStreamsSourceTaskConfig(props);
    RedisConnectionSettings settings = RedisConnectionConfig.read(config);
    // Connecting is lazy: a Redis that is down now is retried in poll(), since start() is never retried.
    redis = RedisClients.create(settings.withClientName(settings.clientName() + ":" + config.consumerName()),
        config.readBlockMs());
    ToIntFunction<String> slotOf = settings.mode() == RedisConnectionConfig.Mode.CLUSTER
        ? JedisClusterCRC16::getSlot : key -> 0;
    stallWatch = new RedisStallWatch("source task " + config.consumerName() + " of group " + config.consumerGroup(),
        "streams " + StreamNames.brief(config.streams()),
        RedisStallWatch.thresholdMs(settings.socketTimeoutMs(), config.readBlockMs()));
    boolean connectorBoundaries = context.transactionContext() != null;
    poller = new StreamsSourcePoller(config, config.readCountPerPoll(connectorBoundaries), redis, slotOf, ackQueue,
        Clock.systemUTC(), stopSignal, context.offsetStorageReader(), stallWatch);
    polls = new BoundedPolls("redis-source-io-" + config.consumerName(), config.readBlockMs() + POLL_WAIT_MARGIN_MS);
    metrics = new SourceTaskMetrics(props.getOrDefault("name", "redis-streams-source"),
        Integer.toString(config.taskConsumerNames().indexOf(config.consumerName())), poller.progress(),
        poller.groupStats(),
        stallWatch, () -> context.pluginMetrics());
    transactions = ConnectorTransactions.of(context.transactionContext(), config, Clock.systemUTC(),
        poller.identity().toString());
    log.info("Started source task {} for streams {}", poller.identity(), StreamNames.brief(config.streams()));
  }

  @Override
  public List<SourceRecord> poll() throws InterruptedException {
    if (stopping) {
      return null;
    }
    List<SourceRecord> records = polls.poll(poller::poll);
    if (transactions != null) {
      transactions.polled(records);
    }
    return records;
  }

  @Override
  public void commitRecord(SourceRecord record, RecordMetadata metadata) {
    // Kafka has the record, or Connect declared it done (null metadata: filtered by a transform or
    // dropped under errors.tolerance=all). Either way the entry is finished; ack it from the poll thread.
    ackQueue.confirm(record);
  }

  @Override
  public void stop() {
    stopping = true;
    stopSignal.countDown();
    if (poller == null) {
      return;
    }
    try {
      if (!polls.finish(poller::flushAcksQuietly, STOP_ACK_BUDGET_MS)) {
        log.warn("Source task {} stops without acknowledging what Kafka confirmed last: its Redis calls did not end "
            + "within {} ms. Those entries stay pending and are delivered again", poller.identity(),
            STOP_ACK_BUDGET_MS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (metrics != null) {
        metrics.close();
      }
      // First the client: closing it cuts the connections the I/O and read-ahead threads may wait on.
      redis.close();
      poller.close();
      polls.close();
      stallWatch.close();
      log.info("Stopped source task {}", poller.identity());
    }
  }
}
