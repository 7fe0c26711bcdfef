package jp.kofu.gateway.issuance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import jp.kofu.testing.FakeClock;
import jp.kofu.gateway.auth.Hmac;
import jp.kofu.gateway.auth.SessionClaims;
import jp.kofu.gateway.auth.TerminalIdentity;
import jp.kofu.gateway.error.KofuException;
import jp.kofu.gateway.journal.EventKind;
import jp.kofu.gateway.journal.Issuance;
import jp.kofu.gateway.journal.IssuanceJournal;
import jp.kofu.gateway.journal.IssuanceState;
import jp.kofu.gateway.journal.JournalAudit;
import jp.kofu.gateway.journal.JournalEvent;
import jp.kofu.gateway.routing.Municipality;
import jp.kofu.gateway.routing.MunicipalityRouter;
import jp.kofu.issuer.reference.LocalGovernmentCodes;
import jp.kofu.issuer.spi.CardQuery;
import jp.kofu.issuer.spi.CardRef;
import jp.kofu.issuer.spi.CertificateRequest;
import jp.kofu.issuer.spi.CertificateType;
import jp.kofu.issuer.spi.IssuanceRefusedException;
import jp.kofu.issuer.spi.IssueCommand;
import jp.kofu.issuer.spi.IssuedDocument;
import jp.kofu.issuer.spi.IssuerAdapter;
import jp.kofu.issuer.spi.MunicipalityOfferings;
import jp.kofu.issuer.spi.OfferingsQuery;
import jp.kofu.issuer.spi.RefusalReason;
import jp.kofu.issuer.spi.ResidentRef;
import jp.kofu.pki.TrustWorld;
import jp.kofu.proto.type.v1.Reason;
import jp.kofu.storage.Database;
import jp.kofu.storage.Databases;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What the issuance flow journals when the municipality misbehaves — a document that is not the
 * one asked for, a refusal, a failure — on both databases. (The happy path, with real signed
 * documents, is IssuanceOverTlsTest's and JournalOverTlsTest's.)
 */
class IssuanceServiceJournalTest {
  static final String CODE = "131016";
  static final TrustWorld PKI = TrustWorld.generate();
  static final byte[] SECRET = "issuance service journal test secret, 32+ bytes".getBytes(StandardCharsets.US_ASCII);

  /** An adapter that does what the test says. */
  static final class Scripted implements IssuerAdapter {
    final AtomicReference<Object> next = new AtomicReference<>();

    @Override
    public Set<String> municipalityCodes() {
      return Set.of(CODE);
    }

    @Override
    public ResidentRef resolveCard(CardQuery query) {
      return new ResidentRef("resident-1", null);
    }

    @Override
    public MunicipalityOfferings offerings(OfferingsQuery query) {
      return new MunicipalityOfferings("千代田区", List.of());
    }

    @Override
    public IssuedDocument issue(IssueCommand command) throws IssuanceRefusedException {
      Object n = next.get();
      if (n instanceof IssuanceRefusedException e) {
        throw e;
      }
      if (n instanceof RuntimeException e) {
        throw e;
      }
      return (IssuedDocument) n;
    }
  }

  record World(Database db, IssuanceJournal journal, IssuanceService service, Scripted adapter, SessionClaims session)
      implements AutoCloseable {
    @Override
    public void close() {
      db.close();
    }
  }

  static World world(Databases.Kind kind) {
    Database db = Databases.fresh(kind, IssuanceJournal.MIGRATIONS);
    IssuanceJournal journal = new IssuanceJournal(db, IssuanceJournal.chainKey(SECRET));
    Scripted adapter = new Scripted();
    FakeClock clock = new FakeClock(Instant.parse("2025-06-02T01:00:00Z"));
    MunicipalityRouter router =
        new MunicipalityRouter(LocalGovernmentCodes.bundled(), Map.of(CODE, new Municipality(CODE, adapter, Duration.ofSeconds(5), 4)));
    IssuanceService service =
        new IssuanceService(
            clock, router, journal, new Hmac(SECRET, "journal-card"), new DocumentCheck(List.of(PKI.municipalCa().certificate()), clock),
            Duration.ofSeconds(30));
    SessionClaims session =
        new SessionClaims(
            "0123456789abcdef0123456789abcdef",
            new TerminalIdentity("seven", "store-9", "t-1"),
            new CardRef("1a2b3c", "ab".repeat(32), CardRef.CredentialKind.CARD),
            CODE,
            clock.instant().plusSeconds(900));
    return new World(db, journal, service, adapter, session);
  }

  static Order order() {
    return new Order(UUID.randomUUID().toString(), CODE, CertificateRequest.of(CertificateType.RESIDENCE));
  }

  @ParameterizedTest
  @EnumSource(Databases.Kind.class)
  void aDocumentThatFailsTheBindingCheckNeverLeavesAndTheFailureIsJournaled(Databases.Kind kind) {
    try (World w = world(kind)) {
      byte[] forged = "%PDF-1.7 not the document that was asked for".getBytes(StandardCharsets.US_ASCII);
      w.adapter.next.set(new IssuedDocument(forged, 1, 300, null));
      Order order = order();
      assertThatThrownBy(() -> w.service.issue(w.session, order))
          .isInstanceOfSatisfying(KofuException.class, e -> assertThat(e.reason()).isEqualTo(Reason.DOCUMENT_BINDING_MISMATCH));
      Issuance r = w.journal.findByOrder(order.orderId()).orElseThrow();
      assertThat(r.state()).isEqualTo(IssuanceState.REFUSED);
      assertThat(r.refusalReason()).isEqualTo("DOCUMENT_BINDING_MISMATCH");
      assertThat(r.feeYen()).isNull();
      assertThat(w.journal.document(r.issuanceId())).isEmpty();
      List<JournalEvent> events = w.journal.events(r.issuanceId());
      assertThat(events).extracting(JournalEvent::kind).containsExactly(EventKind.ORDERED, EventKind.BINDING_CHECK_FAILED, EventKind.REFUSED);
      assertThat(events.get(1).fields()).containsKey("problem").containsKey("document_sha256");
      assertThat(new JournalAudit(w.journal).verify(null).findings()).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(Databases.Kind.class)
  void aRefusalIsJournaledWithItsTrueReasonWhileTheCopierSeesTheCatchAll(Databases.Kind kind) {
    try (World w = world(kind)) {
      w.adapter.next.set(new IssuanceRefusedException(RefusalReason.SUPPORT_MEASURE));
      Order order = order();
      assertThatThrownBy(() -> w.service.issue(w.session, order))
          .isInstanceOfSatisfying(KofuException.class, e -> assertThat(e.reason()).isEqualTo(Reason.NOT_ISSUABLE));
      Issuance r = w.journal.findByOrder(order.orderId()).orElseThrow();
      assertThat(r.refusalReason()).isEqualTo("SUPPORT_MEASURE");
      assertThat(w.journal.events(r.issuanceId())).extracting(JournalEvent::kind).containsExactly(EventKind.ORDERED, EventKind.REFUSED);
    }
  }

  @ParameterizedTest
  @EnumSource(Databases.Kind.class)
  void aFailingMunicipalityReleasesTheOrderAndARetryTakesItOver(Databases.Kind kind) {
    try (World w = world(kind)) {
      w.adapter.next.set(new IllegalStateException("municipality server down"));
      Order order = order();
      assertThatThrownBy(() -> w.service.issue(w.session, order))
          .isInstanceOfSatisfying(KofuException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MUNICIPALITY_UNAVAILABLE));
      Issuance released = w.journal.findByOrder(order.orderId()).orElseThrow();
      assertThat(released.state()).isEqualTo(IssuanceState.ORDERED);
      assertThat(released.attemptId()).isNull();
      w.adapter.next.set(new IssuanceRefusedException(RefusalReason.OUT_OF_SERVICE_HOURS));
      assertThatThrownBy(() -> w.service.issue(w.session, order))
          .isInstanceOfSatisfying(KofuException.class, e -> assertThat(e.reason()).isEqualTo(Reason.OUT_OF_SERVICE_HOURS));
      assertThat(w.journal.events(released.issuanceId()))
          .extracting(JournalEvent::kind)
          .containsExactly(EventKind.ORDERED, EventKind.REFUSED);
      assertThat(new JournalAudit(w.journal).verify(null).findings()).isEmpty();
    }
  }
}
