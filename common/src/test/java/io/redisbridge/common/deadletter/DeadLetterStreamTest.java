package io.redisbridge.common.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import io.redisbridge.common.redis.StreamField;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeadLetterStreamTest {

  @Test
  void writesOriginalFieldsFirstThenSortedOriginThenReasonKeepingRepeatedNames() {
    DeadLetter letter = new DeadLetter(
        List.of(StreamField.of("reason", "customer complaint"), StreamField.of("amount", "9.99")),
        Map.of("original_stream", "orders", "original_id", "1-0"),
        "delivered 11 times");

    Map<byte[], byte[]> fields = new DeadLetterStream(0).fields(letter);

    assertThat(fields.keySet()).extracting(name -> new String(name, StandardCharsets.UTF_8))
        .containsExactly("reason", "amount", "original_id", "original_stream", "reason");
    assertThat(fields.values()).extracting(value -> new String(value, StandardCharsets.UTF_8))
        .containsExactly("customer complaint", "9.99", "1-0", "orders", "delivered 11 times");
  }
}
