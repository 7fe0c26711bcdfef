package jp.kofu.gateway.isolation;

import static jp.kofu.testing.Refusals.refusal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import jp.kofu.gateway.KofuWorld;
import jp.kofu.gateway.error.KofuException;
import jp.kofu.gateway.journal.Issuance;
import jp.kofu.gateway.journal.IssuanceState;
import jp.kofu.gateway.routing.Isolation;
import jp.kofu.gateway.routing.Municipality;
import jp.kofu.issuer.seed.Seeder;
import jp.kofu.issuer.spi.IssuedDocument;
import jp.kofu.pki.X509;
import jp.kofu.proto.type.v1.CertificateRequest;
import jp.kofu.proto.type.v1.CertificateType;
import jp.kofu.proto.type.v1.Reason;
import jp.kofu.sim.card.CardWallet;
import jp.kofu.sim.card.SimulatedCard;
import jp.kofu.sim.copier.Copier;
import jp.kofu.sim.copier.ReceivedDocument;
import jp.kofu.testing.FakeClock;
import jp.kofu.testing.WholeWorld;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Municipalities fenced off from each other, end to end over real TLS sockets: copiers against a
 * gateway routing to healthy embedded municipalities and to municipalities that hang, fail, swap
 * documents or get abandoned by their copier. The assertions are on behaviour (who got what, which
 * reason, what the journal holds), never on timings. The world runs on a fake clock that is also
 * the deadline ticker and scheduler: a deadline passes when a test forwards it, never by waiting.
 */
@WholeWorld
class MunicipalityIsolationOverTlsTest {
  static final FakeClock clock = FakeClock.inServiceHours();
  static final Duration DEADLINE = Duration.ofSeconds(2);
  static final Duration OPEN_FOR = Duration.ofSeconds(30);
  static final List<String> codes = Seeder.pickMunicipalities(6, 11);
  static final String healthy = codes.get(1);

  @RegisterExtension
  static final KofuWorld world =
      KofuWorld.embedded()
          .config(
              """
              listen: 127.0.0.1:0
              data: .
              metrics:
                listen: 127.0.0.1:0
              verification: {listen: 127.0.0.1:0}
              adapters:
                - kind: embedded
                  settings: {municipalities: "%s,%s"}
              """
                  .formatted(codes.get(0), healthy))
          .municipalities(codes)
          .residentsEach(40)
          // The municipalities' deadlines count on this clock too: the tests forward it past them.
          .time(clock)
          // Two calls in flight per municipality; a breaker that opens after 4 calls at 50 %.
          .isolation(new Isolation(DEADLINE, 2, new Isolation.Breaker(4, 4, 50f, OPEN_FOR, 1)));

  static final FaultyMunicipality stalling = new FaultyMunicipality(codes.get(2), world.dir(), clock);
  static final FaultyMunicipality failing = new FaultyMunicipality(codes.get(3), world.dir(), clock);
  static final FaultyMunicipality swapping = new FaultyMunicipality(codes.get(4), world.dir(), clock);
  static final FaultyMunicipality abandoned = new FaultyMunicipality(codes.get(5), world.dir(), clock);
  static final ExecutorService pool = Executors.newCachedThreadPool();

  static {
    world.adapter(stalling).adapter(failing).adapter(swapping).adapter(abandoned);
  }

  @AfterAll
  static void stop() {
    stalling.release();
    abandoned.release();
    pool.shutdownNow();
  }

  static CertificateRequest residence() {
    return CertificateRequest.newBuilder().setType(CertificateType.CERTIFICATE_TYPE_RESIDENCE).setCopies(1).build();
  }

  /** A card holder of {@code code} who may get a certificate today, signed in at a copier of their own. */
  record Customer(CardWallet.Entry entry, SimulatedCard card, Copier copier, ByteString token) {
    ReceivedDocument issue(String orderId) {
      return copier.issue(token, orderId, entry.municipalityCode(), residence());
    }
  }

  static List<Customer> customers(String code, int n) throws Exception {
    List<Customer> out = new ArrayList<>();
    for (CardWallet.Entry e : world.eligibleCards(10_000)) {
      if (e.municipalityCode().equals(code)) {
        SimulatedCard card = world.wallet().card(e.residentId());
        Copier copier = world.copier("iso-" + code + "-" + out.size() + "-" + UUID.randomUUID());
        out.add(new Customer(e, card, copier, copier.authenticate(copier.openSession(), card, e.pin()).getSessionToken()));
        if (out.size() == n) {
          return out;
        }
      }
    }
    throw new AssertionError("not enough eligible residents in " + code);
  }

  static Municipality municipality(String code) {
    return world.gateway().municipalities().get(code);
  }

  static double cancelledCalls(String code) {
    var c = world.gateway().meters().find("kofu.municipality.calls").tag("municipality", code).tag("outcome", "cancelled").counter();
    return c == null ? 0 : c.count();
  }

  static String sha(IssuedDocument d) {
    return HexFormat.of().formatHex(X509.sha256(d.pdf()));
  }

  /**
   * A hung municipality fills its own two permits and nothing else: while both are held, a third
   * call there is refused at once (MUNICIPALITY_BUSY) and a healthy municipality keeps issuing.
   * Past the deadline the hung requests are aborted whole (MUNICIPALITY_TIMEOUT, nothing journaled
   * as issued), and the documents the hung municipality produces afterwards reach nobody — not a
   * later resident, not a retry of the same order (the Yokohama failure).
   */
  @Test
  void aHungMunicipalityExhaustsOnlyItsOwnPermitsAndItsLateDocumentsReachNobody() throws Exception {
    List<Customer> stuck = customers(stalling.code, 4);
    List<Customer> fine = customers(healthy, 3);
    stalling.mode = FaultyMunicipality.Mode.HANG;
    String orderA = UUID.randomUUID().toString();
    String orderB = UUID.randomUUID().toString();
    Future<StatusRuntimeException> a = pool.submit(() -> refusal(() -> stuck.get(0).issue(orderA)));
    Future<StatusRuntimeException> b = pool.submit(() -> refusal(() -> stuck.get(1).issue(orderB)));
    await().atMost(Duration.ofSeconds(30)).until(() -> stalling.hanging.get() == 2 || a.isDone() || b.isDone());
    for (Future<StatusRuntimeException> f : List.of(a, b)) {
      if (f.isDone()) {
        throw new AssertionError("a call ended before the municipality hung: " + f.get().getStatus(), f.get());
      }
    }

    assertThat(municipality(stalling.code).inFlight()).isEqualTo(2);
    StatusRuntimeException busy = refusal(() -> stuck.get(2).issue(UUID.randomUUID().toString()));
    assertThat(KofuException.reasonOf(busy)).isEqualTo(Reason.MUNICIPALITY_BUSY);
    assertThat(busy.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    for (Customer c : fine) {
      String order = UUID.randomUUID().toString();
      ReceivedDocument d = c.issue(order);
      c.copier().accept(d, c.card(), order, healthy);
    }
    // The healthy municipality was served while the hung one still held both its permits.
    assertThat(stalling.hanging.get()).isEqualTo(2);
    assertThat(municipality(healthy).inFlight()).isZero();

    // The deadline passes when the clock says so, not after a wait.
    clock.forward(DEADLINE);
    assertThat(KofuException.reasonOf(a.get(30, TimeUnit.SECONDS))).isEqualTo(Reason.MUNICIPALITY_TIMEOUT);
    assertThat(KofuException.reasonOf(b.get(30, TimeUnit.SECONDS))).isEqualTo(Reason.MUNICIPALITY_TIMEOUT);
    for (String order : List.of(orderA, orderB)) {
      Issuance row = world.gateway().journal().findByOrder(order).orElseThrow();
      assertThat(row.state()).isEqualTo(IssuanceState.ORDERED);
      assertThat(row.attemptId()).as("the aborted attempt released its order").isNull();
      assertThat(world.gateway().journal().document(row.issuanceId())).isEmpty();
    }
    // The hung work still holds its permits (it ignores interrupts): the municipality stays fenced.
    assertThat(municipality(stalling.code).inFlight()).isEqualTo(2);

    // The municipality comes back and finishes the aborted work: those documents go nowhere.
    stalling.release();
    await().atMost(Duration.ofSeconds(30)).until(() -> stalling.late.size() == 2);
    await().atMost(Duration.ofSeconds(30)).until(() -> municipality(stalling.code).inFlight() == 0);
    stalling.mode = FaultyMunicipality.Mode.HEALTHY;
    // Two timeouts of four calls opened the circuit; once it may try again, the same order is
    // issued afresh, bound to its order, and another resident gets their own document.
    clock.forward(OPEN_FOR.plusSeconds(1));
    ReceivedDocument retried = stuck.get(0).issue(orderA);
    stuck.get(0).copier().accept(retried, stuck.get(0).card(), orderA, stalling.code);
    String next = UUID.randomUUID().toString();
    ReceivedDocument other = stuck.get(3).issue(next);
    stuck.get(3).copier().accept(other, stuck.get(3).card(), next, stalling.code);
    List<String> lateDigests = stalling.late.stream().map(MunicipalityIsolationOverTlsTest::sha).toList();
    assertThat(HexFormat.of().formatHex(X509.sha256(retried.pdf()))).isNotIn(lateDigests);
    assertThat(HexFormat.of().formatHex(X509.sha256(other.pdf()))).isNotIn(lateDigests);
    for (String order : List.of(orderA, orderB)) {
      Issuance row = world.gateway().journal().findByOrder(order).orElseThrow();
      world.gateway().journal().document(row.issuanceId())
          .ifPresent(pdf -> assertThat(HexFormat.of().formatHex(X509.sha256(pdf))).isNotIn(lateDigests));
    }
  }

  /**
   * A failing municipality opens its circuit: calls are then refused at once without reaching it
   * (MUNICIPALITY_UNAVAILABLE, circuit=open); after the open period (an injected clock) one trial
   * call goes through, succeeds, and closes the circuit again.
   */
  @Test
  void aFailingMunicipalityOpensItsCircuitAndRecoversThroughATrialCall() throws Exception {
    List<Customer> people = customers(failing.code, 2);
    Customer c = people.get(0);
    failing.mode = FaultyMunicipality.Mode.FAIL;
    for (int i = 0; i < 4; i++) {
      StatusRuntimeException e = refusal(() -> c.issue(UUID.randomUUID().toString()));
      assertThat(KofuException.reasonOf(e)).isEqualTo(Reason.MUNICIPALITY_UNAVAILABLE);
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    }
    assertThat(municipality(failing.code).status()).isEqualTo(Municipality.Status.CIRCUIT_OPEN);
    int callsWhenOpened = failing.calls.get();

    StatusRuntimeException open = refusal(() -> c.issue(UUID.randomUUID().toString()));
    assertThat(KofuException.reasonOf(open)).isEqualTo(Reason.MUNICIPALITY_UNAVAILABLE);
    assertThat(failing.calls.get()).as("an open circuit does not call the municipality").isEqualTo(callsWhenOpened);
    // Other municipalities are not affected.
    Customer elsewhere = customers(healthy, 1).get(0);
    String order = UUID.randomUUID().toString();
    elsewhere.copier().accept(elsewhere.issue(order), elsewhere.card(), order, healthy);

    failing.mode = FaultyMunicipality.Mode.HEALTHY;
    clock.forward(OPEN_FOR.plusSeconds(1));
    String trial = UUID.randomUUID().toString();
    ReceivedDocument d = people.get(1).issue(trial);
    people.get(1).copier().accept(d, people.get(1).card(), trial, failing.code);
    assertThat(municipality(failing.code).status()).isEqualTo(Municipality.Status.SERVING);
  }

  /**
   * A municipality that returns another resident's document (from a shared slot): the gateway
   * verifies the binding before a byte leaves, refuses with DOCUMENT_BINDING_MISMATCH, and journals
   * the refusal; the other resident's document never reaches this copier.
   */
  @Test
  void aDocumentOfAnotherResidentIsRefusedAndJournaled() throws Exception {
    List<Customer> people = customers(swapping.code, 2);
    swapping.mode = FaultyMunicipality.Mode.SWAP;
    String first = UUID.randomUUID().toString();
    ReceivedDocument own = people.get(0).issue(first);
    people.get(0).copier().accept(own, people.get(0).card(), first, swapping.code);

    String second = UUID.randomUUID().toString();
    StatusRuntimeException e = refusal(() -> people.get(1).issue(second));

    assertThat(KofuException.reasonOf(e)).isEqualTo(Reason.DOCUMENT_BINDING_MISMATCH);
    Issuance row = world.gateway().journal().findByOrder(second).orElseThrow();
    assertThat(row.state()).isEqualTo(IssuanceState.REFUSED);
    assertThat(row.refusalReason()).isEqualTo(Reason.DOCUMENT_BINDING_MISMATCH.name());
    assertThat(world.gateway().journal().document(row.issuanceId())).isEmpty();
  }

  /**
   * A copier that goes away while its municipality works: the gateway interrupts the municipality's
   * work, releases the order, and the document produced afterwards is delivered to nobody; the
   * same order retried later gets a fresh document bound to it.
   */
  @Test
  void aCancelledRequestIsAbortedWholeAndItsDocumentReachesNobody() throws Exception {
    Customer c = customers(abandoned.code, 1).get(0);
    abandoned.mode = FaultyMunicipality.Mode.HANG;
    String order = UUID.randomUUID().toString();
    Context.CancellableContext leaving = Context.current().withCancellation();
    Future<StatusRuntimeException> call = pool.submit(() -> leaving.call(() -> refusal(() -> c.issue(order))));
    await().atMost(Duration.ofSeconds(30)).until(() -> abandoned.hanging.get() == 1);

    leaving.cancel(null);

    assertThat(call.get(30, TimeUnit.SECONDS).getStatus().getCode()).isEqualTo(Status.Code.CANCELLED);
    await().atMost(Duration.ofSeconds(30)).until(() -> abandoned.sawInterrupt.get());
    // Aborted because the copier left, not because the deadline passed.
    await().atMost(Duration.ofSeconds(30)).until(() -> cancelledCalls(abandoned.code) == 1);
    assertThat(world.gateway().meters().find("kofu.municipality.calls").tag("municipality", abandoned.code).tag("outcome", "timeout").counter())
        .isNull();
    await().atMost(Duration.ofSeconds(30)).until(() -> world.gateway().journal().findByOrder(order).orElseThrow().attemptId() == null);
    abandoned.mode = FaultyMunicipality.Mode.HEALTHY;
    abandoned.release();
    await().atMost(Duration.ofSeconds(30)).until(() -> abandoned.late.size() == 1);
    Issuance row = world.gateway().journal().findByOrder(order).orElseThrow();
    assertThat(row.state()).isEqualTo(IssuanceState.ORDERED);
    assertThat(world.gateway().journal().document(row.issuanceId())).isEmpty();

    ReceivedDocument again = c.issue(order);
    c.copier().accept(again, c.card(), order, abandoned.code);
    assertThat(HexFormat.of().formatHex(X509.sha256(again.pdf()))).isNotEqualTo(sha(abandoned.late.get(0)));
  }

  /** Each municipality's outcomes are counted and served in the Prometheus text format. */
  @Test
  void metricsAreServedPerMunicipality() throws Exception {
    Customer c = customers(healthy, 1).get(0);
    String order = UUID.randomUUID().toString();
    c.copier().accept(c.issue(order), c.card(), order, healthy);
    var address = world.gateway().metricsAddress();
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + address.getPort() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body())
        .contains("kofu_municipality_calls_total{municipality=\"" + healthy + "\",operation=\"issue\",outcome=\"ok\"}")
        .contains("kofu_municipality_circuit_state{municipality=\"" + healthy + "\"} 0.0")
        .contains("kofu_municipality_inflight{municipality=\"" + stalling.code + "\"}");
  }
}
