package io.redisbridge.quickstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class QuickStartOptionsTest {

  @Test
  void readsEveryOptionAndKeepsTheDefaultsOtherwise() {
    assertThat(QuickStartOptions.parse()).isEqualTo(new QuickStartOptions(20_000, 2_000, false, false));
    assertThat(QuickStartOptions.parse("--orders", "500", "--rate", "100", "--keep-running"))
        .isEqualTo(new QuickStartOptions(500, 100, true, false));
    assertThat(QuickStartOptions.parse("--help").help()).isTrue();
  }

  @Test
  void namesTheOptionAndWhatItAcceptsForEachMistake() {
    assertThatThrownBy(() -> QuickStartOptions.parse("--orders", "abc"))
        .hasMessage("--orders takes a whole number of at least 1, not 'abc'");
    assertThatThrownBy(() -> QuickStartOptions.parse("--orders"))
        .hasMessage("--orders needs a value: a whole number of at least 1");
    assertThatThrownBy(() -> QuickStartOptions.parse("--orders", "--keep-running"))
        .hasMessage("--orders needs a value: a whole number of at least 1");
    assertThatThrownBy(() -> QuickStartOptions.parse("--rate", "0"))
        .hasMessage("--rate takes a whole number of at least 1, not 0");
    assertThatThrownBy(() -> QuickStartOptions.parse("--rate", "-3"))
        .hasMessage("--rate takes a whole number of at least 1, not -3");
    assertThatThrownBy(() -> QuickStartOptions.parse("--rate", "99999999999"))
        .hasMessage("--rate takes a whole number of at least 1, not '99999999999'");
    assertThatThrownBy(() -> QuickStartOptions.parse("--bogus"))
        .hasMessage("unknown option --bogus; options: --orders N, --rate N, --keep-running, --help");
  }
}
