package io.redisbridge.sink;

import io.redisbridge.common.redis.Pipelines;
import io.redisbridge.common.deadletter.DeadLetter;
import io.redisbridge.common.deadletter.DeadLetterStream;
import io.redisbridge.common.redis.StreamField;
import io.redisbridge.common.template.NameTemplate;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.UnifiedJedis;

/**
 * Where records go that cannot be converted or written: Connect's dead-letter queue through the
 * {@link ErrantRecordReporter} (when the connector has {@code errors.tolerance=all}), a Redis
 * dead-letter stream (when {@code redis.dead.letter.stream} is set), or both. With neither, the task
 * fails naming the record, since skipping it would lose it.
 */
final class FailedRecords {

  private static final Logger log = LoggerFactory.getLogger(FailedRecords.class);

  private final UnifiedJedis redis;
  private final ErrantRecordReporter reporter;
  private final NameTemplate deadLetterTemplate;
  private final DeadLetterStream format;
  private final List<Future<Void>> pendingReports = new ArrayList<>();
  private volatile long total;

  FailedRecords(UnifiedJedis redis, ErrantRecordReporter reporter, NameTemplate deadLetterTemplate,
      DeadLetterStream format) {
    this.redis = redis;
    this.reporter = reporter;
    this.deadLetterTemplate = deadLetterTemplate;
    this.format = format;
  }

  /** A record and why it failed; {@code fields} is what would have been written, when conversion got that far. */
  record Failure(SinkRecord record, String reason, Throwable cause, Map<byte[], byte[]> fields) {}

  synchronized void handle(List<Failure> failures) {
    if (failures.isEmpty()) {
      return;
    }
    if (reporter == null && deadLetterTemplate == null) {
      Failure first = failures.get(0);
      throw new ConnectException("Cannot write record topic=" + first.record().topic() + " partition="
          + first.record().kafkaPartition() + " offset=" + first.record().kafkaOffset() + " to Redis: "
          + first.reason() + ". Set errors.tolerance=all with errors.deadletterqueue.topic.name, or "
          + "redis.dead.letter.stream, to route such records instead of stopping.", first.cause());
    }
    if (deadLetterTemplate != null) {
      writeToRedis(failures);
    }
    if (reporter != null) {
      for (Failure failure : failures) {
        // The reason is what Connect's error headers show; wrap the cause only where it says something else.
        Throwable error = failure.cause() != null && failure.reason().equals(failure.cause().getMessage())
            ? failure.cause() : new ConnectException(failure.reason(), failure.cause());
        pendingReports.add(reporter.report(failure.record(), error));
      }
    }
    total += failures.size();
    Failure first = failures.get(0);
    log.warn("Routed {} failed records to dead letters; first: topic {} partition {} offset {}: {}",
        failures.size(), first.record().topic(), first.record().kafkaPartition(), first.record().kafkaOffset(),
        first.reason());
  }

  private void writeToRedis(List<Failure> failures) {
    try (AbstractPipeline pipeline = Pipelines.open(redis)) {
      for (Failure failure : failures) {
        SinkRecord record = failure.record();
        Map<String, String> values = new HashMap<>();
        values.put("topic", record.topic());
        values.put("partition", String.valueOf(record.kafkaPartition()));
        values.put("key", String.valueOf(record.key()));
        String stream = deadLetterTemplate.render(values);
        DeadLetter letter = new DeadLetter(content(failure), Map.of(
            "topic", record.topic(),
            "partition", String.valueOf(record.kafkaPartition()),
            "offset", Long.toString(record.kafkaOffset())), failure.reason());
        pipeline.xadd(stream.getBytes(StandardCharsets.UTF_8), format.params(), format.fields(letter));
      }
      pipeline.sync();
    }
  }

  private static List<StreamField> content(Failure failure) {
    List<StreamField> content = new ArrayList<>();
    if (failure.fields() != null) {
      failure.fields().forEach((name, value) -> content.add(new StreamField(name, value)));
    } else if (failure.record().value() != null) {
      Object value = failure.record().value();
      byte[] raw = value instanceof byte[] bytes ? bytes : String.valueOf(value).getBytes(StandardCharsets.UTF_8);
      content.add(new StreamField("value".getBytes(StandardCharsets.UTF_8), raw));
    }
    return content;
  }

  /** Waits until Connect's dead-letter queue has every reported record; before offsets are committed. */
  synchronized void awaitReports() {
    for (Future<Void> report : pendingReports) {
      try {
        report.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ConnectException("interrupted while waiting for the dead-letter queue", e);
      } catch (ExecutionException e) {
        throw new ConnectException("Connect's dead-letter queue did not take a failed record", e.getCause());
      }
    }
    pendingReports.clear();
  }

  long total() {
    return total;
  }
}
