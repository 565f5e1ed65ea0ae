package io.redisbridge.source;

import static io.redisbridge.source.SourceProps.config;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.TransactionContext;
import org.junit.jupiter.api.Test;

/** When the task asks Connect to end a transaction (pure logic: a counting context and a set clock). */
class ConnectorTransactionsTest {

  /** Counts commit requests; the rest of the interface is not used by the boundaries. */
  private static final class CountingContext implements TransactionContext {
    int commits;

    @Override
    public void commitTransaction() {
      commits++;
    }

    @Override
    public void commitTransaction(SourceRecord record) {
      throw new AssertionError("the task ends transactions per batch, not per record");
    }

    @Override
    public void abortTransaction() {
      throw new AssertionError("the task never aborts");
    }

    @Override
    public void abortTransaction(SourceRecord record) {
      throw new AssertionError("the task never aborts");
    }
  }

  private static final class SetClock extends Clock {
    long millis = 1_000_000;

    @Override
    public long millis() {
      return millis;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis);
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  private static List<SourceRecord> records(int count) {
    return Collections.nCopies(count, new SourceRecord(Map.of(), Map.of(), "t", null, "v"));
  }

  @Test
  void withoutATransactionContextConnectDrawsTheBoundaries() {
    assertThat(ConnectorTransactions.of(null, config(), new SetClock(), "t-0")).isNull();
  }

  @Test
  void endsATransactionAfterTheBatchThatReachesTheEntryCount() {
    CountingContext context = new CountingContext();
    ConnectorTransactions transactions = ConnectorTransactions.of(context,
        config("transaction.max.entries", "1000", "transaction.max.ms", "60000"), new SetClock(), "t-0");

    transactions.polled(records(600));
    assertThat(context.commits).isZero();
    transactions.polled(records(600));
    assertThat(context.commits).isEqualTo(1);
    transactions.polled(records(999));
    assertThat(context.commits).isEqualTo(1);
    transactions.polled(records(1));
    assertThat(context.commits).isEqualTo(2);
  }

  @Test
  void endsATransactionWhenItsFirstEntryIsOld() {
    CountingContext context = new CountingContext();
    SetClock clock = new SetClock();
    ConnectorTransactions transactions = ConnectorTransactions.of(context,
        config("transaction.max.entries", "1000000", "max.in.flight.entries", "10000000",
            "transaction.max.ms", "1000"), clock, "t-0");

    transactions.polled(records(10));
    clock.millis += 999;
    transactions.polled(records(10));
    assertThat(context.commits).isZero();
    clock.millis += 1;
    transactions.polled(records(10));
    assertThat(context.commits).isEqualTo(1);
  }

  @Test
  void endsATransactionAsSoonAsAPollFindsNothingMoreAndOnlyThen() {
    CountingContext context = new CountingContext();
    ConnectorTransactions transactions = ConnectorTransactions.of(context,
        config("transaction.max.entries", "1000000", "max.in.flight.entries", "10000000",
            "transaction.max.ms", "600000"), new SetClock(), "t-0");

    transactions.polled(null);
    transactions.polled(List.of());
    assertThat(context.commits).as("nothing to commit").isZero();
    transactions.polled(records(10));
    assertThat(context.commits).isZero();
    transactions.polled(null);
    assertThat(context.commits).isEqualTo(1);
    transactions.polled(List.of());
    assertThat(context.commits).as("the next transaction has no entries yet").isEqualTo(1);
  }

  @Test
  void neverWaitsForMoreThanHalfOfWhatMayBeInFlight() {
    CountingContext context = new CountingContext();
    ConnectorTransactions transactions = ConnectorTransactions.of(context,
        config("transaction.max.entries", "50000", "max.in.flight.entries", "2000", "transaction.max.ms", "60000"),
        new SetClock(), "t-0");

    transactions.polled(records(999));
    assertThat(context.commits).isZero();
    transactions.polled(records(1));
    assertThat(context.commits).as("at 1000 of 2000 in flight").isEqualTo(1);
  }
}
