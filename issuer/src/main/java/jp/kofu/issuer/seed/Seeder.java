package jp.kofu.issuer.seed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import jp.kofu.issuer.catalog.CertificateTerms;
import jp.kofu.issuer.catalog.MunicipalityCatalog;
import jp.kofu.issuer.catalog.MunicipalityProfile;
import jp.kofu.issuer.document.MunicipalityIdentity;
import jp.kofu.issuer.reference.JapaneseNames;
import jp.kofu.issuer.reference.LocalGovernment;
import jp.kofu.issuer.reference.LocalGovernmentCodes;
import jp.kofu.issuer.reference.Towns;
import jp.kofu.issuer.registry.CardRecord;
import jp.kofu.issuer.registry.ResidentRegistry;
import jp.kofu.issuer.spi.CertificateOption;
import jp.kofu.issuer.spi.CertificateType;

/**
 * Seeds synthetic municipalities: a catalog file per municipality (unless one exists), its
 * residents in the registry, and two feeds of the cards it issued:
 *
 * <ul>
 *   <li>the card directory feed ({@code issuer_key_id,serial,municipality_code,usable_from}): what
 *       the center learns from J-LIS, which card belongs to which address municipality;
 *   <li>the wallet index ({@code resident_id,municipality_code,issuer_key_id,serial,kind,pin}): what
 *       only the card holders know, read by the terminal simulator.
 * </ul>
 */
public final class Seeder {
  /** The demo municipality: 東京都千代田区. */
  public static final String DEMO_MUNICIPALITY = "131016";

  public static final String CARD_DIRECTORY_HEADER = "issuer_key_id,serial,municipality_code,usable_from";
  public static final String WALLET_HEADER = "resident_id,municipality_code,issuer_key_id,serial,kind,pin";

  private final ResidentRegistry registry;
  private final Path catalogDir;
  private final Path cardDirectoryFeed;
  private final Path walletIndex;
  private final String cardIssuerKeyId;

  public Seeder(ResidentRegistry registry, Path catalogDir, Path cardDirectoryFeed, Path walletIndex, String cardIssuerKeyId) {
    this.registry = registry;
    this.catalogDir = catalogDir;
    this.cardDirectoryFeed = cardDirectoryFeed;
    this.walletIndex = walletIndex;
    this.cardIssuerKeyId = cardIssuerKeyId;
  }

  /**
   * What one seeding run added, and where the time went.
   *
   * @param generateNanos making the people (names, households, addresses, cards), summed over the
   *     parallel workers
   * @param insertNanos writing them to the registry (batched, one transaction per municipality),
   *     summed over the parallel workers
   */
  public record Result(List<String> municipalityCodes, long residents, long cards, long generateNanos, long insertNanos) {}

  /**
   * {@code count} municipalities (the demo municipality first, then others drawn from those with
   * town data), {@code residentsEach} residents each.
   */
  public static List<String> pickMunicipalities(int count, long seed) {
    List<String> out = new ArrayList<>();
    out.add(DEMO_MUNICIPALITY);
    List<LocalGovernment> candidates =
        LocalGovernmentCodes.bundled().all().stream()
            .filter(g -> g.type() != LocalGovernment.Type.PREFECTURE)
            .filter(g -> !Towns.bundled().of(g.code5()).isEmpty())
            .filter(g -> !g.code().equals(DEMO_MUNICIPALITY))
            .toList();
    SplittableRandom random = new SplittableRandom(seed);
    while (out.size() < count) {
      String code = candidates.get(random.nextInt(candidates.size())).code();
      if (!out.contains(code)) {
        out.add(code);
      }
    }
    return out;
  }

  public Result seed(List<String> municipalityCodes, int residentsEach, long seed, LocalDate today) throws SQLException {
    for (String code : municipalityCodes) {
      ensureCatalog(code, seed);
    }
    // Each municipality gets its id ranges up front, so municipalities are generated and written
    // in parallel (one transaction each), yet the same seed still makes the same people with the
    // same ids. The feeds are appended afterwards, in order.
    long householdStart = registry.nextId("household");
    long residentStart = registry.nextId("resident");
    int parallelism = Math.max(1, Math.min(municipalityCodes.size(), Math.min(4, Runtime.getRuntime().availableProcessors())));
    List<Future<Seeded>> work = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(parallelism, Thread.ofPlatform().name("seed-", 0).factory());
    try {
      for (int i = 0; i < municipalityCodes.size(); i++) {
        String code = municipalityCodes.get(i);
        long householdId = householdStart + (long) i * residentsEach;
        long residentId = residentStart + (long) i * residentsEach;
        work.add(
            pool.submit(
                () -> {
                  long t0 = System.nanoTime();
                  Population population =
                      new PopulationGenerator(code, seed + residentId, today, cardIssuerKeyId)
                          .generate(residentsEach, householdId, residentId, 0.8);
                  long t1 = System.nanoTime();
                  registry.insert(population.households(), population.residents(), population.cardRecords());
                  return new Seeded(population, t1 - t0, System.nanoTime() - t1);
                }));
      }
      long residents = 0;
      long cards = 0;
      long generate = 0;
      long insert = 0;
      for (Future<Seeded> f : work) {
        Seeded s = f.get();
        appendFeeds(s.population());
        generate += s.generateNanos();
        insert += s.insertNanos();
        residents += s.population().residents().size();
        cards += s.population().cards().size();
      }
      return new Result(municipalityCodes, residents, cards, generate, insert);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("seeding interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof SQLException sql) {
        throw sql;
      }
      throw new IllegalStateException("seeding failed", e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  private record Seeded(Population population, long generateNanos, long insertNanos) {}

  private void ensureCatalog(String code, long seed) {
    Path file = catalogDir.resolve(code + ".yaml");
    if (Files.exists(file)) {
      return;
    }
    LocalGovernment g = LocalGovernmentCodes.bundled().find(code).orElseThrow();
    SplittableRandom random = new SplittableRandom(seed ^ code.hashCode());
    JapaneseNames names = JapaneseNames.bundled();
    String mayor =
        names.surnames().get(random.nextInt(names.surnames().size())).kanji() + "　"
            + names.maleGivenNames().get(random.nextInt(names.maleGivenNames().size())).kanji();
    // Store fees are often lower than at the counter: 200 yen is common, some cities charge 100.
    int fee = random.nextInt(5) == 0 ? 100 : 200;
    String office = g.type() == LocalGovernment.Type.WARD ? g.nameWithinPrefecture() : g.name();
    MunicipalityProfile profile =
        new MunicipalityProfile(
            new MunicipalityIdentity(code, g.prefecture(), g.nameWithinPrefecture(), office + "長", mayor),
            Map.of(
                CertificateType.RESIDENCE,
                new CertificateTerms(CertificateType.RESIDENCE, fee, 10, EnumSet.of(CertificateOption.HEAD_OF_HOUSEHOLD, CertificateOption.DOMICILE, CertificateOption.NATIONALITY, CertificateOption.RESIDENCE_STATUS, CertificateOption.RESIDENCE_CARD_NUMBER)),
                CertificateType.RESIDENCE_ITEMS,
                new CertificateTerms(CertificateType.RESIDENCE_ITEMS, fee, 10, EnumSet.of(CertificateOption.HEAD_OF_HOUSEHOLD, CertificateOption.DOMICILE))));
    try {
      Files.createDirectories(catalogDir);
      Files.writeString(file, MunicipalityCatalog.toYaml(profile), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void appendFeeds(Population population) {
    try {
      try (Writer w = appender(cardDirectoryFeed, CARD_DIRECTORY_HEADER)) {
        for (CardRecord c : population.cardRecords()) {
          w.write(c.card().issuerKeyId() + "," + c.card().serial() + "," + c.municipalityCode() + "," + c.usableFrom() + "\n");
        }
      }
      try (Writer w = appender(walletIndex, WALLET_HEADER)) {
        for (SeededCard c : population.cards()) {
          w.write(c.residentId() + "," + c.municipalityCode() + "," + c.card().issuerKeyId() + "," + c.card().serial() + "," + c.card().kind() + "," + c.pin() + "\n");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Writer appender(Path file, String header) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    boolean fresh = !Files.exists(file) || Files.size(file) == 0;
    Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    if (fresh) {
      w.write(header + "\n");
    }
    return w;
  }
}
