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
import java.util.Set;
import java.util.SplittableRandom;
import jp.kofu.issuer.catalog.CertificateTerms;
import jp.kofu.issuer.catalog.MunicipalityCatalog;
import jp.kofu.issuer.catalog.MunicipalityProfile;
import jp.kofu.issuer.catalog.ServiceHours;
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

  /**
   * The demo's second municipality, 山梨県甲府市: the 本籍地 of many of the demo's residents, so
   * that family-register certificates through 利用登録 can be shown.
   */
  public static final String DEMO_DOMICILE_MUNICIPALITY = "192015";

  public static final String CARD_DIRECTORY_HEADER = "issuer_key_id,serial,municipality_code,usable_from";
  public static final String WALLET_HEADER = "resident_id,municipality_code,issuer_key_id,serial,kind,pin";

  private final ResidentRegistry registry;
  private final RegistryWriter writer;
  private final Path catalogDir;
  private final Path cardDirectoryFeed;
  private final Path walletIndex;
  private final String cardIssuerKeyId;
  private Path specimenIndex;

  public Seeder(ResidentRegistry registry, Path catalogDir, Path cardDirectoryFeed, Path walletIndex, String cardIssuerKeyId) {
    this.registry = registry;
    this.writer = new RegistryWriter(registry.database());
    this.catalogDir = catalogDir;
    this.cardDirectoryFeed = cardDirectoryFeed;
    this.walletIndex = walletIndex;
    this.cardIssuerKeyId = cardIssuerKeyId;
  }

  /**
   * Also seed specimen residents (one for each refusal, and residents who can get everything) in
   * the first municipality of a run, and list them in {@code index} (CSV, {@link Specimen#CSV_HEADER}).
   */
  public Seeder withSpecimens(Path index) {
    this.specimenIndex = index;
    return this;
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
    if (count > 1) {
      out.add(DEMO_DOMICILE_MUNICIPALITY);
    }
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
    long residents = 0;
    long cards = 0;
    long generate = 0;
    long insert = 0;
    // Sequential: family registers and their members and events draw from id sequences whose
    // sizes are known only after generating a municipality.
    List<Specimen> specimens = new ArrayList<>();
    for (String code : municipalityCodes) {
      ensureCatalog(code, seed);
      Ids ids =
          new Ids(
              writer.nextId("household"), writer.nextId("resident"), writer.nextId("family_register"),
              writer.nextId("family_register_member"), writer.nextId("family_register_event"));
      boolean withSpecimens = specimenIndex != null && code.equals(municipalityCodes.get(0));
      long t0 = System.nanoTime();
      Population population =
          new PopulationGenerator(code, seed + ids.resident, today, cardIssuerKeyId)
              .servedMunicipalities(municipalityCodes)
              .generate(residentsEach, ids, 0.8, withSpecimens);
      long t1 = System.nanoTime();
      writer.insert(population.households(), population.residents(), population.cardRecords());
      writer.insertRecords(population.records());
      generate += t1 - t0;
      insert += System.nanoTime() - t1;
      appendFeeds(population);
      specimens.addAll(population.specimens());
      residents += population.residents().size();
      cards += population.cards().size();
    }
    if (specimenIndex != null && !specimens.isEmpty()) {
      try (Writer w = appender(specimenIndex, Specimen.CSV_HEADER)) {
        for (Specimen s : specimens) {
          w.write(s.csv() + "\n");
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return new Result(municipalityCodes, residents, cards, generate, insert);
  }

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
    // Store fees are often lower than at the counter: 200 yen is common, some cities charge 100;
    // family registers 350 (450 at the counter) or 450.
    int fee = random.nextInt(5) == 0 ? 100 : 200;
    int registerFee = random.nextInt(3) == 0 ? 450 : 350;
    String office = g.type() == LocalGovernment.Type.WARD ? g.nameWithinPrefecture() : g.name();
    Map<CertificateType, CertificateTerms> terms = new java.util.EnumMap<>(CertificateType.class);
    terms.put(CertificateType.RESIDENCE,
        new CertificateTerms(CertificateType.RESIDENCE, fee, 10, EnumSet.of(CertificateOption.HEAD_OF_HOUSEHOLD, CertificateOption.DOMICILE, CertificateOption.NATIONALITY, CertificateOption.RESIDENCE_STATUS, CertificateOption.RESIDENCE_CARD_NUMBER)));
    terms.put(CertificateType.RESIDENCE_ITEMS,
        new CertificateTerms(CertificateType.RESIDENCE_ITEMS, fee, 10, EnumSet.of(CertificateOption.HEAD_OF_HOUSEHOLD, CertificateOption.DOMICILE)));
    terms.put(CertificateType.SEAL_REGISTRATION, new CertificateTerms(CertificateType.SEAL_REGISTRATION, fee, 10, Set.of()));
    terms.put(CertificateType.FAMILY_REGISTER_FULL, new CertificateTerms(CertificateType.FAMILY_REGISTER_FULL, registerFee, 5, Set.of()));
    terms.put(CertificateType.FAMILY_REGISTER_INDIVIDUAL, new CertificateTerms(CertificateType.FAMILY_REGISTER_INDIVIDUAL, registerFee, 5, Set.of()));
    terms.put(CertificateType.FAMILY_REGISTER_ANNEX, new CertificateTerms(CertificateType.FAMILY_REGISTER_ANNEX, fee, 5, Set.of()));
    terms.put(CertificateType.INCOME_TAX, new CertificateTerms(CertificateType.INCOME_TAX, fee + 100, 5, Set.of()));
    // Some municipalities issue family registers only while their office is open; the demo's
    // two serve them all day, so that the demo shows them at any hour.
    boolean officeHoursOnly = !code.equals(DEMO_MUNICIPALITY) && !code.equals(DEMO_DOMICILE_MUNICIPALITY) && random.nextInt(4) == 0;
    MunicipalityProfile profile =
        new MunicipalityProfile(
            new MunicipalityIdentity(code, g.prefecture(), g.nameWithinPrefecture(), office + "長", mayor),
            terms,
            ServiceHours.DEFAULT.withFamilyRegisterOfficeHoursOnly(officeHoursOnly));
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
