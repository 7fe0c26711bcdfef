package jp.kofu.gateway;

import static jp.kofu.testing.Refusals.refusal;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import jp.kofu.gateway.error.KofuException;
import jp.kofu.gateway.journal.EventKind;
import jp.kofu.gateway.journal.Issuance;
import jp.kofu.gateway.journal.IssuanceJournal;
import jp.kofu.gateway.journal.IssuanceState;
import jp.kofu.gateway.journal.JournalAudit;
import jp.kofu.gateway.journal.JournalEvent;
import jp.kofu.gateway.journal.Reconciler;
import jp.kofu.gateway.journal.VoidReason;
import jp.kofu.gateway.settlement.DailySettlement;
import jp.kofu.issuer.JapanTime;
import jp.kofu.issuer.document.DocumentBinding;
import jp.kofu.pki.X509;
import jp.kofu.proto.kiosk.v1.ConfirmDeliveryResponse;
import jp.kofu.proto.kiosk.v1.IssueRequest;
import jp.kofu.proto.kiosk.v1.IssueResponse;
import jp.kofu.proto.type.v1.CertificateRequest;
import jp.kofu.proto.type.v1.CertificateType;
import jp.kofu.proto.type.v1.Reason;
import jp.kofu.sim.card.CardWallet;
import jp.kofu.sim.card.SimulatedCard;
import jp.kofu.sim.copier.Copier;
import jp.kofu.sim.copier.ReceivedDocument;
import jp.kofu.testing.FakeClock;
import jp.kofu.testing.WholeWorld;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The journal seen from the wire (real gRPC over TLS): what an issuance leaves in it, that it is
 * there before the copier hears of it, and what reconciliation does with an issuance nobody
 * confirms. The clock is moved by hand; the last test moves it past the confirmation timeout.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@WholeWorld
class JournalOverTlsTest {
  static final FakeClock clock = FakeClock.inServiceHours();
  @RegisterExtension static final KofuWorld world = KofuWorld.embedded().clock(clock);
  static IssuanceJournal journal;

  @BeforeAll
  static void start() {
    journal = world.gateway().journal();
  }

  static CertificateRequest residence(int copies) {
    return CertificateRequest.newBuilder().setType(CertificateType.CERTIFICATE_TYPE_RESIDENCE).setCopies(copies).build();
  }

  @Test
  @Order(1)
  void anIssuanceLeavesItsWholeStoryInTheJournalAndNoPersonalData() throws Exception {
    CardWallet.Entry entry = world.eligibleCards(1).get(0);
    SimulatedCard card = world.wallet().card(entry.residentId());
    Copier.Outcome outcome = world.copier("journal-1").issueOnce(card, entry.pin(), entry.municipalityCode(), residence(1));

    Issuance r = journal.findByOrder(outcome.orderId()).orElseThrow();
    assertThat(r.state()).isEqualTo(IssuanceState.DELIVERED);
    assertThat(List.of(r.order().storeChain(), r.order().store(), r.order().terminal())).containsExactly("test-chain", "store-1", "journal-1");
    assertThat(r.order().municipalityCode()).isEqualTo(entry.municipalityCode());
    assertThat(r.order().certificateType()).isEqualTo(jp.kofu.issuer.spi.CertificateType.RESIDENCE);
    assertThat(r.order().copies()).isEqualTo(1);
    assertThat(r.feeYen()).isEqualTo(outcome.document().header().getFeeYen()).isPositive();
    assertThat(r.issuanceId()).isEqualTo(outcome.document().header().getIssuanceId());
    assertThat(r.documentSha256().isSha256Of(outcome.document().pdf())).isTrue();
    // The card only as a keyed hash: neither its serial nor anything of the resident.
    assertThat(r.cardKey().hex()).hasSize(64).doesNotContain(card.serialHex());
    String name = world.resident(entry.residentId()).fullName();
    List<JournalEvent> events = journal.events(r.issuanceId());
    for (JournalEvent e : events) {
      assertThat(e.payload()).doesNotContain(card.serialHex()).doesNotContain(name);
    }
    assertThat(events)
        .extracting(JournalEvent::kind)
        .containsExactly(EventKind.ORDERED, EventKind.BINDING_CHECKED, EventKind.ISSUED, EventKind.DELIVERED);
    // The check journaled is the one the copier can make itself: its card, its order.
    String binding =
        HexFormat.of().formatHex(
            DocumentBinding.compute(card.issuerKeyId(), card.serialHex(), outcome.orderId(), r.issuanceId(), entry.municipalityCode()));
    assertThat(events.get(1).fields()).containsEntry("binding", binding).containsEntry("document_sha256", r.documentSha256().hex());
    assertThat(new JournalAudit(journal).verify(null).findings()).isEmpty();
  }

  /** What the copier is told — the first byte of the document, the delivery — is journaled before. */
  @Test
  @Order(2)
  void everyTransitionIsDurableBeforeTheCopierHearsOfIt() throws Exception {
    CardWallet.Entry entry = world.eligibleCards(2).get(1);
    SimulatedCard card = world.wallet().card(entry.residentId());
    Copier copier = world.copier("journal-2");
    ByteString token = copier.authenticate(copier.openSession(), card, entry.pin()).getSessionToken();
    String order = UUID.randomUUID().toString();
    Iterator<IssueResponse> stream =
        copier.stub()
            .issue(
                IssueRequest.newBuilder()
                    .setSessionToken(token)
                    .setOrderId(order)
                    .setMunicipalityCode(entry.municipalityCode())
                    .setCertificate(residence(2))
                    .build());
    IssueResponse header = stream.next();
    assertThat(header.hasHeader()).isTrue();
    String id = header.getHeader().getIssuanceId();
    // The header is on the wire: the issuance is ISSUED, its document held, its charge recorded.
    Issuance issued = journal.find(id).orElseThrow();
    assertThat(issued.state()).isEqualTo(IssuanceState.ISSUED);
    assertThat(issued.feeYen()).isEqualTo(header.getHeader().getFeeYen());
    assertThat(journal.document(id)).isPresent();
    stream.forEachRemaining(r -> {});

    // The same order again is answered from the journal, and the replay is journaled.
    ReceivedDocument again = copier.issue(token, order, entry.municipalityCode(), residence(2));
    assertThat(again.header().getReplayed()).isTrue();
    assertThat(again.header().getIssuanceId()).isEqualTo(id);

    ConfirmDeliveryResponse failed = copier.confirm(token, id, false);
    Issuance voided = journal.find(id).orElseThrow();
    assertThat(voided.state()).isEqualTo(IssuanceState.VOIDED);
    assertThat(voided.refundedYen()).isEqualTo(failed.getRefundedYen()).isEqualTo(issued.feeYen());
    assertThat(voided.voidReason()).isEqualTo(VoidReason.PRINT_FAILED);
    assertThat(journal.document(id)).isEmpty();
    assertThat(journal.events(id))
        .extracting(JournalEvent::kind)
        .containsExactly(EventKind.ORDERED, EventKind.BINDING_CHECKED, EventKind.ISSUED, EventKind.REPLAYED, EventKind.VOIDED);
  }

  /**
   * A copier that vanishes after receiving its document never confirms: once the timeout passes
   * (30 minutes, longer than a session), reconciliation voids the issuance and refunds it, the
   * order cannot be issued again, and the day's settlement counts the refund.
   */
  @Test
  @Order(3)
  void anIssuanceNeverConfirmedIsVoidedAndRefundedAfterTheTimeout() throws Exception {
    CardWallet.Entry entry = world.eligibleCards(3).get(2);
    SimulatedCard card = world.wallet().card(entry.residentId());
    Copier copier = world.copier("journal-3");
    ByteString token = copier.authenticate(copier.openSession(), card, entry.pin()).getSessionToken();
    String order = UUID.randomUUID().toString();
    ReceivedDocument doc = copier.issue(token, order, entry.municipalityCode(), residence(1));
    String id = doc.header().getIssuanceId();
    Reconciler reconciler = world.gateway().reconciler();

    clock.forward(Duration.ofMinutes(29));
    assertThat(reconciler.run().unconfirmedVoided()).isZero();
    assertThat(journal.find(id).orElseThrow().state()).isEqualTo(IssuanceState.ISSUED);
    clock.forward(Duration.ofMinutes(2));
    assertThat(reconciler.run().unconfirmedVoided()).isEqualTo(1);

    Issuance r = journal.find(id).orElseThrow();
    assertThat(r.state()).isEqualTo(IssuanceState.VOIDED);
    assertThat(r.voidReason()).isEqualTo(VoidReason.UNCONFIRMED);
    assertThat(r.refundedYen()).isEqualTo(doc.header().getFeeYen());
    assertThat(journal.document(id)).isEmpty();
    // The copier's session is long gone: it cannot confirm any more.
    StatusRuntimeException late = refusal(() -> copier.confirm(token, id, true));
    assertThat(late.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(KofuException.reasonOf(late)).isEqualTo(Reason.SESSION_EXPIRED);
    // Nor issue the order again with a new one: no second document, no second charge.
    ByteString fresh = copier.authenticate(copier.openSession(), card, entry.pin()).getSessionToken();
    StatusRuntimeException again = refusal(() -> copier.issue(fresh, order, entry.municipalityCode(), residence(1)));
    assertThat(KofuException.reasonOf(again)).isEqualTo(Reason.ISSUANCE_ALREADY_FINAL);

    DailySettlement.Report day = DailySettlement.compute(journal, JapanTime.date(r.issuedAt()), 100);
    assertThat(day.total().refundedYen()).isGreaterThanOrEqualTo(r.refundedYen());
    assertThat(day.total().grossYen()).isEqualTo(day.total().deliveredYen() + day.total().refundedYen() + day.total().pendingYen());
    assertThat(new JournalAudit(journal).verify(null).findings()).isEmpty();
  }
}
