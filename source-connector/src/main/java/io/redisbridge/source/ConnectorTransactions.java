package io.redisbridge.source;

import java.time.Clock;
import java.util.List;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.TransactionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Transaction boundaries of an exactly-once task when Connect leaves them to the connector
 * ({@code transaction.boundary=connector}): the task asks Connect to commit after the batch that brings
 * the entries since the last commit to {@code transaction.max.entries}, when the first of them is
 * {@code transaction.max.ms} old, or as soon as a poll finds nothing more to read. Entries stay in flight
 * until their transaction commits, so a transaction never waits for more than half of
 * {@code max.in.flight.entries}: the task would otherwise stop reading before the transaction could end.
 *
 * <p>Connect stops a task without asking it first, and commits at the stop only what the task asked for:
 * a transaction still open then is aborted (the next task produces its entries again, once), and until
 * that task starts, read_committed readers wait at most {@code transaction.timeout.ms}. Only the task
 * thread uses it.
 */
final class ConnectorTransactions {

  private static final Logger log = LoggerFactory.getLogger(ConnectorTransactions.class);

  private final TransactionContext context;
  private final int maxEntries;
  private final long maxMs;
  private final Clock clock;
  private long uncommitted;
  private long firstAt;

  private ConnectorTransactions(TransactionContext context, int maxEntries, long maxMs, Clock clock) {
    this.context = context;
    this.maxEntries = maxEntries;
    this.maxMs = maxMs;
    this.clock = clock;
  }

  /** The boundaries for {@code context}; null when Connect draws them itself (no transaction context). */
  static ConnectorTransactions of(TransactionContext context, RedisStreamsSourceConfig config, Clock clock,
      String task) {
    if (context == null) {
      return null;
    }
    int maxEntries = Math.max(1, Math.min(config.transactionMaxEntries(), config.maxInFlight() / 2));
    log.info("Source task {} ends its Kafka transactions itself: every {} entries or {} ms", task, maxEntries,
        config.transactionMaxMs());
    return new ConnectorTransactions(context, maxEntries, config.transactionMaxMs(), clock);
  }

  /** After each poll, with what it returns (null or empty: nothing). */
  void polled(List<SourceRecord> records) {
    long now = clock.millis();
    boolean idle = records == null || records.isEmpty();
    if (!idle) {
      if (uncommitted == 0) {
        firstAt = now;
      }
      uncommitted += records.size();
    }
    // Nothing more to read: no reason to keep the entries waiting, in flight and unacknowledged.
    if (uncommitted > 0 && (idle || uncommitted >= maxEntries || now - firstAt >= maxMs)) {
      // Connect commits once the records this poll returns (if any) are sent.
      context.commitTransaction();
      uncommitted = 0;
    }
  }
}
