package io.redisbridge.common.template;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A name with {@code ${placeholder}} parts, such as the topic template {@code redis.${stream}} or the
 * dead-letter stream template {@code ${stream}-dlq}. Parsed once; rendering is a string concatenation.
 */
public final class NameTemplate {

  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_.-]+)}");

  private final String template;
  private final List<String> literals = new ArrayList<>();
  private final List<String> names = new ArrayList<>();

  private NameTemplate(String template) {
    this.template = template;
    Matcher matcher = PLACEHOLDER.matcher(template);
    int last = 0;
    while (matcher.find()) {
      literals.add(template.substring(last, matcher.start()));
      names.add(matcher.group(1));
      last = matcher.end();
    }
    literals.add(template.substring(last));
  }

  /**
   * Parses {@code template}; every placeholder must be one of {@code allowed}.
   *
   * @throws IllegalArgumentException naming the unknown placeholder
   */
  public static NameTemplate parse(String template, Set<String> allowed) {
    NameTemplate parsed = new NameTemplate(template);
    for (String name : parsed.names) {
      if (!allowed.contains(name)) {
        throw new IllegalArgumentException("unknown placeholder ${" + name + "}; allowed: "
            + allowed.stream().sorted().map(n -> "${" + n + "}").toList());
      }
    }
    if (template.contains("${") && parsed.names.isEmpty()) {
      throw new IllegalArgumentException("malformed placeholder in '" + template + "'");
    }
    return parsed;
  }

  public String render(Map<String, String> values) {
    StringBuilder out = new StringBuilder(template.length() + 32);
    for (int i = 0; i < names.size(); i++) {
      out.append(literals.get(i)).append(values.get(names.get(i)));
    }
    return out.append(literals.get(literals.size() - 1)).toString();
  }

  /** True if the template contains {@code ${placeholder}}. */
  public boolean uses(String placeholder) {
    return names.contains(placeholder);
  }

  @Override
  public String toString() {
    return template;
  }
}
