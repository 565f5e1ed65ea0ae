package io.redisbridge.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.redisbridge.common.config.ConfigDocs;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The sink property tables in docs/sink.md are generated from the ConfigDef. When this fails, regenerate them:
 * {@code mvn -pl sink-connector -am test -Dtest=PropertyTableTest -Ddocs.update=true -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class PropertyTableTest {

  private static final Path PAGE = Path.of("..", "docs", "sink.md");
  private static final String MARKER = "sink-properties";

  @Test
  void everyPropertyHasDocumentationGroupAndValidation() {
    assertThat(ConfigDocs.incompleteKeys(RedisStreamsSinkConfig.definition())).isEmpty();
  }

  @Test
  void docsTablesMatchTheConfigDef() throws Exception {
    if (Boolean.getBoolean("docs.update")) {
      ConfigDocs.updatePage(PAGE, MARKER, RedisStreamsSinkConfig.definition());
    }
    String page = Files.readString(PAGE);
    assertThat(ConfigDocs.replaceBlock(page, MARKER, ConfigDocs.markdown(RedisStreamsSinkConfig.definition())))
        .as("docs/sink.md property tables drifted from RedisStreamsSinkConfig; see this test's javadoc")
        .isEqualTo(page);
  }
}
