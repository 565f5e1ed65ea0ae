package io.redisbridge.common.config;

import io.redisbridge.common.deadletter.DeadLetterStream;
import io.redisbridge.common.template.NameTemplate;
import java.util.Set;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;

/** Where a connector writes entries it gives up on, as a Redis stream, and how long that stream may grow. */
public final class DeadLetterConfig {

  public static final String GROUP = "Dead letters";
  public static final String STREAM = "redis.dead.letter.stream";
  public static final String MAXLEN = "redis.dead.letter.maxlen";

  private DeadLetterConfig() {}

  public static ConfigDef addTo(ConfigDef def, String defaultTemplate, Set<String> placeholders, String doc,
      boolean optional) {
    return def
        .define(STREAM, Type.STRING, defaultTemplate, new TemplateValidator(placeholders, optional), Importance.MEDIUM,
            doc + " Placeholders: " + placeholders.stream().sorted().map(p -> "${" + p + "}").toList() + ".",
            GROUP, 1, Width.MEDIUM, "Dead-letter stream")
        .define(MAXLEN, Type.LONG, 0L, ConfigDef.Range.atLeast(0), Importance.LOW,
            "Approximate cap (XADD MAXLEN ~) on the dead-letter stream's length; 0 keeps every dead letter.",
            GROUP, 2, Width.SHORT, "Dead-letter stream max length");
  }

  public static NameTemplate streamTemplate(AbstractConfig config, Set<String> placeholders) {
    String value = config.getString(STREAM);
    return value == null || value.isBlank() ? null : NameTemplate.parse(value, placeholders);
  }

  public static DeadLetterStream stream(AbstractConfig config) {
    return new DeadLetterStream(config.getLong(MAXLEN));
  }
}
