package io.redisbridge.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks over tens of thousands of entry IDs. AssertJ's {@code containsAll} and
 * {@code containsExactlyInAnyOrderElementsOf} compare every pair, which took over a minute per check at
 * 60,000 IDs; these look each ID up in a hash set instead.
 */
public final class DeliveryAssertions {

  private DeliveryAssertions() {
  }

  /** Fails, naming the first missing IDs, unless every expected ID is among the delivered ones. */
  public static void assertDeliveredEvery(Collection<String> delivered, Collection<String> expected) {
    Set<String> lookup = delivered instanceof Set<String> set ? set : new HashSet<>(delivered);
    List<String> missing = expected.stream().filter(id -> !lookup.contains(id)).toList();
    assertThat(missing.subList(0, Math.min(missing.size(), 20)))
        .as("%d of %d expected entries were never delivered; the first of them", missing.size(), expected.size())
        .isEmpty();
  }

  /** Fails unless the delivered IDs are exactly the expected ones, each once, in any order. */
  public static void assertDeliveredExactly(Collection<String> delivered, Collection<String> expected) {
    Set<String> distinct = new HashSet<>(delivered);
    assertThat(delivered.size() - distinct.size()).as("entries delivered more than once").isZero();
    assertDeliveredEvery(distinct, expected);
    assertThat(distinct).as("delivered entries").hasSameSizeAs(new HashSet<>(expected));
  }
}
