package io.redisbridge.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConnectClusterExtensionTest {

  @Test
  void readsTheCreateRequestFormAndTheBareConfigAlike() {
    String request = "{\"name\":\"orders\",\"config\":{\"connector.class\":\"X\",\"tasks.max\":\"2\"}}";
    String bare = "{\"connector.class\":\"X\",\"tasks.max\":\"2\"}";

    assertThat(ConnectClusterExtension.parseConfig(request))
        .containsExactlyInAnyOrderEntriesOf(ConnectClusterExtension.parseConfig(bare))
        .containsEntry("tasks.max", "2");
  }
}
