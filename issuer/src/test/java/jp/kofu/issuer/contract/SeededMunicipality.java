package jp.kofu.issuer.contract;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import jp.kofu.issuer.JapanTime;
import jp.kofu.issuer.catalog.MunicipalityCatalog;
import jp.kofu.issuer.embedded.EmbeddedIssuerAdapter;
import jp.kofu.issuer.registry.CardRecord;
import jp.kofu.issuer.registry.Resident;
import jp.kofu.issuer.registry.ResidentRegistry;
import jp.kofu.issuer.registry.ResidentStatus;
import jp.kofu.issuer.seed.RegistryWriter;
import jp.kofu.issuer.seed.Seeder;
import jp.kofu.issuer.spi.CardRef;
import jp.kofu.issuer.spi.IssuerAdapter;
import jp.kofu.issuer.spi.RefusalReason;
import jp.kofu.pki.TrustWorld;
import jp.kofu.pki.X509;
import jp.kofu.storage.Database;
import jp.kofu.storage.Databases;

/**
 * Synthetic municipalities seeded into a fresh registry of either kind, with what a test needs to
 * know about them: residents who can get a certificate today, and a way to make one who cannot.
 */
public final class SeededMunicipality implements AutoCloseable {
  public final Database database;
  public final ResidentRegistry registry;
  /** The counter's acts on the same registry (a death, a move-out, ...). */
  public final RegistryWriter writer;
  public final Path directory;
  public final TrustWorld pki;
  public final List<String> codes;
  public final Instant now;
  private final List<String[]> wallet;

  private SeededMunicipality(Database database, Path directory, TrustWorld pki, List<String> codes, Instant now) {
    this.database = database;
    this.registry = new ResidentRegistry(database);
    this.writer = new RegistryWriter(database);
    this.directory = directory;
    this.pki = pki;
    this.codes = List.copyOf(codes);
    this.now = now;
    try {
      this.wallet = Files.readAllLines(directory.resolve("wallet.csv"), StandardCharsets.UTF_8).stream().skip(1).map(l -> l.split(",")).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code codes}, {@code residentsEach} residents each, in a fresh database of {@code kind}. */
  public static SeededMunicipality seed(Databases.Kind kind, TrustWorld pki, List<String> codes, int residentsEach, Clock clock) {
    Database db = Databases.fresh(kind, ResidentRegistry.MIGRATIONS);
    try {
      Path dir = Files.createTempDirectory("kofu-seeded-");
      new Seeder(new ResidentRegistry(db), dir.resolve("municipalities"), dir.resolve("card-directory.csv"), dir.resolve("wallet.csv"),
              X509.keyId(pki.cardCa().certificate()))
          .seed(codes, residentsEach, 7L, JapanTime.date(clock.instant()));
      return new SeededMunicipality(db, dir, pki, codes, clock.instant());
    } catch (IOException e) {
      db.close();
      throw new UncheckedIOException(e);
    } catch (SQLException e) {
      db.close();
      throw new IllegalStateException(e);
    }
  }

  public Path catalogDirectory() {
    return directory.resolve("municipalities");
  }

  public Path cardDirectoryFeed() {
    return directory.resolve("card-directory.csv");
  }

  /** An embedded adapter on this registry serving {@code served} (the database stays open). */
  public EmbeddedIssuerAdapter adapter(java.util.Set<String> served) {
    return new EmbeddedIssuerAdapter(
        registry, MunicipalityCatalog.load(catalogDirectory()), pki::municipalSigner,
        new jp.kofu.issuer.document.PadesSigner(Clock.systemUTC()), jp.kofu.issuer.document.VerificationLink.defaults(), () -> {}, served);
  }

  /** Cards of {@code code} whose holders may get a 住民票の写し today, with distinct names. */
  public List<IssuerAdapterContractTest.Holder> eligible(String code, int max) {
    LocalDate today = JapanTime.date(now);
    List<IssuerAdapterContractTest.Holder> out = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (String[] w : wallet) {
      if (!w[1].equals(code)) {
        continue;
      }
      try {
        Resident r = registry.resident(Long.parseLong(w[0])).orElseThrow();
        CardRecord card = registry.findCard(w[2], w[3]).orElseThrow();
        String name = r.fullName().replace("　", "");
        boolean clash = names.stream().anyMatch(n -> n.contains(name) || name.contains(n));
        if (r.status() == ResidentStatus.ACTIVE && !r.supportMeasure() && !r.gaijiPending() && r.ageOn(today) >= 15
            && !today.equals(r.movedInOn()) && !card.usableFrom().isAfter(today) && !clash) {
          names.add(name);
          out.add(new IssuerAdapterContractTest.Holder(new CardRef(w[3], w[2], CardRef.CredentialKind.valueOf(w[4])), r.fullName()));
          if (out.size() == max) {
            break;
          }
        }
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }
    return out;
  }

  /** Records {@code holder}'s death: from now on, the registry refuses them (read live). */
  public IssuerAdapterContractTest.Refused deceased(IssuerAdapterContractTest.Holder holder) {
    try {
      CardRecord card = registry.findCard(holder.card().issuerKeyId(), holder.card().serial()).orElseThrow();
      writer.setStatus(card.residentId(), ResidentStatus.DECEASED);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return new IssuerAdapterContractTest.Refused(holder.card(), RefusalReason.DECEASED);
  }

  /** The contract fixture for an adapter serving {@code code} of this registry. */
  public IssuerAdapterContractTest.Fixture fixture(IssuerAdapter adapter, String code) {
    List<IssuerAdapterContractTest.Holder> holders = eligible(code, 5);
    IssuerAdapterContractTest.Refused refused = deceased(holders.get(4));
    return new IssuerAdapterContractTest.Fixture(
        adapter, code, holders.subList(0, 4), refused, List.of(pki.municipalCa().certificate()), now);
  }

  @Override
  public void close() {
    database.close();
    try (Stream<Path> files = Files.walk(directory)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary directory
    }
  }
}
