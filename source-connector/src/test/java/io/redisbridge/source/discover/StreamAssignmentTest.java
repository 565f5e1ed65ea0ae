package io.redisbridge.source.discover;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class StreamAssignmentTest {

  private static List<String> streams(int count) {
    return IntStream.range(0, count).mapToObj(n -> "orders:" + n).toList();
  }

  @Test
  void autoSharesFewStreamsAndSpreadsMany() {
    assertThat(StreamAssignment.effective(StreamAssignment.Mode.AUTO, 16, 4)).isEqualTo(StreamAssignment.Mode.SHARED);
    assertThat(StreamAssignment.effective(StreamAssignment.Mode.AUTO, 17, 4)).isEqualTo(StreamAssignment.Mode.SPREAD);
    assertThat(StreamAssignment.effective(StreamAssignment.Mode.SHARED, 1000, 4))
        .isEqualTo(StreamAssignment.Mode.SHARED);
    assertThat(StreamAssignment.effective(StreamAssignment.Mode.SPREAD, 2, 4)).isEqualTo(StreamAssignment.Mode.SPREAD);
  }

  @Test
  void sharedGivesEveryTaskEveryStream() {
    assertThat(StreamAssignment.assign(streams(3), 2, StreamAssignment.Mode.SHARED))
        .containsExactly(streams(3), streams(3));
  }

  @Test
  void spreadGivesEachStreamToOneTaskAndBalancesMany() {
    List<List<String>> assigned = StreamAssignment.assign(streams(1000), 4, StreamAssignment.Mode.SPREAD);
    List<String> all = new ArrayList<>();
    assigned.forEach(all::addAll);
    assertThat(all).hasSize(1000).doesNotHaveDuplicates().containsAll(streams(1000));
    assertThat(assigned).allSatisfy(task -> assertThat(task.size()).isBetween(200, 300));
  }

  @Test
  void aStreamKeepsItsTaskWhenOthersComeAndGo() {
    List<List<String>> before = StreamAssignment.assign(streams(100), 4, StreamAssignment.Mode.SPREAD);
    List<String> changed = new ArrayList<>(streams(150));
    changed.remove("orders:7");
    List<List<String>> after = StreamAssignment.assign(changed, 4, StreamAssignment.Mode.SPREAD);
    for (int task = 0; task < 4; task++) {
      List<String> kept = new ArrayList<>(before.get(task));
      kept.remove("orders:7");
      assertThat(after.get(task)).containsAll(kept);
    }
  }

  @Test
  void namesWithCommasSurviveTheTaskProperty() {
    List<String> names = List.of("a,b", "100%", "%2C", "plain", "");
    assertThat(StreamAssignment.decode(StreamAssignment.encode(names))).isEqualTo(names);
    assertThat(StreamAssignment.decode(StreamAssignment.encode(List.of()))).isEmpty();
  }
}
