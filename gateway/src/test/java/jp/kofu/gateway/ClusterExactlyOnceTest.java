package jp.kofu.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.zaxxer.hikari.HikariDataSource;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import jp.kofu.gateway.config.GatewayConfig;
import jp.kofu.gateway.embedded.EmbeddedWorld;
import jp.kofu.gateway.error.KofuException;
import jp.kofu.gateway.journal.EventKind;
import jp.kofu.gateway.journal.Issuance;
import jp.kofu.gateway.journal.IssuanceJournal;
import jp.kofu.gateway.journal.JournalAudit;
import jp.kofu.gateway.journal.JournalEvent;
import jp.kofu.gateway.settlement.DailySettlement;
import jp.kofu.issuer.JapanTime;
import jp.kofu.proto.kiosk.v1.IssuanceState;
import jp.kofu.proto.type.v1.CertificateRequest;
import jp.kofu.proto.type.v1.CertificateType;
import jp.kofu.proto.type.v1.Reason;
import jp.kofu.sim.card.CardWallet;
import jp.kofu.sim.card.SimulatedCard;
import jp.kofu.sim.copier.Copier;
import jp.kofu.sim.copier.ReceivedDocument;
import jp.kofu.storage.Database;
import jp.kofu.storage.Databases;
import jp.kofu.testing.FakeClock;
import jp.kofu.testing.WholeWorld;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two gateways of a cluster (real processes' worth of gateway: each its own server, pools and
 * threads) sharing one PostgreSQL journal. The same order sent to both at the same instant makes
 * one document and one charge; the loser is told ORDER_IN_PROGRESS and, retrying, gets that very
 * document. A gateway restarted mid-way replays what its peer issued.
 */
@WholeWorld
class ClusterExactlyOnceTest {
  @TempDir Path dir;

  static CertificateRequest residence() {
    return CertificateRequest.newBuilder().setType(CertificateType.CERTIFICATE_TYPE_RESIDENCE).setCopies(1).build();
  }

  @Test
  void theSameOrderSentToTwoGatewaysAtOnceMakesOneDocumentAndOneCharge() throws Exception {
    Database shared = Databases.fresh(Databases.Kind.POSTGRESQL, IssuanceJournal.MIGRATIONS);
    String url = ((HikariDataSource) shared.dataSource()).getJdbcUrl();
    Files.writeString(dir.resolve("journal-password"), "postgres");
    Path file = dir.resolve("kofu-gateway.yaml");
    Files.writeString(
        file,
        """
        listen: 127.0.0.1:0
        data: world
        verification: {listen: 127.0.0.1:0}
        journal:
          url: %s
          user: postgres
          password-file: journal-password
        """
            .formatted(url));
    GatewayConfig config = GatewayConfig.load(file);
    // One clock for the cluster, running in real time (real deadlines between the gateways) but in
    // service hours: on the machine's own clock the municipality refuses after 23:00 in Japan.
    Clock clock = FakeClock.runningInServiceHours();
    KofuWorld a = KofuWorld.embedded().config(config).clock(clock).start();
    EmbeddedWorld b = EmbeddedWorld.start(EmbeddedWorld.options().config(config).clock(clock));
    EmbeddedWorld restarted = null;
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      CardWallet.Entry entry = a.eligibleCards(1).get(0);
      SimulatedCard card = a.wallet().card(entry.residentId());
      Copier toA = a.copier("cluster-copier");
      Copier toB = Copier.forWorld(b.address(), b.pki(), "test-chain", "store-1", "cluster-copier");
      // Sessions are stateless: a token from one gateway is good on the other.
      ByteString token = toA.authenticate(toA.openSession(), card, entry.pin()).getSessionToken();
      IssuanceJournal journal = a.gateway().journal();
      int rounds = 4;
      int inProgressSeen = 0;
      for (int round = 0; round < rounds; round++) {
        String order = UUID.randomUUID().toString();
        CyclicBarrier together = new CyclicBarrier(2);
        Future<Attempts> viaA = pool.submit(() -> issueUntilDone(together, toA, token, order, entry.municipalityCode()));
        Future<Attempts> viaB = pool.submit(() -> issueUntilDone(together, toB, token, order, entry.municipalityCode()));
        Attempts ra = viaA.get();
        Attempts rb = viaB.get();
        inProgressSeen += ra.inProgress() + rb.inProgress();
        assertThat(ra.doc().pdf()).isEqualTo(rb.doc().pdf());
        assertThat(ra.doc().header().getIssuanceId()).isEqualTo(rb.doc().header().getIssuanceId());
        // Exactly one of the two made the document; the other was answered from the journal.
        assertThat(List.of(ra.doc().header().getReplayed(), rb.doc().header().getReplayed())).containsExactlyInAnyOrder(true, false);
        Issuance r = journal.findByOrder(order).orElseThrow();
        List<JournalEvent> events = journal.events(r.issuanceId());
        assertThat(events).filteredOn(e -> e.kind() == EventKind.ORDERED).hasSize(1);
        assertThat(events).filteredOn(e -> e.kind() == EventKind.ISSUED).hasSize(1);
        assertThat(events).filteredOn(e -> e.kind() == EventKind.REPLAYED).isNotEmpty();
        // Confirmed on one gateway; the same confirmation on the other says the same.
        assertThat(toB.confirm(token, r.issuanceId(), true).getState()).isEqualTo(IssuanceState.ISSUANCE_STATE_DELIVERED);
        assertThat(toA.confirm(token, r.issuanceId(), true).getState()).isEqualTo(IssuanceState.ISSUANCE_STATE_DELIVERED);
      }
      System.out.println("cluster race: ORDER_IN_PROGRESS answered " + inProgressSeen + " times in " + rounds + " rounds");

      // A document issued by A, not yet confirmed; B restarts; the copier's retry on the new B
      // gets the same document, and confirms it there.
      String order = UUID.randomUUID().toString();
      ReceivedDocument first = toA.issue(token, order, entry.municipalityCode(), residence());
      toB.close();
      b.close();
      restarted = EmbeddedWorld.start(EmbeddedWorld.options().config(config).clock(clock));
      try (Copier toRestarted = Copier.forWorld(restarted.address(), restarted.pki(), "test-chain", "store-1", "cluster-copier")) {
        ReceivedDocument again = toRestarted.issue(token, order, entry.municipalityCode(), residence());
        assertThat(again.header().getReplayed()).isTrue();
        assertThat(again.pdf()).isEqualTo(first.pdf());
        assertThat(toRestarted.confirm(token, first.header().getIssuanceId(), true).getState()).isEqualTo(IssuanceState.ISSUANCE_STATE_DELIVERED);
      }

      IssuanceJournal j = restarted.gateway().journal();
      Issuance any = j.findByOrder(order).orElseThrow();
      DailySettlement.Report day = DailySettlement.compute(j, JapanTime.date(any.issuedAt()), 0);
      assertThat(day.total().issued()).isEqualTo(rounds + 1);
      assertThat(day.total().delivered()).isEqualTo(rounds + 1);
      assertThat(day.total().grossYen()).isEqualTo((long) (rounds + 1) * any.feeYen());
      assertThat(new JournalAudit(j).verify(null).findings()).isEmpty();
    } finally {
      pool.shutdownNow();
      if (restarted != null) {
        restarted.close();
      } else {
        b.close();
      }
      a.close();
      shared.close();
    }
  }

  record Attempts(ReceivedDocument doc, int inProgress) {}

  /** A copier's retry loop: ORDER_IN_PROGRESS means "the same order, again, shortly". */
  static Attempts issueUntilDone(CyclicBarrier together, Copier copier, ByteString token, String order, String code) throws Exception {
    together.await();
    int inProgress = 0;
    for (int i = 0; ; i++) {
      try {
        return new Attempts(copier.issue(token, order, code, residence()), inProgress);
      } catch (StatusRuntimeException e) {
        if (KofuException.reasonOf(e) != Reason.ORDER_IN_PROGRESS || i == 100) {
          throw e;
        }
        inProgress++;
        // Short of the advertised retry_after_ms, to keep the test quick; the answer is the same.
        Thread.sleep(50);
      }
    }
  }
}
