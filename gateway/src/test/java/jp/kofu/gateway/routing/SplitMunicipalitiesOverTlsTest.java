package jp.kofu.gateway.routing;

import static jp.kofu.testing.PdfText.normalize;
import static jp.kofu.testing.Refusals.refusal;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import jp.kofu.gateway.KofuWorld;
import jp.kofu.gateway.error.KofuException;
import jp.kofu.gateway.journal.Issuance;
import jp.kofu.gateway.journal.IssuanceState;
import jp.kofu.issuer.reference.LocalGovernment;
import jp.kofu.issuer.reference.LocalGovernmentCodes;
import jp.kofu.issuer.seed.Seeder;
import jp.kofu.proto.type.v1.CertificateRequest;
import jp.kofu.proto.type.v1.CertificateType;
import jp.kofu.proto.type.v1.Reason;
import jp.kofu.sim.card.CardWallet;
import jp.kofu.sim.card.SimulatedCard;
import jp.kofu.sim.copier.Copier;
import jp.kofu.testing.FakeClock;
import jp.kofu.testing.PdfText;
import jp.kofu.testing.WholeWorld;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The demo-able setup, over real sockets: 20 synthetic municipalities, ten served in the gateway's
 * process by the embedded adapter and ten by a shared-cloud issuer server (mutual TLS) that the
 * gateway reaches with the remote adapter — the same split as README's "Municipalities" section.
 * The clock stands still, so every request of a test happens in the same second.
 */
@WholeWorld
class SplitMunicipalitiesOverTlsTest {
  static final FakeClock frozen = FakeClock.inServiceHours();
  static final List<String> codes = Seeder.pickMunicipalities(20, 1);

  // ./kofu issuer seed --municipalities 20 (smaller), ./kofu issuer serve --municipalities <the last
  // ten>, ./kofu gateway --config kofu-gateway.yaml
  @RegisterExtension
  static final KofuWorld world =
      KofuWorld.embedded()
          .clock(frozen)
          .municipalities(codes)
          .residentsEach(30)
          .seed(1)
          .servedRemotely(codes.subList(10, 20))
          .config(
              """
              listen: 127.0.0.1:0
              data: .
              verification: {listen: 127.0.0.1:0}
              limits: {terminal-requests: 100000}   # one copier walks every code of Japan
              adapters:
                - kind: embedded
                  settings: {municipalities: "%s"}
                - kind: remote
                  settings: {target: "{issuer-server}"}
              """
                  .formatted(String.join(",", codes.subList(0, 10))));

  static CertificateRequest residence() {
    return CertificateRequest.newBuilder().setType(CertificateType.CERTIFICATE_TYPE_RESIDENCE).setCopies(1).build();
  }

  static List<CardWallet.Entry> eligible(String code, int n) {
    List<CardWallet.Entry> out = new ArrayList<>();
    for (CardWallet.Entry e : world.eligibleCards(100_000)) {
      if (e.municipalityCode().equals(code)) {
        out.add(e);
        if (out.size() == n) {
          break;
        }
      }
    }
    return out;
  }

  @Test
  void theGatewayRoutesTenMunicipalitiesInProcessAndTenToTheirServer() throws Exception {
    Map<String, Municipality> served = world.gateway().municipalities();
    assertThat(served.keySet()).containsExactlyInAnyOrderElementsOf(codes);
    for (int i = 0; i < 20; i++) {
      String code = codes.get(i);
      assertThat(served.get(code).adapter().getClass().getSimpleName())
          .isEqualTo(i < 10 ? "EmbeddedIssuerAdapter" : "RemoteIssuerAdapter");
      CardWallet.Entry e = eligible(code, 1).get(0);
      Copier copier = world.copier("split-" + code);
      Copier.Outcome o = copier.issueOnce(world.wallet().card(e.residentId()), e.pin(), code, residence());
      assertThat(o.verified().municipalityCode()).isEqualTo(code);
      assertThat(PdfText.normalized(o.document().pdf())).contains(normalize(world.resident(e.residentId()).fullName()));
    }
  }

  /**
   * The Kawasaki failure: many copiers, one municipality, the same second. Each copier checks its
   * document against the binding it computes from its own card and order, and its text names the
   * card holder — for a municipality in the gateway's process and one behind the remote server.
   */
  @Test
  void sameSecondIssuancesFromManyCopiersEachGetTheirOwnDocument() throws Exception {
    for (String code : List.of(codes.get(3), codes.get(13))) {
      List<CardWallet.Entry> cards = eligible(code, 12);
      assertThat(cards).hasSize(12);
      ExecutorService pool = Executors.newFixedThreadPool(cards.size());
      try {
        CountDownLatch together = new CountDownLatch(1);
        List<Future<Set<String>>> results = new ArrayList<>();
        for (CardWallet.Entry e : cards) {
          SimulatedCard card = world.wallet().card(e.residentId());
          Copier copier = world.copier("kawasaki-" + code + "-" + e.residentId());
          ByteString token = copier.authenticate(copier.openSession(), card, e.pin()).getSessionToken();
          String name = normalize(world.resident(e.residentId()).fullName());
          results.add(
              pool.submit(
                  () -> {
                    together.await();
                    Set<String> ids = new HashSet<>();
                    for (int i = 0; i < 2; i++) {
                      String order = UUID.randomUUID().toString();
                      var d = copier.issue(token, order, code, residence());
                      copier.accept(d, card, order, code);
                      assertThat(PdfText.normalized(d.pdf())).contains(name);
                      ids.add(d.header().getIssuanceId());
                    }
                    return ids;
                  }));
        }
        together.countDown();
        Set<String> all = new HashSet<>();
        for (Future<Set<String>> f : results) {
          all.addAll(f.get(120, TimeUnit.SECONDS));
        }
        assertThat(all).as("unique issuance ids in the same second").hasSize(24);
      } finally {
        pool.shutdownNow();
      }
    }
  }

  /**
   * A confidential refusal crosses the network as NOT_ISSUABLE with its true reason for the
   * journal only: the copier is told NOT_ISSUABLE, the journal records SUPPORT_MEASURE.
   */
  @Test
  void aSupportMeasureRefusedByTheRemoteServerIsJournaledButNotShown() throws Exception {
    String code = codes.get(15);
    CardWallet.Entry e = eligible(code, 3).get(2);
    try (Connection c = world.registry().database().connection();
        PreparedStatement s = c.prepareStatement("UPDATE resident SET support_measure = TRUE WHERE id = ?")) {
      s.setLong(1, e.residentId());
      s.executeUpdate();
    }
    Copier copier = world.copier("dv-" + code);
    ByteString token = copier.authenticate(copier.openSession(), world.wallet().card(e.residentId()), e.pin()).getSessionToken();
    String order = UUID.randomUUID().toString();
    try {
      copier.issue(token, order, code, residence());
      throw new AssertionError("issued despite a support measure");
    } catch (StatusRuntimeException ex) {
      assertThat(KofuException.reasonOf(ex)).isEqualTo(Reason.NOT_ISSUABLE);
      assertThat(ex.getStatus().getDescription()).doesNotContain("SUPPORT");
    }
    Issuance row = world.gateway().journal().findByOrder(order).orElseThrow();
    assertThat(row.state()).isEqualTo(IssuanceState.REFUSED);
    assertThat(row.refusalReason()).isEqualTo("SUPPORT_MEASURE");
  }

  /** Every code of Japan answers over the wire: served, not served, or invalid, each with its reason. */
  @Test
  void everyMunicipalityCodeOfJapanAnswers() throws Exception {
    CardWallet.Entry e = eligible(codes.get(0), 1).get(0);
    Copier copier = world.copier("all-codes");
    ByteString token = copier.authenticate(copier.openSession(), world.wallet().card(e.residentId()), e.pin()).getSessionToken();
    int notServed = 0;
    for (LocalGovernment g : LocalGovernmentCodes.bundled().all()) {
      String bad = MunicipalityRouterTest.wrongCheckDigits(g.code()).get(0);
      StatusRuntimeException invalid = refusal(() -> copier.issue(token, UUID.randomUUID().toString(), bad, residence()));
      assertThat(invalid.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertThat(KofuException.reasonOf(invalid)).isEqualTo(Reason.MUNICIPALITY_CODE_INVALID);
      if (codes.contains(g.code())) {
        continue;
      }
      StatusRuntimeException answer = refusal(() -> copier.issue(token, UUID.randomUUID().toString(), g.code(), residence()));
      if (g.type() == LocalGovernment.Type.PREFECTURE) {
        assertThat(KofuException.reasonOf(answer)).isEqualTo(Reason.MUNICIPALITY_CODE_INVALID);
      } else {
        assertThat(answer.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(KofuException.reasonOf(answer)).isEqualTo(Reason.MUNICIPALITY_NOT_SERVED);
        notServed++;
      }
    }
    assertThat(notServed).isEqualTo(1965 - 47 - 20);
  }
}
