package jp.kofu.issuer.seed;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import jp.kofu.issuer.registry.ResidentRegistry;
import jp.kofu.storage.Database;
import jp.kofu.storage.Databases;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Seeding in parallel still makes the same people for the same seed, each municipality complete. */
class SeederTest {
  static final String CARD_CA = "ab".repeat(32);

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(Databases.Kind.class)
  void theSameSeedMakesTheSamePeopleWhateverTheParallelism(Databases.Kind kind) throws Exception {
    List<String> codes = Seeder.pickMunicipalities(4, 3);
    LocalDate today = LocalDate.of(2026, 4, 1);
    try (Database a = Databases.fresh(kind, ResidentRegistry.MIGRATIONS);
        Database b = Databases.fresh(kind, ResidentRegistry.MIGRATIONS)) {
      Seeder.Result first = seeder(a, "a").seed(codes, 300, 5, today);
      seeder(b, "b").seed(codes, 300, 5, today);

      assertThat(first.residents()).isEqualTo(1200);
      for (String code : codes) {
        assertThat(new ResidentRegistry(a).countResidents(code)).isEqualTo(300);
      }
      assertThat(Files.readAllLines(dir.resolve("a/wallet.csv"))).isEqualTo(Files.readAllLines(dir.resolve("b/wallet.csv")));
      assertThat(Files.readAllLines(dir.resolve("a/cards.csv"))).hasSize((int) first.cards() + 1);
      // Appending a second run keeps ids and 住民票コード unique (the schema enforces it).
      Seeder.Result more = seeder(a, "a").seed(codes.subList(0, 2), 300, 6, today);
      assertThat(more.residents()).isEqualTo(600);
      assertThat(new ResidentRegistry(a).countResidents(codes.get(0))).isEqualTo(600);
    }
  }

  private Seeder seeder(Database db, String name) {
    Path d = dir.resolve(name);
    return new Seeder(new ResidentRegistry(db), d.resolve("municipalities"), d.resolve("cards.csv"), d.resolve("wallet.csv"), CARD_CA);
  }
}
