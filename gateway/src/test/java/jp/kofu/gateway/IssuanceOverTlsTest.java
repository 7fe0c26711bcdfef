package jp.kofu.gateway;

import static jp.kofu.testing.PdfText.normalize;
import static jp.kofu.testing.Refusals.reason;
import static jp.kofu.testing.Refusals.refusal;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import jp.kofu.gateway.error.KofuException;
import jp.kofu.issuer.registry.Household;
import jp.kofu.issuer.registry.Resident;
import jp.kofu.pki.HeldCertificate;
import jp.kofu.pki.TrustWorld;
import jp.kofu.proto.kiosk.v1.AuthenticateRequest;
import jp.kofu.proto.kiosk.v1.IssuanceState;
import jp.kofu.proto.kiosk.v1.ListOfferingsResponse;
import jp.kofu.proto.kiosk.v1.OpenSessionResponse;
import jp.kofu.proto.type.v1.CertificateRequest;
import jp.kofu.proto.type.v1.CertificateType;
import jp.kofu.proto.type.v1.CredentialKind;
import jp.kofu.proto.type.v1.MunicipalityRelation;
import jp.kofu.proto.type.v1.Reason;
import jp.kofu.sim.card.CardWallet;
import jp.kofu.sim.card.SimulatedCard;
import jp.kofu.sim.copier.Copier;
import jp.kofu.sim.copier.ReceivedDocument;
import jp.kofu.testing.FakeClock;
import jp.kofu.testing.PdfText;
import jp.kofu.testing.WholeWorld;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** End to end over real loopback sockets with TLS: a simulated copier against a whole world. */
@WholeWorld
class IssuanceOverTlsTest {
  static final FakeClock clock = FakeClock.inServiceHours();
  @RegisterExtension static final KofuWorld world = KofuWorld.embedded().clock(clock).residentsEach(260);

  static CertificateRequest residence() {
    return CertificateRequest.newBuilder().setType(CertificateType.CERTIFICATE_TYPE_RESIDENCE).setCopies(1).build();
  }

  @Test
  void issuesACertificateOfResidenceThatShowsTheCardHolderAndNobodyElse() throws Exception {
    CardWallet.Entry entry = world.eligibleCards(1).get(0);
    SimulatedCard card = world.wallet().card(entry.residentId());
    Copier copier = world.copier("e2e-1");

    Copier.Outcome outcome = copier.issueOnce(card, entry.pin(), entry.municipalityCode(), residence());

    ListOfferingsResponse offerings = outcome.offerings();
    assertThat(offerings.getMunicipalitiesList()).isNotEmpty();
    assertThat(offerings.getMunicipalities(0).getRelation()).isEqualTo(MunicipalityRelation.MUNICIPALITY_RELATION_ADDRESS);
    assertThat(offerings.getMunicipalities(0).getOfferingsList())
        .anySatisfy(o -> {
          assertThat(o.getType()).isEqualTo(CertificateType.CERTIFICATE_TYPE_RESIDENCE);
          assertThat(o.getAvailable()).isTrue();
          assertThat(o.getFeeYen()).isPositive();
        });
    assertThat(outcome.delivery().getState()).isEqualTo(IssuanceState.ISSUANCE_STATE_DELIVERED);
    assertThat(outcome.verified().municipalityCode()).isEqualTo(entry.municipalityCode());

    Resident holder = world.resident(entry.residentId());
    Household home = world.registry().household(holder.householdId()).orElseThrow();
    String text = PdfText.of(outcome.document().pdf());
    assertThat(normalize(text)).contains(normalize(holder.fullName())).contains(normalize(home.address()));
    for (Resident other : world.allResidents()) {
      if (!other.fullName().equals(holder.fullName())) {
        assertThat(normalize(text)).doesNotContain(normalize(other.fullName()));
      }
    }
  }

  @Test
  void retryingAnOrderReturnsTheSameDocumentAndChargesOnce() throws Exception {
    CardWallet.Entry entry = world.eligibleCards(2).get(1);
    SimulatedCard card = world.wallet().card(entry.residentId());
    Copier copier = world.copier("e2e-retry");
    ByteString token = copier.authenticate(copier.openSession(), card, entry.pin()).getSessionToken();
    String order = UUID.randomUUID().toString();

    ReceivedDocument first = copier.issue(token, order, entry.municipalityCode(), residence());
    ReceivedDocument again = copier.issue(token, order, entry.municipalityCode(), residence());

    assertThat(again.header().getReplayed()).isTrue();
    assertThat(again.header().getIssuanceId()).isEqualTo(first.header().getIssuanceId());
    assertThat(again.pdf()).isEqualTo(first.pdf());
    var confirmed = copier.confirm(token, first.header().getIssuanceId(), false);
    assertThat(confirmed.getState()).isEqualTo(IssuanceState.ISSUANCE_STATE_VOIDED);
    assertThat(confirmed.getRefundedYen()).isEqualTo(first.header().getFeeYen());
    // The same order after its delivery was settled: refused, never a second document or charge.
    assertThat(reason(() -> copier.issue(token, order, entry.municipalityCode(), residence())))
        .isEqualTo(Reason.ISSUANCE_ALREADY_FINAL);
    // The same order id with other content is a conflict.
    CertificateRequest two = residence().toBuilder().setCopies(2).build();
    assertThat(reason(() -> copier.issue(token, order, entry.municipalityCode(), two))).isEqualTo(Reason.ORDER_CONFLICT);
  }

  @Test
  void aWrongSignatureIsRefused() throws Exception {
    CardWallet.Entry entry = world.eligibleCards(1).get(0);
    SimulatedCard card = world.wallet().card(entry.residentId());
    Copier copier = world.copier("e2e-2");
    OpenSessionResponse session = copier.openSession();
    byte[] signature = card.sign(entry.pin(), session.getChallenge().toByteArray());
    signature[10] ^= 1;

    StatusRuntimeException e = authenticate(copier, session, card.certificateDer(), signature);

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(KofuException.reasonOf(e)).isEqualTo(Reason.SIGNATURE_INVALID);
  }

  @Test
  void aCardFromAnUnknownCaIsRefused() throws Exception {
    TrustWorld stranger = TrustWorld.generate();
    HeldCertificate foreign = stranger.newCard();
    SimulatedCard card = new SimulatedCard(foreign, "1234", false);
    Copier copier = world.copier("e2e-3");
    OpenSessionResponse session = copier.openSession();

    StatusRuntimeException e = authenticate(copier, session, card.certificateDer(), card.sign("1234", session.getChallenge().toByteArray()));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(KofuException.reasonOf(e)).isEqualTo(Reason.CARD_UNTRUSTED);
  }

  @Test
  void anExpiredChallengeIsRefused() throws Exception {
    CardWallet.Entry entry = world.eligibleCards(1).get(0);
    SimulatedCard card = world.wallet().card(entry.residentId());
    Copier copier = world.copier("e2e-4");
    OpenSessionResponse session = copier.openSession();
    clock.forward(Duration.ofMinutes(3));
    try {
      StatusRuntimeException e =
          authenticate(copier, session, card.certificateDer(), card.sign(entry.pin(), session.getChallenge().toByteArray()));
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
      assertThat(KofuException.reasonOf(e)).isEqualTo(Reason.CHALLENGE_EXPIRED);
    } finally {
      clock.back(Duration.ofMinutes(3));
    }
  }

  @Test
  void aReusedChallengeIsRefused() throws Exception {
    CardWallet.Entry entry = world.eligibleCards(1).get(0);
    SimulatedCard card = world.wallet().card(entry.residentId());
    Copier copier = world.copier("e2e-5");
    OpenSessionResponse session = copier.openSession();
    byte[] signature = card.sign(entry.pin(), session.getChallenge().toByteArray());
    copier.stub().authenticate(request(session, card.certificateDer(), signature));

    StatusRuntimeException e = authenticate(copier, session, card.certificateDer(), signature);

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(KofuException.reasonOf(e)).isEqualTo(Reason.CHALLENGE_REUSED);
  }

  @Test
  void aChallengeGivenToAnotherTerminalIsRefused() throws Exception {
    CardWallet.Entry entry = world.eligibleCards(1).get(0);
    SimulatedCard card = world.wallet().card(entry.residentId());
    OpenSessionResponse session = world.copier("e2e-6a").openSession();

    StatusRuntimeException e =
        authenticate(world.copier("e2e-6b"), session, card.certificateDer(), card.sign(entry.pin(), session.getChallenge().toByteArray()));

    assertThat(KofuException.reasonOf(e)).isEqualTo(Reason.CHALLENGE_INVALID);
  }

  /**
   * 200 issuances from 50 copiers at once: every document is checked by its copier against the
   * binding the copier computes from its own card and order, and its text names the card holder.
   */
  @Test
  void concurrentIssuancesEachReturnTheDocumentOfTheCardThatAskedForIt() throws Exception {
    List<CardWallet.Entry> cards = world.eligibleCards(50);
    assertThat(cards).hasSize(50);
    ExecutorService pool = Executors.newFixedThreadPool(50);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < 50; t++) {
        CardWallet.Entry entry = cards.get(t);
        SimulatedCard card = world.wallet().card(entry.residentId());
        Copier copier = world.copier("load-" + t);
        String name = normalize(world.resident(entry.residentId()).fullName());
        results.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 4; i++) {
                    Copier.Outcome o = copier.issueOnce(card, entry.pin(), entry.municipalityCode(), residence());
                    assertThat(PdfText.normalized(o.document().pdf())).contains(name);
                  }
                  return 4;
                }));
      }
      int done = 0;
      for (Future<Integer> f : results) {
        done += f.get();
      }
      assertThat(done).isEqualTo(200);
    } finally {
      pool.shutdownNow();
    }
  }

  static AuthenticateRequest request(OpenSessionResponse session, byte[] cert, byte[] signature) {
    return AuthenticateRequest.newBuilder()
        .setChallenge(session.getChallenge())
        .setCardCertificate(ByteString.copyFrom(cert))
        .setSignature(ByteString.copyFrom(signature))
        .setCredentialKind(CredentialKind.CREDENTIAL_KIND_CARD)
        .build();
  }

  static StatusRuntimeException authenticate(Copier copier, OpenSessionResponse session, byte[] cert, byte[] signature) {
    return refusal(() -> copier.stub().authenticate(request(session, cert, signature)));
  }
}
