package io.redisbridge.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README and the pages under docs/ hold together: every link between them (and to the project's files)
 * resolves, down to the heading it names, and the minimal configs the README shows are the files it names.
 */
class DocsTest {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
  private static final Pattern JSON_BLOCK = Pattern.compile("```json\\n(.*?)```", Pattern.DOTALL);

  private static List<Path> pages() throws IOException {
    List<Path> pages = new ArrayList<>();
    pages.add(ROOT.resolve("README.md"));
    try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
      docs.filter(file -> file.toString().endsWith(".md")).sorted().forEach(pages::add);
    }
    return pages;
  }

  @Test
  void everyLinkBetweenTheReadmeAndTheDocsResolvesToAFileAndHeading() throws IOException {
    Map<Path, Set<String>> anchors = new HashMap<>();
    List<String> broken = new ArrayList<>();
    int checked = 0;
    for (Path page : pages()) {
      Matcher link = LINK.matcher(withoutCode(Files.readString(page)));
      while (link.find()) {
        String target = link.group(1);
        if (target.matches("^[a-z]+:.*")) {
          continue; // http, https, mailto: not ours to check
        }
        checked++;
        String file = target.contains("#") ? target.substring(0, target.indexOf('#')) : target;
        String anchor = target.contains("#") ? target.substring(target.indexOf('#') + 1) : null;
        Path resolved = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
        if (!Files.exists(resolved)) {
          broken.add(ROOT.relativize(page) + ": " + target + " (no such file)");
        } else if (anchor != null && !anchors.computeIfAbsent(resolved, DocsTest::headingAnchors).contains(anchor)) {
          broken.add(ROOT.relativize(page) + ": " + target + " (no such heading)");
        }
      }
    }
    assertThat(checked).as("links checked").isGreaterThan(20);
    assertThat(broken).isEmpty();
  }

  @Test
  void theReadmeLinksEveryDocsPage() throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"));
    for (Path page : pages().subList(1, pages().size())) {
      assertThat(readme).as("the README's map of the docs").contains("](docs/" + page.getFileName() + ")");
    }
  }

  @Test
  void theMinimalConfigsInTheReadmeAreTheFilesItNames() throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"));
    Matcher block = JSON_BLOCK.matcher(readme);
    List<String> shown = new ArrayList<>();
    while (block.find()) {
      shown.add(block.group(1));
    }
    assertThat(shown).containsExactly(
        Files.readString(ROOT.resolve("config/source-defaults.json")),
        Files.readString(ROOT.resolve("config/sink-defaults.json")));
  }

  /** GitHub's anchors for a page's headings: lower case, punctuation dropped, spaces to dashes, repeats numbered. */
  private static Set<String> headingAnchors(Path page) {
    Set<String> anchors = new HashSet<>();
    Map<String, Integer> seen = new HashMap<>();
    try {
      for (String line : withoutCode(Files.readString(page)).split("\n")) {
        if (line.startsWith("#")) {
          String slug = line.replaceFirst("^#+\\s*", "").toLowerCase(Locale.ROOT)
              .replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
          int count = seen.merge(slug, 1, Integer::sum);
          anchors.add(count == 1 ? slug : slug + "-" + (count - 1));
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return anchors;
  }

  /** The text outside fenced code blocks, where a {@code #} is a comment, not a heading. */
  private static String withoutCode(String markdown) {
    return markdown.replaceAll("(?s)```.*?```", "");
  }
}
