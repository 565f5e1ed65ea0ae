package io.redisbridge.source.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.StreamEntryID;

class StreamRepliesTest {

  private static byte[] b(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void readGroupReplyKeepsBytesAndMarksNilBodiesAsDeleted() {
    Object reply = List.of(List.of(b("orders"), Arrays.asList(
        List.of(b("1-0"), List.of(b("a"), b("1"), b("a"), b("2"))),
        Arrays.asList(b("2-0"), null))));

    List<StreamEntry> entries = StreamReplies.readGroup(reply, 1);

    assertThat(entries).hasSize(2);
    assertThat(entries.get(0).fields()).hasSize(2);
    assertThat(entries.get(0).fields().get(1).value()).isEqualTo(b("2"));
    assertThat(entries.get(0).deliveryCount()).isEqualTo(1);
    assertThat(entries.get(1).deleted()).isTrue();
    assertThat(entries.get(1).id()).isEqualTo(new StreamEntryID(2, 0));
    assertThat(StreamReplies.readGroup(null, 1)).isEmpty();
  }

  @Test
  void autoClaimReplyHasCursorEntriesAndDeletedIds() {
    Object reply = List.of(b("5-0"), List.of(List.of(b("3-0"), List.of(b("k"), b("v")))), List.of(b("4-0")));

    StreamReplies.ClaimReply claim = StreamReplies.autoClaim("orders", reply);

    assertThat(claim.cursor()).isEqualTo(new StreamEntryID(5, 0));
    assertThat(claim.entries()).extracting(StreamEntry::id).containsExactly(new StreamEntryID(3, 0));
    assertThat(claim.deletedIds()).containsExactly(new StreamEntryID(4, 0));
  }

  @Test
  void pendingReplyGivesDeliveryCountsById() {
    Object reply = List.of(List.of(b("3-0"), b("c1"), 100L, 4L), List.of(b("3-1"), b("c1"), 90L, 1L));

    assertThat(StreamReplies.deliveryCounts(reply))
        .containsEntry(new StreamEntryID(3, 0), 4L)
        .containsEntry(new StreamEntryID(3, 1), 1L);
  }

  @Test
  void entryIdsAreReadFromTheirBytes() {
    assertThat(StreamReplies.entryId(b("1709234567890-12"))).isEqualTo(new StreamEntryID(1709234567890L, 12));
    assertThat(StreamReplies.entryId(b("0-1"))).isEqualTo(new StreamEntryID(0, 1));
    assertThat(StreamReplies.entryId(b("9223372036854775807-9223372036854775807")))
        .isEqualTo(new StreamEntryID(Long.MAX_VALUE, Long.MAX_VALUE));
    for (String bad : List.of("", "-", "1-", "-1", "12", "1-x", "a-1", "1-2-3", "9223372036854775808-0")) {
      assertThatThrownBy(() -> StreamReplies.entryId(b(bad))).as(bad).isInstanceOf(RuntimeException.class);
    }
  }
}
