package io.redisbridge.common.config;

import io.redisbridge.common.template.NameTemplate;
import java.util.Set;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/** A {@link NameTemplate} whose placeholders are all known. */
public final class TemplateValidator implements ConfigDef.Validator {

  private final Set<String> placeholders;
  private final boolean blankAllowed;

  public TemplateValidator(Set<String> placeholders, boolean blankAllowed) {
    this.placeholders = Set.copyOf(placeholders);
    this.blankAllowed = blankAllowed;
  }

  @Override
  public void ensureValid(String name, Object value) {
    if (value == null || value.toString().isBlank()) {
      if (blankAllowed) {
        return;
      }
      throw new ConfigException(name, value, "must not be empty");
    }
    try {
      NameTemplate.parse(value.toString(), placeholders);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(name, value, e.getMessage());
    }
  }

  @Override
  public String toString() {
    return "name template with placeholders " + placeholders.stream().sorted().map(p -> "${" + p + "}").toList();
  }
}
