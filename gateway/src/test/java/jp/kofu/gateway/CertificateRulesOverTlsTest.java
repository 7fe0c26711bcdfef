package jp.kofu.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.UUID;
import jp.kofu.gateway.journal.Issuance;
import jp.kofu.issuer.JapanTime;
import jp.kofu.issuer.seed.Seeder;
import jp.kofu.issuer.seed.Specimen;
import jp.kofu.proto.ProtoEnums;
import jp.kofu.proto.kiosk.v1.ListOfferingsResponse;
import jp.kofu.proto.kiosk.v1.MunicipalityOfferings;
import jp.kofu.proto.type.v1.CertificateOption;
import jp.kofu.proto.type.v1.CertificateRequest;
import jp.kofu.proto.type.v1.CertificateType;
import jp.kofu.proto.type.v1.Reason;
import jp.kofu.sim.card.CardWallet;
import jp.kofu.sim.copier.Copier;
import jp.kofu.sim.copier.ReceivedDocument;
import jp.kofu.testing.FakeClock;
import jp.kofu.testing.WholeWorld;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every refusal a store gives, end to end over real TLS sockets: a simulated copier asks for the
 * specimen resident's certificate and gets the documented status and reason; the support measure
 * is hidden from the copier and kept in the journal; hours follow the injected clock.
 */
@WholeWorld
class CertificateRulesOverTlsTest {
  static final FakeClock clock = FakeClock.inServiceHours();
  @RegisterExtension static final KofuWorld world = KofuWorld.embedded().clock(clock).residentsEach(30);
  static Copier copier;

  @BeforeAll
  static void start() {
    copier = world.copier("rules-1");
  }

  /** The refusal as the copier sees it: status, reason, ErrorInfo metadata, and the order id used. */
  record Refusal(Status.Code code, Reason reason, Map<String, String> metadata, String orderId) {}

  static Refusal ask(Specimen s, CertificateRequest request) throws Exception {
    CardWallet.Entry entry = world.wallet().entry(s.residentId()).orElseThrow();
    String order = UUID.randomUUID().toString();
    StatusRuntimeException e =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () -> {
              ByteString token = copier.authenticate(copier.openSession(), world.wallet().card(s.residentId()), entry.pin()).getSessionToken();
              try {
                copier.issue(token, order, s.municipalityCode(), request);
              } finally {
                copier.closeSession(token);
              }
            });
    assertThat(e).as("a refusal for " + s).isNotNull();
    return new Refusal(e.getStatus().getCode(), jp.kofu.gateway.error.KofuException.reasonOf(e), metadata(e), order);
  }

  static Map<String, String> metadata(StatusRuntimeException e) throws Exception {
    for (Any detail : StatusProto.fromThrowable(e).getDetailsList()) {
      if (detail.is(ErrorInfo.class)) {
        return detail.unpack(ErrorInfo.class).getMetadataMap();
      }
    }
    return Map.of();
  }

  static CertificateRequest request(CertificateType type) {
    return CertificateRequest.newBuilder().setType(type).setCopies(1).build();
  }

  static CertificateType type(Specimen s) {
    return ProtoEnums.toProto(CertificateType.class, s.type());
  }

  @Test
  void eachRefusalCarriesItsOwnReasonAndStatus() throws Exception {
    for (String reason :
        new String[] {
          "UNDER_AGE", "MOVED_OUT", "DECEASED", "NO_SEAL_REGISTRATION", "MOVED_IN_TODAY", "GAIJI_PENDING",
          "FAMILY_REGISTER_NOTICE_PENDING", "NO_TAX_FILING", "DOMICILE_NOT_REGISTERED", "DATA_TOO_LONG"
        }) {
      for (Specimen s : world.specimens()) {
        if (!s.reason().equals(reason)) {
          continue;
        }
        Refusal r = ask(s, request(type(s)));
        assertThat(r.code()).as(s.note()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(r.reason()).as(s.note()).isEqualTo(Reason.valueOf(reason));
        assertThat(world.gateway().journal().findByOrder(r.orderId()).orElseThrow().refusalReason()).isEqualTo(reason);
      }
    }
  }

  @Test
  void optionsAndYearsNotOfferedAreRefused() throws Exception {
    Specimen all = world.specimen(Specimen.ISSUABLE, "本籍 here");
    Refusal option = ask(all, request(CertificateType.CERTIFICATE_TYPE_RESIDENCE).toBuilder().addOptions(CertificateOption.CERTIFICATE_OPTION_MY_NUMBER).build());
    assertThat(option.reason()).isEqualTo(Reason.OPTION_NOT_OFFERED);
    int lastYear = JapanTime.date(clock.instant()).getYear() - (JapanTime.date(clock.instant()).getMonthValue() >= 6 ? 1 : 2);
    Refusal year = ask(all, request(CertificateType.CERTIFICATE_TYPE_INCOME_TAX).toBuilder().setFiscalYear(lastYear).build());
    assertThat(year.code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(year.reason()).isEqualTo(Reason.FISCAL_YEAR_NOT_OFFERED);
    assertThat(year.metadata()).containsEntry("field", "fiscal_year");
  }

  @Test
  void aCardNotYetUsableIsRefusedAtAuthentication() throws Exception {
    Specimen s = world.specimen("CARD_NOT_REGISTERED", null);
    Refusal r = ask(s, request(CertificateType.CERTIFICATE_TYPE_RESIDENCE));
    assertThat(r.code()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(r.reason()).isEqualTo(Reason.CARD_NOT_REGISTERED);
  }

  @Test
  void aSupportMeasureIsHiddenFromTheCopierAndKeptInTheJournal() throws Exception {
    Specimen s = world.specimen("SUPPORT_MEASURE", null);
    Refusal r = ask(s, request(CertificateType.CERTIFICATE_TYPE_RESIDENCE));
    assertThat(r.code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(r.reason()).isEqualTo(Reason.NOT_ISSUABLE);
    assertThat(r.metadata()).doesNotContainValue("SUPPORT_MEASURE").containsOnlyKeys("municipality_code");
    Issuance journaled = world.gateway().journal().findByOrder(r.orderId()).orElseThrow();
    assertThat(journaled.refusalReason()).isEqualTo("SUPPORT_MEASURE");
    // ListOfferings says no more than NOT_ISSUABLE either.
    CardWallet.Entry entry = world.wallet().entry(s.residentId()).orElseThrow();
    ByteString token = copier.authenticate(copier.openSession(), world.wallet().card(s.residentId()), entry.pin()).getSessionToken();
    ListOfferingsResponse offerings = copier.offerings(token);
    copier.closeSession(token);
    assertThat(offerings.toString()).doesNotContain("SUPPORT_MEASURE");
    assertThat(offerings.getMunicipalities(0).getOfferingsList())
        .isNotEmpty()
        .allSatisfy(o -> assertThat(o.getUnavailableReason()).isEqualTo(Reason.NOT_ISSUABLE));
  }

  @Test
  void theDomicileWithoutUseRegistrationIsListedAsSuch() throws Exception {
    Specimen s = world.specimen("DOMICILE_NOT_REGISTERED", "no ");
    CardWallet.Entry entry = world.wallet().entry(s.residentId()).orElseThrow();
    ByteString token = copier.authenticate(copier.openSession(), world.wallet().card(s.residentId()), entry.pin()).getSessionToken();
    ListOfferingsResponse offerings = copier.offerings(token);
    copier.closeSession(token);
    MunicipalityOfferings domicile =
        offerings.getMunicipalitiesList().stream()
            .filter(m -> m.getMunicipalityCode().equals(Seeder.DEMO_DOMICILE_MUNICIPALITY))
            .findFirst()
            .orElseThrow();
    assertThat(domicile.getUnavailableReason()).isEqualTo(Reason.DOMICILE_NOT_REGISTERED);
  }

  @Test
  void outsideServiceHoursTheCopierLearnsTheNextOpening() throws Exception {
    Instant morning = clock.instant();
    LocalDate day = JapanTime.date(morning);
    clock.set(day.atTime(23, 30).atZone(JapanTime.ZONE).toInstant());
    try {
      Specimen all = world.specimen(Specimen.ISSUABLE, "本籍 here");
      Refusal r = ask(all, request(CertificateType.CERTIFICATE_TYPE_RESIDENCE));
      assertThat(r.code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
      assertThat(r.reason()).isEqualTo(Reason.OUT_OF_SERVICE_HOURS);
      String expected = day.plusDays(1).atTime(6, 30).atZone(JapanTime.ZONE).toOffsetDateTime().toString();
      if (jp.kofu.issuer.calendar.BusinessDays.isYearEndClosure(day.plusDays(1))) {
        return; // the next opening is after the closure; the adapter test covers it
      }
      assertThat(r.metadata()).containsEntry("next_open", expected);
    } finally {
      clock.set(morning);
    }
  }

  @Test
  void theIssuableSpecimenGetsEveryTypeWithAVerificationCode() throws Exception {
    Specimen all = world.specimen(Specimen.ISSUABLE, "本籍 here");
    CardWallet.Entry entry = world.wallet().entry(all.residentId()).orElseThrow();
    for (CertificateType type : new CertificateType[] {
        CertificateType.CERTIFICATE_TYPE_RESIDENCE, CertificateType.CERTIFICATE_TYPE_RESIDENCE_ITEMS, CertificateType.CERTIFICATE_TYPE_SEAL_REGISTRATION,
        CertificateType.CERTIFICATE_TYPE_FAMILY_REGISTER_FULL, CertificateType.CERTIFICATE_TYPE_FAMILY_REGISTER_INDIVIDUAL, CertificateType.CERTIFICATE_TYPE_FAMILY_REGISTER_ANNEX,
        CertificateType.CERTIFICATE_TYPE_INCOME_TAX}) {
      Copier.Outcome outcome = copier.issueOnce(world.wallet().card(all.residentId()), entry.pin(), Seeder.DEMO_MUNICIPALITY, request(type));
      ReceivedDocument doc = outcome.document();
      assertThat(doc.header().getCertificateType()).isEqualTo(type);
      assertThat(doc.header().getVerificationCode()).matches("[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}");
      assertThat(world.gateway().journal().find(doc.header().getIssuanceId()).orElseThrow().verificationCode())
          .isEqualTo(doc.header().getVerificationCode());
    }
    // Through the 利用登録 at the 本籍地.
    Specimen viaUse = world.specimen(Specimen.ISSUABLE, "利用登録");
    CardWallet.Entry e2 = world.wallet().entry(viaUse.residentId()).orElseThrow();
    Copier.Outcome koseki =
        copier.issueOnce(world.wallet().card(viaUse.residentId()), e2.pin(), Seeder.DEMO_DOMICILE_MUNICIPALITY, request(CertificateType.CERTIFICATE_TYPE_FAMILY_REGISTER_FULL));
    assertThat(koseki.verified().municipalityCode()).isEqualTo(Seeder.DEMO_DOMICILE_MUNICIPALITY);
    assertThat(clock.instant()).isBefore(Instant.now().plus(Duration.ofMinutes(1)));
  }
}
