package jp.kofu.issuer.seed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import jp.kofu.issuer.registry.ResidentRegistry;
import jp.kofu.storage.Database;
import jp.kofu.storage.Databases;

/**
 * A registry seeded with the demo's two municipalities (千代田区 and the 本籍地 甲府市), their
 * specimens and catalog files, on a fresh database of either kind: a test's one line.
 */
public final class SeededRegistry implements AutoCloseable {
  public static final String CARD_ISSUER = "ab".repeat(32);

  public final Database db;
  public final ResidentRegistry registry;
  /** The counter's acts on the same registry. */
  public final RegistryWriter writer;
  public final Path dir;
  public final List<Specimen> specimens;
  public final LocalDate today;

  private SeededRegistry(Database db, Path dir, LocalDate today) {
    this.db = db;
    this.registry = new ResidentRegistry(db);
    this.writer = new RegistryWriter(db);
    this.dir = dir;
    this.today = today;
    try {
      new Seeder(registry, catalogDir(), dir.resolve("card-directory.csv"), dir.resolve("cards.csv"), CARD_ISSUER)
          .withSpecimens(dir.resolve("specimens.csv"))
          .seed(List.of(Seeder.DEMO_MUNICIPALITY, Seeder.DEMO_DOMICILE_MUNICIPALITY), 40, 7L, today);
      try (Stream<String> lines = Files.lines(dir.resolve("specimens.csv"))) {
        this.specimens = lines.skip(1).map(Specimen::parse).toList();
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static SeededRegistry seed(Databases.Kind kind, LocalDate today) {
    try {
      return new SeededRegistry(Databases.fresh(kind, ResidentRegistry.MIGRATIONS), Files.createTempDirectory("kofu-registry-"), today);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Path catalogDir() {
    return dir.resolve("municipalities");
  }

  /** The specimen for {@code reason} (and, when several, the one whose note contains {@code note}). */
  public Specimen specimen(String reason, String note) {
    return specimens.stream()
        .filter(s -> s.reason().equals(reason) && (note == null || s.note().contains(note)))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no specimen " + reason + " " + note));
  }

  @Override
  public void close() {
    db.close();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary directory
    }
  }
}
