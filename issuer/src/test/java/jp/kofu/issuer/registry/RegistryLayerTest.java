package jp.kofu.issuer.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The registry is a layer below the documents and the seed: its classes (the live reads issuance
 * makes, and the records they return) name no rendering type and nothing of the seed, which owns
 * the write side. Read from the compiled classes' constant pools.
 */
class RegistryLayerTest {
  private static final Pattern KOFU_CLASS = Pattern.compile("jp/kofu/[A-Za-z0-9_/$]+");

  @Test
  void theRegistryNamesNeitherDocumentsNorTheSeed() throws Exception {
    Path classes = Path.of(ResidentRegistry.class.getProtectionDomain().getCodeSource().getLocation().toURI()).resolve("jp/kofu/issuer/registry");
    List<Path> files;
    try (Stream<Path> walk = Files.list(classes)) {
      files = walk.filter(p -> p.toString().endsWith(".class")).toList();
    }
    Set<String> referenced = new TreeSet<>();
    for (Path file : files) {
      Matcher m = KOFU_CLASS.matcher(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
      while (m.find()) {
        referenced.add(m.group());
      }
    }
    assertThat(files).extracting(p -> p.getFileName().toString()).contains("ResidentRegistry.class");
    assertThat(referenced).noneMatch(n -> n.startsWith("jp/kofu/issuer/document/")).noneMatch(n -> n.startsWith("jp/kofu/issuer/seed/"));
  }
}
