package jp.kofu.gateway.isolation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.rpc.RetryInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import jp.kofu.gateway.KofuWorld;
import jp.kofu.gateway.edge.EdgeLimits;
import jp.kofu.gateway.error.KofuException;
import jp.kofu.gateway.journal.Issuance;
import jp.kofu.gateway.journal.IssuanceJournal;
import jp.kofu.gateway.journal.IssuanceState;
import jp.kofu.gateway.routing.Isolation;
import jp.kofu.issuer.seed.Seeder;
import jp.kofu.proto.type.v1.CertificateRequest;
import jp.kofu.proto.type.v1.CertificateType;
import jp.kofu.proto.type.v1.Reason;
import jp.kofu.sim.card.CardWallet;
import jp.kofu.sim.copier.Copier;
import jp.kofu.sim.copier.ReceivedDocument;
import jp.kofu.storage.Database;
import jp.kofu.testing.FakeClock;
import jp.kofu.testing.WholeWorld;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway under overload and while it stops, over real sockets: beyond its bound of issuances
 * in flight a call is refused at once (RESOURCE_EXHAUSTED, GATEWAY_BUSY, RetryInfo); a stop turns
 * readiness NOT_SERVING first, keeps serving for the quiet period, then lets calls in flight finish
 * within the grace, and cancels the others, whose orders are released in the journal.
 */
@WholeWorld
class DrainAndOverloadOverTlsTest {
  static final FakeClock clock = FakeClock.inServiceHours();
  final ExecutorService pool = Executors.newCachedThreadPool();
  FaultyMunicipality slow;
  FaultyMunicipality stuck;
  KofuWorld world;

  @AfterEach
  void stop() {
    slow.release();
    stuck.release();
    pool.shutdownNow();
    if (world != null) {
      // A test that failed before its stop may leave a quiet period waiting for the fake clock.
      CompletableFuture<Void> closing = CompletableFuture.runAsync(world::close);
      await().atMost(Duration.ofSeconds(60)).until(() -> {
        clock.forward(Duration.ofSeconds(1));
        return closing.isDone();
      });
    }
  }

  /** A world whose gateway runs at most {@code maxIssuances}, stopping with {@code quiet} and {@code grace}. */
  KofuWorld start(int maxIssuances, Duration quiet, Duration grace, String journalUrl) {
    List<String> codes = Seeder.pickMunicipalities(3, 7);
    world = KofuWorld.embedded();
    slow = new FaultyMunicipality(codes.get(1), world.dir(), clock);
    stuck = new FaultyMunicipality(codes.get(2), world.dir(), clock);
    EdgeLimits d = EdgeLimits.DEFAULTS;
    return world
        .config(
            """
            listen: 127.0.0.1:0
            data: .
            verification:
              listen: 127.0.0.1:0
            adapters:
              - kind: embedded
                settings: {municipalities: "%s"}
            """
                .formatted(codes.get(0)))
        .municipalities(codes)
        .residentsEach(30)
        // Deadlines and the quiet period count on this clock: they pass when a test forwards it.
        .time(clock)
        .isolation(new Isolation(Duration.ofSeconds(30), 4, Isolation.Breaker.defaults()))
        .adapter(slow)
        .adapter(stuck)
        .gateway(
            (b, ocsp) -> {
              b.edge(new EdgeLimits(
                      d.maxConnectionAge(), d.maxConnectionAgeGrace(), d.maxConcurrentCallsPerConnection(), d.maxRstFramesPerWindow(),
                      d.rstWindow(), d.permitKeepAliveTime(), d.maxConnectionIdle(), maxIssuances, maxIssuances + 4))
                  .drain(quiet, grace);
              if (journalUrl != null) {
                b.journal(Database.open(journalUrl, "sa", "", IssuanceJournal.MIGRATIONS, 4));
              }
            })
        .start();
  }

  record Customer(CardWallet.Entry entry, Copier copier, ByteString token) {
    ReceivedDocument issue(String orderId) {
      return copier.issue(
          token, orderId, entry.municipalityCode(), CertificateRequest.newBuilder().setType(CertificateType.CERTIFICATE_TYPE_RESIDENCE).setCopies(1).build());
    }
  }

  /** A card holder of municipality {@code code} who may get a certificate today, signed in at a copier of their own. */
  Customer customer(String code) throws Exception {
    for (CardWallet.Entry e : world.eligibleCards(10_000)) {
      if (e.municipalityCode().equals(code) && used.add(e.residentId())) {
        Copier c = world.copier("drain-" + UUID.randomUUID());
        return new Customer(e, c, c.authenticate(c.openSession(), world.wallet().card(e.residentId()), e.pin()).getSessionToken());
      }
    }
    throw new IllegalStateException("no card holder of " + code);
  }

  final java.util.Set<Long> used = new java.util.HashSet<>();

  @Test
  void beyondTheBoundOfIssuancesInFlightACallIsRefusedAtOnceWithRetryInfo() throws Exception {
    start(1, Duration.ZERO, Duration.ofSeconds(5), null);
    Customer hanging = customer(stuck.code);
    Customer next = customer(slow.code);
    stuck.mode = FaultyMunicipality.Mode.HANG;
    CompletableFuture<ReceivedDocument> first = CompletableFuture.supplyAsync(() -> hanging.issue(UUID.randomUUID().toString()), pool);
    await().atMost(Duration.ofSeconds(20)).until(() -> stuck.hanging.get() == 1);

    long started = System.nanoTime();
    assertThatThrownBy(() -> next.issue(UUID.randomUUID().toString()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
          assertThat(KofuException.reasonOf(e)).isEqualTo(Reason.GATEWAY_BUSY);
          com.google.rpc.Status details = StatusProto.fromThrowable(e);
          assertThat(details.getDetailsList()).anyMatch(a -> a.is(RetryInfo.class));
          assertThat(details.getDetailsList().stream().filter(a -> a.is(RetryInfo.class)).map(DrainAndOverloadOverTlsTest::retry).findFirst().orElseThrow().getRetryDelay().getSeconds())
              .isEqualTo(1);
        });
    // Refused without waiting for the slot (the hung call holds it for as long as it hangs).
    assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started)).isLessThan(10);
    assertThat(world.gateway().meters().find("kofu.inflight.issuances.refused").counter().count()).isEqualTo(1.0);

    stuck.release();
    assertThat(first.get(30, TimeUnit.SECONDS).pdf()).isNotEmpty();
    // The slot is free again: the refused customer's order goes through.
    assertThat(next.issue(UUID.randomUUID().toString()).pdf()).isNotEmpty();
  }

  @Test
  void aStopGoesNotServingThenServesTheQuietPeriodThenFinishesOrReleasesWhatIsInFlight() throws Exception {
    String journalUrl = Database.h2MemoryUrl("drain_" + UUID.randomUUID().toString().replace("-", ""));
    start(16, Duration.ofMillis(1500), Duration.ofSeconds(3), journalUrl);
    Customer a = customer(slow.code);
    Customer b = customer(stuck.code);
    Customer late = customer(slow.code);
    slow.mode = FaultyMunicipality.Mode.HANG;
    stuck.mode = FaultyMunicipality.Mode.HANG;
    String finishing = UUID.randomUUID().toString();
    String abandoned = UUID.randomUUID().toString();
    CompletableFuture<ReceivedDocument> finishes = CompletableFuture.supplyAsync(() -> a.issue(finishing), pool);
    CompletableFuture<ReceivedDocument> cancelled = CompletableFuture.supplyAsync(() -> b.issue(abandoned), pool);
    await().atMost(Duration.ofSeconds(20)).until(() -> slow.hanging.get() == 1 && stuck.hanging.get() == 1);

    CompletableFuture<Void> stopping = CompletableFuture.runAsync(world.gateway()::close, pool);
    await().atMost(Duration.ofSeconds(20)).until(() -> !world.gateway().readiness().ready());
    // Within the quiet period (the clock has not moved), new calls are still served.
    assertThat(late.copier().offerings(late.token()).getMunicipalitiesCount()).isPositive();
    clock.forward(Duration.ofMillis(1499));
    assertThat(late.copier().offerings(late.token()).getMunicipalitiesCount()).isPositive();
    assertThat(stopping).as("still in the quiet period").isNotDone();
    // The quiet period ends; one call in flight finishes within the grace...
    clock.forward(Duration.ofMillis(1));
    slow.release();
    assertThat(finishes.get(20, TimeUnit.SECONDS).pdf()).isNotEmpty();
    // ...the other is cancelled at its end, and its order released in the journal.
    assertThatThrownBy(() -> cancelled.get(20, TimeUnit.SECONDS)).hasCauseInstanceOf(StatusRuntimeException.class);
    stopping.get(30, TimeUnit.SECONDS);
    world = null;

    try (Database db = Database.open(journalUrl, "sa", "", IssuanceJournal.MIGRATIONS, 2)) {
      IssuanceJournal journal = new IssuanceJournal(db);
      Issuance issued = journal.findByOrder(finishing).orElseThrow();
      assertThat(issued.state()).isEqualTo(IssuanceState.ISSUED);
      Issuance released = journal.findByOrder(abandoned).orElseThrow();
      assertThat(released.state()).isEqualTo(IssuanceState.ORDERED);
      assertThat(released.attemptId()).as("the cancelled attempt released its order").isNull();
    }
  }

  private static RetryInfo retry(Any a) {
    try {
      return a.unpack(RetryInfo.class);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }
}
