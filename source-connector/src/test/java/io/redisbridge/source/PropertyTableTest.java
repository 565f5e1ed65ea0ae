package io.redisbridge.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.redisbridge.common.config.ConfigDocs;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The source property tables in docs/source.md are generated from the ConfigDef. When this fails, regenerate them:
 * {@code mvn -pl source-connector -am test -Dtest=PropertyTableTest -Ddocs.update=true -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class PropertyTableTest {

  private static final Path PAGE = Path.of("..", "docs", "source.md");
  private static final String MARKER = "source-properties";

  @Test
  void everyPropertyHasDocumentationGroupAndValidation() {
    assertThat(ConfigDocs.incompleteKeys(RedisStreamsSourceConfig.definition())).isEmpty();
  }

  @Test
  void docsTablesMatchTheConfigDef() throws Exception {
    if (Boolean.getBoolean("docs.update")) {
      ConfigDocs.updatePage(PAGE, MARKER, RedisStreamsSourceConfig.definition());
    }
    String page = Files.readString(PAGE);
    assertThat(ConfigDocs.replaceBlock(page, MARKER, ConfigDocs.markdown(RedisStreamsSourceConfig.definition())))
        .as("docs/source.md property tables drifted from RedisStreamsSourceConfig; see this test's javadoc")
        .isEqualTo(page);
  }
}
