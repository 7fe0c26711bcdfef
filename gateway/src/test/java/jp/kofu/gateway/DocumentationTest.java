package jp.kofu.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import jp.kofu.issuer.seed.Seeder;
import org.junit.jupiter.api.Test;

/**
 * The project stands alone: what its code and docs cite from docs/DOMAIN.md is there, under the
 * section number cited, and nothing cites a file outside the repository.
 */
class DocumentationTest {
  static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
  static final Pattern CITATION = Pattern.compile("DOMAIN\\.md((?:,? ?§\\d+)+)");
  static final Pattern SECTION = Pattern.compile("§(\\d+)");

  @Test
  void everyCitedDomainSectionExists() throws IOException {
    String domain = Files.readString(ROOT.resolve("docs/DOMAIN.md"), StandardCharsets.UTF_8);
    Set<String> cited = new TreeSet<>();
    List<String> missing = new ArrayList<>();
    for (Path f : sources()) {
      Matcher m = CITATION.matcher(read(f));
      while (m.find()) {
        Matcher s = SECTION.matcher(m.group(1));
        while (s.find()) {
          cited.add(s.group(1));
          if (!Pattern.compile("(?m)^## " + s.group(1) + "\\. ").matcher(domain).find()) {
            missing.add(ROOT.relativize(f) + ": §" + s.group(1));
          }
        }
      }
    }
    assertThat(cited).as("sections cited from DOMAIN.md").contains("3", "4", "5", "6", "7", "8");
    assertThat(missing).as("citations of a section docs/DOMAIN.md does not have").isEmpty();
  }

  @Test
  void nothingCitesAFileOutsideTheRepository() {
    Pattern outside = Pattern.compile("\\.\\./shared|/work/shared|shared/DOMAIN\\.md|\\.\\./\\.\\./\\.\\./");
    List<String> found = new ArrayList<>();
    for (Path f : sources()) {
      if (outside.matcher(read(f)).find()) {
        found.add(ROOT.relativize(f).toString());
      }
    }
    assertThat(found).isEmpty();
  }

  @Test
  void theReadmeSaysWhatTheWalletHolds() {
    String readme = read(ROOT.resolve("README.md")).replaceAll("\\s+", " ");
    assertThat(readme)
        .contains("`var/wallet` the card holders' side: `cards.csv` (`" + Seeder.WALLET_HEADER + "`)")
        .contains("no names, no keys")
        .doesNotContain("`var/wallet` the seeded cards and their PINs");
  }

  static List<Path> sources() {
    try (Stream<Path> walk = Files.walk(ROOT)) {
      return walk.filter(p -> !p.toString().contains("/target/") && !p.toString().contains("/.git/") && !p.toString().contains("/node_modules/"))
          .filter(p -> !p.equals(ROOT.resolve("gateway/src/test/java/jp/kofu/gateway/DocumentationTest.java")))
          .filter(p -> p.toString().matches(".*\\.(java|proto|md|yaml|json|txt)$"))
          .filter(Files::isRegularFile)
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String read(Path f) {
    try {
      return Files.readString(f, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
