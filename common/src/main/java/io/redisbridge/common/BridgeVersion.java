package io.redisbridge.common;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The build version, as Maven wrote it into a filtered resource; what Connector/Task {@code version()} report. */
public final class BridgeVersion {

  private static final String VERSION = load();

  private BridgeVersion() {}

  public static String get() {
    return VERSION;
  }

  private static String load() {
    try (InputStream in = BridgeVersion.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        throw new IllegalStateException("version.properties is missing from the redis-kafka-bridge-common jar");
      }
      Properties props = new Properties();
      props.load(in);
      return props.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
