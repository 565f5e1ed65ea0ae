package io.redisbridge.source;

import io.redisbridge.common.BridgeVersion;
import io.redisbridge.common.config.RedisConnectionConfig;
import io.redisbridge.common.config.RedisConnectionSettings;
import io.redisbridge.common.redis.RedisClients;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * One consumer of the group. A thin adapter of the Connect lifecycle over {@link StreamsSourcePoller}.
 *
 * <p>Threads: {@code start}, {@code poll} and (on current workers) {@code stop} run on the task thread;
 * {@code commitRecord} runs on the producer's callback thread and only enqueues.
 */
public class RedisStreamsSourceTask extends SourceTask {

  private static final Logger log = LoggerFactory.getLogger(RedisStreamsSourceTask.class);

  private final AckQueue ackQueue = new AckQueue();
  private final CountDownLatch stopSignal = new CountDownLatch(1);
  /** Held by poll; stop takes it for the final ack flush, since older workers call stop from another thread. */
  private final ReentrantLock pollLock = new ReentrantLock();
  private UnifiedJedis redis;
  private StreamsSourcePoller poller;
  private SourceTaskMetrics metrics;
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
    redis = RedisClients.create(settings.withClientName(settings.clientName() + ":" + config.consumerName()));
    StreamsSourcePoller.SlotFunction slotOf = settings.mode() == RedisConnectionConfig.Mode.CLUSTER
        ? JedisClusterCRC16::getSlot : key -> 0;
    poller = new StreamsSourcePoller(config, redis, slotOf, ackQueue, Clock.systemUTC(), stopSignal,
        context.offsetStorageReader());
    metrics = new SourceTaskMetrics(props.getOrDefault("name", "redis-streams-source"),
        Integer.toString(config.taskConsumerNames().indexOf(config.consumerName())), poller, poller.groupStats(),
        () -> context.pluginMetrics());
    log.info("Started source task {} for streams {}", poller.identity(), StreamNames.brief(config.streams()));
  }

  @Override
  public List<SourceRecord> poll() throws InterruptedException {
    if (stopping) {
      return null;
    }
    pollLock.lock();
    try {
      return stopping ? null : poller.poll();
    } finally {
      pollLock.unlock();
    }
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
      if (pollLock.tryLock(5, TimeUnit.SECONDS)) {
        try {
          poller.flushAcksQuietly();
        } finally {
          pollLock.unlock();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (metrics != null) {
        metrics.close();
      }
      poller.close();
      redis.close();
      log.info("Stopped source task {}", poller.identity());
    }
  }
}
