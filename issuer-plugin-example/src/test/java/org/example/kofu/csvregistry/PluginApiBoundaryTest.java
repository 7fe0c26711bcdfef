package org.example.kofu.csvregistry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
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
 * The architecture rule a vendor's plugin keeps: of kofu, its classes refer to the public API alone
 * ({@code jp.kofu.issuer.spi} and its subpackages, the kofu-issuer-api artifact). Read from the
 * compiled classes' constant pools, where every class a class refers to is named; the compiler
 * already proves it for this module (kofu-issuer-api is its only kofu dependency), and this test
 * keeps the proof when someone adds a dependency to its pom.
 */
class PluginApiBoundaryTest {
  private static final Pattern KOFU_CLASS = Pattern.compile("jp/kofu/[A-Za-z0-9_/$]+");

  @Test
  void thePluginRefersToKofusPublicApiOnly() throws IOException {
    Path classes = Path.of(System.getProperty("plugin.classes"));
    Set<String> referenced = new TreeSet<>();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(classes)) {
      files = walk.filter(p -> p.toString().endsWith(".class")).toList();
    }
    for (Path file : files) {
      // Constant-pool names are modified UTF-8; ISO-8859-1 keeps the ASCII class names intact.
      Matcher m = KOFU_CLASS.matcher(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
      while (m.find()) {
        referenced.add(m.group());
      }
    }
    assertThat(files).isNotEmpty();
    assertThat(referenced).as("kofu classes the plugin refers to").isNotEmpty().allSatisfy(name -> assertThat(name).startsWith("jp/kofu/issuer/spi/"));
  }
}
