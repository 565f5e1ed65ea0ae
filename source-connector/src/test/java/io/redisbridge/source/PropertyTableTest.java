package io.redisbridge.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.redisbridge.common.config.ConfigDocs;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The README's source property tables are generated from the ConfigDef. When this fails, regenerate them:
 * {@code mvn -pl source-connector -am test -Dtest=ReadmePropertyTableTest -Dreadme.update=true -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class ReadmePropertyTableTest {

  private static final Path README = Path.of("..", "README.md");
  private static final String MARKER = "source-properties";

  @Test
  void everyPropertyHasDocumentationGroupAndValidation() {
    assertThat(ConfigDocs.incompleteKeys(RedisStreamsSourceConfig.definition())).isEmpty();
  }

  @Test
  void readmeTablesMatchTheConfigDef() throws Exception {
    if (Boolean.getBoolean("readme.update")) {
      ConfigDocs.updateReadme(README, MARKER, RedisStreamsSourceConfig.definition());
    }
    String readme = Files.readString(README);
    assertThat(ConfigDocs.replaceBlock(readme, MARKER, ConfigDocs.markdown(RedisStreamsSourceConfig.definition())))
        .as("README source property tables drifted from RedisStreamsSourceConfig; see this test's javadoc")
        .isEqualTo(readme);
  }
}
