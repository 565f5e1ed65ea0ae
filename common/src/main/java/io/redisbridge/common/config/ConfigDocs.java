package io.redisbridge.common.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.types.Password;

/**
 * Renders a {@link ConfigDef} as the Markdown property tables of the docs, one table per group, and
 * swaps them into a docs page between marker comments. Those tables come only from here.
 */
public final class ConfigDocs {

  private ConfigDocs() {}

  public static String markdown(ConfigDef def) {
    Map<String, List<ConfigDef.ConfigKey>> byGroup = new LinkedHashMap<>();
    for (String group : def.groups()) {
      byGroup.put(group, new ArrayList<>());
    }
    for (ConfigDef.ConfigKey key : def.configKeys().values()) {
      byGroup.computeIfAbsent(key.group == null ? "Other" : key.group, g -> new ArrayList<>()).add(key);
    }
    StringBuilder out = new StringBuilder();
    for (Map.Entry<String, List<ConfigDef.ConfigKey>> group : byGroup.entrySet()) {
      if (group.getValue().isEmpty()) {
        continue;
      }
      group.getValue().sort((a, b) -> Integer.compare(a.orderInGroup, b.orderInGroup));
      out.append("### ").append(group.getKey()).append("\n\n")
          .append("| Property | Type | Default | Valid values | Importance | Description |\n")
          .append("|---|---|---|---|---|---|\n");
      for (ConfigDef.ConfigKey key : group.getValue()) {
        out.append("| `").append(key.name).append("` | ")
            .append(key.type.name().toLowerCase(java.util.Locale.ROOT)).append(" | ")
            .append(defaultOf(key)).append(" | ")
            .append(validValues(key)).append(" | ")
            .append(key.importance.name().toLowerCase(java.util.Locale.ROOT)).append(" | ")
            .append(cell(key.documentation)).append(" |\n");
      }
      out.append('\n');
    }
    return out.toString();
  }

  private static String defaultOf(ConfigDef.ConfigKey key) {
    if (!key.hasDefault()) {
      return "(required)";
    }
    Object value = key.defaultValue;
    if (value == null || value instanceof Password) {
      return "null";
    }
    String text = value instanceof List<?> list ? String.join(",", list.stream().map(String::valueOf).toList())
        : String.valueOf(value);
    return text.isEmpty() ? "\"\"" : "`" + text + "`";
  }

  private static String validValues(ConfigDef.ConfigKey key) {
    if (key.validator != null) {
      return cell(key.validator.toString());
    }
    return key.type == ConfigDef.Type.BOOLEAN ? "true, false" : "";
  }

  private static String cell(String text) {
    return text.replace("|", "\\|").replace("\n", " ");
  }

  /** The page text with the block between {@code <!-- marker:start -->} and {@code <!-- marker:end -->} replaced. */
  public static String replaceBlock(String readme, String marker, String block) {
    String start = "<!-- " + marker + ":start -->";
    String end = "<!-- " + marker + ":end -->";
    int from = readme.indexOf(start);
    int to = readme.indexOf(end);
    if (from < 0 || to < from) {
      throw new IllegalArgumentException("the page lacks the markers " + start + " and " + end);
    }
    return readme.substring(0, from + start.length()) + "\n" + block + readme.substring(to);
  }

  /** Keys missing documentation, group, display name or validation; what the docs tables need. */
  public static List<String> incompleteKeys(ConfigDef def) {
    List<String> incomplete = new ArrayList<>();
    for (ConfigDef.ConfigKey key : def.configKeys().values()) {
      boolean validated = key.validator != null || key.type == ConfigDef.Type.BOOLEAN;
      if (isBlank(key.documentation) || isBlank(key.group) || isBlank(key.displayName) || !validated) {
        incomplete.add(key.name);
      }
    }
    return incomplete;
  }

  private static boolean isBlank(String text) {
    return text == null || text.isBlank();
  }

  /** Rewrites the page's block for {@code marker}; what a developer runs after changing a ConfigDef. */
  public static void updatePage(Path readme, String marker, ConfigDef def) {
    try {
      Files.writeString(readme, replaceBlock(Files.readString(readme), marker, markdown(def)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
