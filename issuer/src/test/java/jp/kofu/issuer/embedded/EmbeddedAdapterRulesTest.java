package jp.kofu.issuer.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import jp.kofu.issuer.JapanTime;
import jp.kofu.issuer.catalog.MunicipalityCatalog;
import jp.kofu.issuer.catalog.MunicipalityProfile;
import jp.kofu.issuer.catalog.ServiceHours;
import jp.kofu.issuer.document.SignedDocuments;
import jp.kofu.issuer.document.VerificationLink;
import jp.kofu.issuer.document.VerifiedDocument;
import jp.kofu.issuer.registry.Resident;
import jp.kofu.issuer.seed.SeededRegistry;
import jp.kofu.issuer.seed.Seeder;
import jp.kofu.issuer.seed.Specimen;
import jp.kofu.issuer.spi.CardQuery;
import jp.kofu.issuer.spi.CardRef;
import jp.kofu.issuer.spi.CertificateOption;
import jp.kofu.issuer.spi.CertificateRequest;
import jp.kofu.issuer.spi.CertificateType;
import jp.kofu.issuer.spi.HouseholdScope;
import jp.kofu.issuer.spi.IssuanceRefusedException;
import jp.kofu.issuer.spi.IssueCommand;
import jp.kofu.issuer.spi.IssuedDocument;
import jp.kofu.issuer.spi.Offering;
import jp.kofu.issuer.spi.OfferingsQuery;
import jp.kofu.issuer.spi.RefusalReason;
import jp.kofu.issuer.spi.Relation;
import jp.kofu.issuer.spi.ResidentRef;
import jp.kofu.pki.TrustWorld;
import jp.kofu.storage.Databases;
import jp.kofu.testing.PdfText;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The embedded adapter against a seeded registry: every specimen gets its own refusal, the
 * issuable ones get every type, signed; hours are judged on the instant given, never on a sleep.
 */
class EmbeddedAdapterRulesTest {
  static final LocalDate TODAY = LocalDate.of(2026, 11, 26);
  /** Thursday 26 November 2026, 10:00 in Japan. */
  static final Instant MORNING = LocalDateTime.of(2026, 11, 26, 10, 0).atZone(JapanTime.ZONE).toInstant();

  static SeededRegistry seeded;
  static TrustWorld pki;
  static EmbeddedIssuerAdapter adapter;

  @BeforeAll
  static void start() {
    seeded = SeededRegistry.seed(Databases.Kind.H2, TODAY);
    pki = TrustWorld.generate(Clock.fixed(MORNING.minusSeconds(86_400), ZoneOffset.UTC));
    adapter = adapterWith(MunicipalityCatalog.load(seeded.catalogDir()));
  }

  static EmbeddedIssuerAdapter adapterWith(MunicipalityCatalog catalog) {
    Clock clock = Clock.fixed(MORNING, ZoneOffset.UTC);
    return new EmbeddedIssuerAdapter(seeded.registry, catalog, pki::municipalSigner,
        new jp.kofu.issuer.document.PadesSigner(clock, new jp.kofu.issuer.timestamp.TimeStampAuthority(pki.timestampingUnit(), clock)),
        VerificationLink.defaults(), () -> {}, catalog.codes());
  }

  @AfterAll
  static void stop() {
    seeded.close();
  }

  /** Resolves the specimen's card and issues {@code request} at {@code at}. */
  static IssuedDocument issue(EmbeddedIssuerAdapter a, Specimen s, CertificateRequest request, Instant at)
      throws IssuanceRefusedException {
    CardRef card = card(s.residentId());
    Relation relation = s.municipalityCode().equals(Seeder.DEMO_MUNICIPALITY) ? Relation.ADDRESS : Relation.FAMILY_REGISTER;
    ResidentRef ref = a.resolveCard(new CardQuery(s.municipalityCode(), card, relation, at));
    return a.issue(
        new IssueCommand(s.municipalityCode(), ref.residentHandle(), card, relation, request, "01KOFUTESTISSUANCE00000001",
            new byte[32], at, VerificationLink.newCode()));
  }

  static RefusalReason refusal(Specimen s, CertificateRequest request, Instant at) {
    IssuanceRefusedException e = catchThrowableOfType(IssuanceRefusedException.class, () -> issue(adapter, s, request, at));
    assertThat(e).as("refusal of " + s).isNotNull();
    return e.reason();
  }

  static CardRef card(long residentId) {
    try {
      for (String line : Files.readAllLines(seeded.dir.resolve("cards.csv"))) {
        String[] f = line.split(",");
        if (f[0].equals(Long.toString(residentId))) {
          return new CardRef(f[3], f[2], CardRef.CredentialKind.valueOf(f[4]));
        }
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    throw new AssertionError("no card for " + residentId);
  }

  @Test
  void everySpecimenIsRefusedForItsOwnReason() {
    for (Specimen s : seeded.specimens) {
      CertificateRequest request = CertificateRequest.of(s.type());
      Instant at = MORNING;
      switch (s.reason()) {
        case Specimen.ISSUABLE -> {
          continue;
        }
        case "OUT_OF_SERVICE_HOURS" -> at = LocalDateTime.of(2026, 11, 26, 23, 30).atZone(JapanTime.ZONE).toInstant();
        case "OPTION_NOT_OFFERED" ->
            request = new CertificateRequest(s.type(), Set.of(CertificateOption.MY_NUMBER), HouseholdScope.SELF, List.of(), 1, 0);
        case "FISCAL_YEAR_NOT_OFFERED" ->
            request = new CertificateRequest(s.type(), Set.of(), HouseholdScope.SELF, List.of(), 1, 2025);
        default -> {}
      }
      RefusalReason reason;
      if (s.reason().equals("DOMICILE_NOT_REGISTERED") || s.reason().equals("CARD_NOT_REGISTERED")) {
        Instant when = at;
        Relation relation = s.reason().equals("CARD_NOT_REGISTERED") ? Relation.ADDRESS : Relation.FAMILY_REGISTER;
        IssuanceRefusedException e = catchThrowableOfType(IssuanceRefusedException.class,
            () -> adapter.resolveCard(new CardQuery(s.municipalityCode(), card(s.residentId()), relation, when)));
        assertThat(e).as(s.toString()).isNotNull();
        reason = e.reason();
      } else {
        reason = refusal(s, request, at);
      }
      assertThat(reason.name()).as(s.note()).isEqualTo(s.reason());
    }
  }

  @Test
  void theIssuableSpecimenGetsEveryTypeSignedAndNamingThemOnly() throws Exception {
    Specimen all = seeded.specimen(Specimen.ISSUABLE, "本籍 here");
    Resident holder = seeded.registry.resident(all.residentId()).orElseThrow();
    for (CertificateType type : CertificateType.values()) {
      IssuedDocument doc = issue(adapter, all, CertificateRequest.of(type), MORNING);
      VerifiedDocument verified = SignedDocuments.verify(doc.pdf(), List.of(pki.municipalCa().certificate()), MORNING);
      assertThat(verified.certificateType()).isEqualTo(type);
      assertThat(verified.timestampTime()).as("PAdES B-T").isEqualTo(MORNING);
      assertThat(verified.municipalityCode()).isEqualTo(Seeder.DEMO_MUNICIPALITY);
      assertThat(doc.verificationCode()).isNotNull();
      String text = PdfText.normalized(doc.pdf());
      assertThat(text).as(type.name()).contains(holder.givenName());
    }
    // Through 利用登録 at the 本籍地 甲府市.
    Specimen viaUse = seeded.specimen(Specimen.ISSUABLE, "利用登録");
    IssuedDocument koseki = issue(adapter, viaUse, CertificateRequest.of(CertificateType.FAMILY_REGISTER_FULL), MORNING);
    VerifiedDocument verified = SignedDocuments.verify(koseki.pdf(), List.of(pki.municipalCa().certificate()), MORNING);
    assertThat(verified.municipalityCode()).isEqualTo(Seeder.DEMO_DOMICILE_MUNICIPALITY);
    assertThat(PdfText.normalized(koseki.pdf())).contains(seeded.registry.resident(viaUse.residentId()).orElseThrow().givenName());
  }

  @Test
  void aCancelledSealRegistrationIsRefusedAtTheVeryNextRequest() throws Exception {
    Specimen s = seeded.specimen(Specimen.ISSUABLE, "本籍 here");
    var seal = seeded.registry.latestSealRegistration(s.residentId()).orElseThrow();
    issue(adapter, s, CertificateRequest.of(CertificateType.SEAL_REGISTRATION), MORNING);
    try (var db = seeded.db.connection(); var st = db.prepareStatement(
        "UPDATE seal_registration SET cancelled_on = ? WHERE municipality_code = ? AND registration_number = ?")) {
      st.setDate(1, java.sql.Date.valueOf(TODAY));
      st.setString(2, seal.municipalityCode());
      st.setString(3, seal.registrationNumber());
      st.executeUpdate();
      assertThat(refusal(s, CertificateRequest.of(CertificateType.SEAL_REGISTRATION), MORNING)).isEqualTo(RefusalReason.NO_SEAL_REGISTRATION);
      st.setNull(1, java.sql.Types.DATE);
      st.executeUpdate();
    }
  }

  @Test
  void aUseRegistrationFiledTodayWorksFiveBusinessDaysLater() throws Exception {
    Specimen s = seeded.specimen("DOMICILE_NOT_REGISTERED", "today");
    Instant thursdayAfter = LocalDateTime.of(2026, 12, 3, 10, 0).atZone(JapanTime.ZONE).toInstant();
    Instant wednesday = LocalDateTime.of(2026, 12, 2, 22, 0).atZone(JapanTime.ZONE).toInstant();
    IssuanceRefusedException early = catchThrowableOfType(IssuanceRefusedException.class,
        () -> adapter.resolveCard(new CardQuery(s.municipalityCode(), card(s.residentId()), Relation.FAMILY_REGISTER, wednesday)));
    assertThat(early.reason()).isEqualTo(RefusalReason.DOMICILE_NOT_REGISTERED);
    assertThat(early.details()).containsEntry("effective_on", "2026-12-03");
    assertThat(issue(adapter, s, CertificateRequest.of(CertificateType.FAMILY_REGISTER_INDIVIDUAL), thursdayAfter).pageCount()).isPositive();
  }

  @Test
  void hoursAreJudgedPerTypeWithTheNextOpening() throws Exception {
    MunicipalityProfile chiyoda = MunicipalityCatalog.load(seeded.catalogDir()).find(Seeder.DEMO_MUNICIPALITY).orElseThrow();
    ServiceHours hours =
        chiyoda.hours()
            .withFamilyRegisterOfficeHoursOnly(true)
            .withMaintenance(List.of(new ServiceHours.Maintenance(LocalDateTime.of(2026, 11, 27, 9, 0), LocalDateTime.of(2026, 11, 27, 12, 0))));
    List<MunicipalityProfile> profiles = MunicipalityCatalog.load(seeded.catalogDir()).all().stream()
        .map(p -> p.code().equals(Seeder.DEMO_MUNICIPALITY) ? new MunicipalityProfile(p.identity(), p.certificates(), hours) : p)
        .toList();
    EmbeddedIssuerAdapter restricted = adapterWith(MunicipalityCatalog.of(profiles));
    Specimen s = seeded.specimen(Specimen.ISSUABLE, "本籍 here");

    // Thursday 18:00: residence certificates yes, 戸籍 no (office hours end 17:15) until Friday 08:30.
    Instant evening = at(2026, 11, 26, 18, 0);
    assertThat(issue(restricted, s, CertificateRequest.of(CertificateType.RESIDENCE), evening).pageCount()).isPositive();
    IssuanceRefusedException e = catchThrowableOfType(IssuanceRefusedException.class,
        () -> issue(restricted, s, CertificateRequest.of(CertificateType.FAMILY_REGISTER_FULL), evening));
    assertThat(e.reason()).isEqualTo(RefusalReason.OUT_OF_SERVICE_HOURS);
    assertThat(e.details()).containsEntry("next_open", "2026-11-27T08:30+09:00");
    // Friday 10:00 falls in the maintenance window: nothing until 12:00.
    e = catchThrowableOfType(IssuanceRefusedException.class,
        () -> issue(restricted, s, CertificateRequest.of(CertificateType.RESIDENCE), at(2026, 11, 27, 10, 0)));
    assertThat(e.details()).containsEntry("next_open", "2026-11-27T12:00+09:00");
    // 30 December: 年末年始, open again on 4 January at 6:30 (戸籍: 8:30).
    e = catchThrowableOfType(IssuanceRefusedException.class,
        () -> issue(restricted, s, CertificateRequest.of(CertificateType.RESIDENCE), at(2026, 12, 30, 12, 0)));
    assertThat(e.details()).containsEntry("next_open", "2027-01-04T06:30+09:00");
    e = catchThrowableOfType(IssuanceRefusedException.class,
        () -> issue(restricted, s, CertificateRequest.of(CertificateType.FAMILY_REGISTER_INDIVIDUAL), at(2026, 12, 30, 12, 0)));
    assertThat(e.details()).containsEntry("next_open", "2027-01-04T08:30+09:00");
    // Offerings say the same, per type.
    ResidentRef ref = restricted.resolveCard(new CardQuery(Seeder.DEMO_MUNICIPALITY, card(s.residentId()), Relation.ADDRESS, evening));
    List<Offering> offerings =
        restricted.offerings(new OfferingsQuery(Seeder.DEMO_MUNICIPALITY, ref.residentHandle(), Relation.ADDRESS, evening)).offerings();
    assertThat(offerings).filteredOn(o -> o.type() == CertificateType.RESIDENCE).singleElement().satisfies(o -> assertThat(o.available()).isTrue());
    assertThat(offerings).filteredOn(o -> o.type().isFamilyRegister()).isNotEmpty()
        .allSatisfy(o -> assertThat(o.unavailableReason()).isEqualTo(RefusalReason.OUT_OF_SERVICE_HOURS));
  }

  @Test
  void theSupportMeasureIsShownToTheCopierAsNotIssuable() throws Exception {
    Specimen s = seeded.specimen("SUPPORT_MEASURE", null);
    ResidentRef ref = adapter.resolveCard(new CardQuery(Seeder.DEMO_MUNICIPALITY, card(s.residentId()), Relation.ADDRESS, MORNING));
    List<Offering> offerings =
        adapter.offerings(new OfferingsQuery(Seeder.DEMO_MUNICIPALITY, ref.residentHandle(), Relation.ADDRESS, MORNING)).offerings();
    assertThat(offerings).isNotEmpty().allSatisfy(o -> assertThat(o.unavailableReason()).isEqualTo(RefusalReason.NOT_ISSUABLE));
    assertThat(refusal(s, CertificateRequest.of(CertificateType.RESIDENCE), MORNING)).isEqualTo(RefusalReason.SUPPORT_MEASURE);
  }

  static Instant at(int y, int mo, int d, int h, int mi) {
    return LocalDateTime.of(y, mo, d, h, mi).atZone(JapanTime.ZONE).toInstant();
  }
}
