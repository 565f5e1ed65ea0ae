package io.redisbridge.plugin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/** The built plugin zip, unpacked once into a folder that serves as a worker's {@code plugin.path}. */
final class PluginArchive {

  private PluginArchive() {}

  static Path archive() {
    String location = System.getProperty("plugin.archive");
    if (location == null) {
      throw new IllegalStateException(
          "system property plugin.archive is not set: run this test through Maven (mvn verify)");
    }
    Path archive = Path.of(location);
    if (!Files.isRegularFile(archive)) {
      throw new IllegalStateException("plugin archive " + archive + " does not exist: run mvn package first");
    }
    return archive;
  }

  /** Unpacks the archive into a new temporary folder and returns that folder. */
  static Path unpackToTempDir() {
    try {
      Path target = Files.createTempDirectory("plugin-path-");
      try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(archive()))) {
        for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
          Path out = target.resolve(entry.getName()).normalize();
          if (!out.startsWith(target)) {
            throw new IOException("archive entry escapes the target folder: " + entry.getName());
          }
          if (entry.isDirectory()) {
            Files.createDirectories(out);
          } else {
            Files.createDirectories(out.getParent());
            // Not in try-with-resources: closing would close the whole zip stream.
            Files.copy(zip, out);
          }
        }
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
