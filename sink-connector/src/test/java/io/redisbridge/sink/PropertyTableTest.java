package io.redisbridge.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.redisbridge.common.config.ConfigDocs;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The README's source property tables are generated from the ConfigDef. When this fails, regenerate them:
 * {@code mvn -pl sink-connector -am test -Dtest=ReadmePropertyTableTest -Dreadme.update=true -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class ReadmePropertyTableTest {

  private static final Path README = Path.of("..", "README.md");
  private static final String MARKER = "sink-properties";

  @Test
  void everyPropertyHasDocumentationGroupAndValidation() {
    assertThat(ConfigDocs.incompleteKeys(RedisStreamsSinkConfig.definition())).isEmpty();
  }

  @Test
  void readmeTablesMatchTheConfigDef() throws Exception {
    if (Boolean.getBoolean("readme.update")) {
      ConfigDocs.updateReadme(README, MARKER, RedisStreamsSinkConfig.definition());
    }
    String readme = Files.readString(README);
    assertThat(ConfigDocs.replaceBlock(readme, MARKER, ConfigDocs.markdown(RedisStreamsSinkConfig.definition())))
        .as("README sink property tables drifted from RedisStreamsSinkConfig; see this test's javadoc")
        .isEqualTo(readme);
  }
}
