package io.redisbridge.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.redisbridge.testing.ConnectClusterExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What a security review of the built archive looks at: a CycloneDX SBOM of exactly the jars in lib/,
 * each with a license; a NOTICE naming each bundled library; the manifest pointing at both; a SHA-512
 * checksum beside the archive that matches it.
 */
class ReleaseArtifactsIT {

  private static final Path PLUGIN = PluginArchive.unpackToTempDir();

  private static Path component() throws IOException {
    try (Stream<Path> folders = Files.list(PLUGIN)) {
      return folders.filter(Files::isDirectory).findFirst().orElseThrow();
    }
  }

  private static List<String> bundledJars() throws IOException {
    try (Stream<Path> jars = Files.list(component().resolve("lib"))) {
      return jars.map(jar -> jar.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void theSbomListsExactlyTheBundledJarsEachWithALicense() throws Exception {
    JsonNode sbom = ConnectClusterExtension.json(Files.readString(component().resolve("doc/sbom.cdx.json")));

    assertThat(sbom.get("bomFormat").asText()).isEqualTo("CycloneDX");
    List<String> listed = new ArrayList<>();
    for (JsonNode component : sbom.get("components")) {
      String jar = component.get("name").asText() + "-" + component.get("version").asText() + ".jar";
      listed.add(jar);
      assertThat(component.path("licenses").size()).as("licenses of " + jar).isPositive();
      JsonNode license = component.get("licenses").get(0).path("license");
      assertThat(license.path("id").asText(license.path("name").asText())).as("license of " + jar).isNotBlank();
      assertThat(component.path("hashes").size()).as("hashes of " + jar).isPositive();
    }
    assertThat(listed).containsExactlyInAnyOrderElementsOf(bundledJars());
  }

  @Test
  void theNoticeNamesEveryBundledLibraryAndTheManifestPointsAtItAndTheSbom() throws Exception {
    String notice = Files.readString(component().resolve("doc/NOTICE"));
    JsonNode sbom = ConnectClusterExtension.json(Files.readString(component().resolve("doc/sbom.cdx.json")));
    for (JsonNode library : sbom.get("components")) {
      String coordinates = library.get("group").asText() + ":" + library.get("name").asText();
      if (!library.get("name").asText().startsWith("redis-kafka-bridge-")) {
        assertThat(notice).as("NOTICE names " + coordinates).contains("(" + coordinates + ")");
        assertThat(licenseTexts()).as("a license text for " + coordinates).anyMatch(text ->
            text.contains("(" + coordinates + ")"));
      }
    }
    JsonNode manifest = ConnectClusterExtension.json(Files.readString(component().resolve("manifest.json")));
    assertThat(manifest.path("bundled_licenses").path("notice").asText()).isEqualTo("doc/NOTICE");
    assertThat(manifest.path("bundled_licenses").path("sbom").asText()).isEqualTo("doc/sbom.cdx.json");
    assertThat(Files.exists(component().resolve("doc/LICENSE"))).isTrue();
  }

  /** The files of doc/licenses/. */
  private static List<String> licenseTexts() throws IOException {
    try (Stream<Path> files = Files.list(component().resolve("doc/licenses"))) {
      List<String> texts = new ArrayList<>();
      for (Path file : files.toList()) {
        texts.add(Files.readString(file));
      }
      return texts;
    }
  }

  @Test
  void aSha512BesideTheArchiveMatchesIt() throws Exception {
    Path archive = PluginArchive.archive();
    Path checksum = archive.resolveSibling(archive.getFileName() + ".sha512");
    String line = Files.readString(checksum, StandardCharsets.UTF_8).trim();

    String expected = HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-512").digest(Files.readAllBytes(archive)));
    assertThat(line.split("\\s+")[0]).isEqualToIgnoringCase(expected);
    assertThat(line).endsWith(archive.getFileName().toString());
    // The build's copy of the Strimzi KafkaConnect resource carries that sum and this version's archive.
    String kafkaConnect = Files.readString(archive.resolveSibling("strimzi").resolve("03-kafka-connect.yaml"));
    assertThat(kafkaConnect).contains("sha512sum: \"" + expected + "\"")
        .contains("/redis-kafka-bridge-" + System.getProperty("project.version") + ".zip").doesNotContain("@");
  }
}
