package jp.kofu.gateway;

import jp.kofu.testing.FakeClock;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.zaxxer.hikari.HikariDataSource;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import jp.kofu.gateway.config.GatewayConfig;
import jp.kofu.gateway.embedded.EmbeddedWorld;
import jp.kofu.gateway.error.KofuException;
import jp.kofu.gateway.journal.EventKind;
import jp.kofu.gateway.journal.Issuance;
import jp.kofu.gateway.journal.IssuanceJournal;
import jp.kofu.gateway.journal.IssuanceState;
import jp.kofu.gateway.journal.JournalAudit;
import jp.kofu.gateway.journal.JournalDatabases;
import jp.kofu.gateway.journal.Reconciler;
import jp.kofu.gateway.journal.VoidReason;
import jp.kofu.gateway.settlement.DailySettlement;
import jp.kofu.issuer.JapanTime;
import jp.kofu.pki.TrustWorld;
import jp.kofu.pki.X509;
import jp.kofu.proto.ProtoEnums;
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
import jp.kofu.storage.Database;
import jp.kofu.storage.Databases;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A gateway in a child JVM is sent SIGKILL ({@link Process#destroyForcibly}) at a random point of
 * an issuance — while the municipality works, just after the document's header reached the
 * copier, after the whole document, while the confirmation travels, just after it was answered —
 * and started again on the same journal (an H2 file, or PostgreSQL). Then:
 *
 * <ul>
 *   <li>nothing the copier was told is lost: an issuance whose header it received is in the
 *       journal with that very document's digest; a confirmation it got an answer to is there;
 *   <li>nothing is half-written: the audit finds the chain whole and every record equal to its
 *       events, with a document held exactly while ISSUED;
 *   <li>the next start recovers every open issuance: the copier retrying its order gets the
 *       document already issued (replayed), or, once the dead attempt times out, a new one — never
 *       a second document or charge; what is then left unconfirmed is voided and refunded by
 *       reconciliation after the timeout.
 * </ul>
 */
class KillNineDurabilityTest {
  /**
   * Kills on each journal. The points continue from one journal to the next, so that the five
   * points of an issuance are all hit in every run (from a random first one).
   */
  static int kills(Databases.Kind kind) {
    return kind == Databases.Kind.H2 ? 3 : 2;
  }

  static final AtomicInteger NEXT_PHASE = new AtomicInteger(new Random().nextInt(Phase.values().length));

  /** One world (trust world, seeded registry, wallet) for both journals: only the journal differs. */
  @TempDir static Path shared;

  static List<CardWallet.Entry> cards;

  @TempDir Path tmp;

  @BeforeAll
  static void makeTheWorld() throws IOException {
    Path file = shared.resolve("kofu-gateway.yaml");
    Files.writeString(file, "listen: 127.0.0.1:0\ndata: world\nverification: {listen: 127.0.0.1:0}\n");
    try (TestWorld world = TestWorld.start(EmbeddedWorld.options().config(GatewayConfig.load(file)).clock(jp.kofu.testing.FakeClock.runningInServiceHours()))) {
      cards = world.eligibleCards(8);
    }
  }

  enum Phase {
    ISSUE_SENT,
    HEADER_RECEIVED,
    DOCUMENT_RECEIVED,
    CONFIRM_SENT,
    CONFIRMED
  }

  /** One order, and what the copier was told of it: all the journal owes it. */
  static final class Order {
    final String orderId = UUID.randomUUID().toString();
    final CardWallet.Entry card;
    final boolean print;
    final List<CompletableFuture<Void>> reached = new ArrayList<>();
    volatile String issuanceId;
    volatile String sha256;
    volatile IssuanceState confirmed;
    volatile String failure;

    Order(CardWallet.Entry card, boolean print) {
      this.card = card;
      this.print = print;
      for (int i = 0; i < Phase.values().length; i++) {
        reached.add(new CompletableFuture<>());
      }
    }

    void reach(Phase p) {
      reached.get(p.ordinal()).complete(null);
    }

    /** The flow stopped (the gateway died, or refused): no later point will be reached. */
    void stopped(Exception e) {
      failure = e instanceof StatusRuntimeException s ? s.getStatus().getCode() + " " + KofuException.reasonOf(s) : e.toString();
      reached.forEach(f -> f.complete(null));
    }

    @Override
    public String toString() {
      return "order " + orderId + " (header " + (issuanceId != null) + ", confirmed " + confirmed
          + (failure == null ? "" : ", stopped by " + failure) + ")";
    }
  }

  @ParameterizedTest
  @EnumSource(Databases.Kind.class)
  void aGatewayKilledAtRandomPointsLosesNothingItAcknowledgedAndRecoversTheRest(Databases.Kind kind) throws Exception {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    System.out.println("kill -9 test on " + kind + ", seed " + seed);
    Database pg = kind == Databases.Kind.POSTGRESQL ? Databases.fresh(kind, IssuanceJournal.MIGRATIONS) : null;
    Path file = tmp.resolve("kofu-gateway.yaml");
    String journalSettings =
        pg == null
            ? ""
            : "  url: " + ((HikariDataSource) pg.dataSource()).getJdbcUrl() + "\n  user: postgres\n  password-file: pw\n";
    Files.writeString(tmp.resolve("pw"), "postgres");
    // Short attempt timeout: a retry may take over an order from the killed process after 3.5 s.
    Files.writeString(
        file,
        "listen: 127.0.0.1:0\ndata: " + shared.resolve("world") + "\nverification: {listen: 127.0.0.1:0}\n"
            + "municipalities: {deadline: 1500ms}\n"
            + "journal:\n  attempt-timeout: 3500ms\n" + journalSettings);
    GatewayConfig config = GatewayConfig.load(file);
    Path data = config.data();
    int kills = kills(kind);
    TrustWorld pki = TrustWorld.openOrCreate(data.resolve("pki"), jp.kofu.testing.FakeClock.runningInServiceHours());
    CardWallet wallet = CardWallet.open(data.resolve("wallet"), pki);
    List<Order> orders = new ArrayList<>();
    ExecutorService pool = Executors.newCachedThreadPool();
    List<CardWallet.Entry> mine = cards.subList(kind.ordinal() * 4, kind.ordinal() * 4 + 4);
    Order walkedAway = new Order(mine.get(kills), true);
    Set<Phase> killedAt = EnumSet.noneOf(Phase.class);
    try {
      for (int i = 0; i < kills; i++) {
        long started = System.nanoTime();
        Child child = Child.start(file, tmp, i);
        System.out.printf("  gateway process up in %d ms%n", (System.nanoTime() - started) / 1_000_000);
        try (Copier copier = Copier.forWorld(child.address(), pki, "kill-chain", "store-1", "kill-9")) {
          recover(copier, wallet, orders);
          Order order = new Order(mine.get(i), random.nextInt(3) != 0);
          orders.add(order);
          Future<?> flow =
              pool.submit(
                  () -> {
                    try {
                      return flow(copier, wallet, order);
                    } catch (Exception e) {
                      order.stopped(e);
                      throw e;
                    }
                  });
          Phase phase = Phase.values()[NEXT_PHASE.getAndIncrement() % Phase.values().length];
          try {
            order.reached.get(phase.ordinal()).get(60, TimeUnit.SECONDS);
          } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // The flow failed before that point: kill anyway.
          }
          int delayMs = random.nextInt(phase == Phase.ISSUE_SENT ? 250 : 30);
          Thread.sleep(delayMs);
          child.kill();
          killedAt.add(phase);
          try {
            flow.get(30, TimeUnit.SECONDS);
          } catch (java.util.concurrent.ExecutionException e) {
            // The copier saw its gateway die.
          }
          System.out.println("  kill -9 " + delayMs + " ms after " + phase + ": copier was told " + order);
        }
      }
      // The next start recovers: every open order is retried to its end, and one more copier
      // walks away with a document it never confirms.
      Child child = Child.start(file, tmp, kills);
      try (Copier copier = Copier.forWorld(child.address(), pki, "kill-chain", "store-1", "kill-9")) {
        recover(copier, wallet, orders);
        SimulatedCard card = wallet.card(walkedAway.card.residentId());
        ByteString token = copier.authenticate(copier.openSession(), card, walkedAway.card.pin()).getSessionToken();
        ReceivedDocument doc = copier.issue(token, walkedAway.orderId, walkedAway.card.municipalityCode(), residence());
        walkedAway.issuanceId = doc.header().getIssuanceId();
        walkedAway.sha256 = HexFormat.of().formatHex(X509.sha256(doc.pdf()));
      }
      child.kill();
    } finally {
      pool.shutdownNow();
      Child.killAll();
    }
    System.out.println("  killed after " + killedAt);

    byte[] secret = Files.readAllBytes(EmbeddedWorld.secretFile(data));
    try (Database db = pg == null ? JournalDatabases.openEmbedded(data.resolve("gateway")) : JournalDatabases.open(config)) {
      IssuanceJournal journal = new IssuanceJournal(db, IssuanceJournal.chainKey(secret));
      for (Order o : orders) {
        Issuance r = journal.findByOrder(o.orderId).orElseThrow(() -> new AssertionError("lost: " + o));
        if (o.issuanceId != null) {
          assertThat(r.issuanceId()).as("the issuance the copier was told of").isEqualTo(o.issuanceId);
          assertThat(r.documentSha256().hex()).as("the document the copier received").isEqualTo(o.sha256);
        }
        // Recovered to the end the copier wanted, with one document and one charge.
        assertThat(r.state()).as(o.toString()).isEqualTo(o.print ? IssuanceState.DELIVERED : IssuanceState.VOIDED);
        assertThat(o.confirmed).isEqualTo(r.state());
        assertThat(journal.events(r.issuanceId())).filteredOn(e -> e.kind() == EventKind.ISSUED).hasSize(1);
      }
      Issuance lost = journal.findByOrder(walkedAway.orderId).orElseThrow();
      assertThat(lost.state()).isEqualTo(IssuanceState.ISSUED);
      assertThat(lost.documentSha256().hex()).isEqualTo(walkedAway.sha256);
      assertThat(new JournalAudit(journal).verify(null).findings()).isEmpty();

      // Nobody confirms it: once the timeout has passed, reconciliation voids and refunds it.
      FakeClock later = new FakeClock(Instant.now().plus(Duration.ofMinutes(31)));
      assertThat(new Reconciler(journal, later, Duration.ofMinutes(30)).run().unconfirmedVoided()).isEqualTo(1);
      Issuance refunded = journal.find(lost.issuanceId()).orElseThrow();
      assertThat(refunded.voidReason()).isEqualTo(VoidReason.UNCONFIRMED);
      assertThat(refunded.refundedYen()).isEqualTo(lost.feeYen());

      long gross = 0;
      long settled = 0;
      Set<LocalDate> days = new TreeSet<>();
      for (Order o : orders) {
        days.add(JapanTime.date(journal.findByOrder(o.orderId).orElseThrow().issuedAt()));
      }
      days.add(JapanTime.date(lost.issuedAt()));
      for (LocalDate day : days) {
        DailySettlement.Report report = DailySettlement.compute(journal, day, 100);
        assertThat(report.provisional()).isFalse();
        gross += report.total().grossYen();
        settled += report.total().deliveredYen() + report.total().refundedYen();
      }
      assertThat(gross).isEqualTo(settled).isPositive();
      assertThat(new JournalAudit(journal).verify(null).findings()).isEmpty();
    } finally {
      if (pg != null) {
        pg.close();
      }
    }
  }

  static CertificateRequest residence() {
    return CertificateRequest.newBuilder().setType(CertificateType.CERTIFICATE_TYPE_RESIDENCE).setCopies(1).build();
  }

  /** The copier's flow, noting each point reached and what it was told. */
  static Void flow(Copier copier, CardWallet wallet, Order o) throws Exception {
    SimulatedCard card = wallet.card(o.card.residentId());
    ByteString token = copier.authenticate(copier.openSession(), card, o.card.pin()).getSessionToken();
    Iterator<IssueResponse> stream =
        copier.stub()
            .issue(
                IssueRequest.newBuilder()
                    .setSessionToken(token)
                    .setOrderId(o.orderId)
                    .setMunicipalityCode(o.card.municipalityCode())
                    .setCertificate(residence())
                    .build());
    o.reach(Phase.ISSUE_SENT);
    IssueResponse header = stream.next();
    o.issuanceId = header.getHeader().getIssuanceId();
    o.sha256 = HexFormat.of().formatHex(header.getHeader().getSha256().toByteArray());
    o.reach(Phase.HEADER_RECEIVED);
    stream.forEachRemaining(r -> {});
    o.reach(Phase.DOCUMENT_RECEIVED);
    o.reach(Phase.CONFIRM_SENT);
    ConfirmDeliveryResponse r = copier.confirm(token, o.issuanceId, o.print);
    o.confirmed = ProtoEnums.toDomain(IssuanceState.class, r.getState());
    o.reach(Phase.CONFIRMED);
    return null;
  }

  /**
   * What a copier does after its gateway went away: retries each unfinished order (the same order
   * id, a new session) until it gets the document, and confirms it.
   */
  static void recover(Copier copier, CardWallet wallet, List<Order> orders) throws Exception {
    for (Order o : orders) {
      if (o.confirmed != null) {
        continue;
      }
      SimulatedCard card = wallet.card(o.card.residentId());
      ByteString token = copier.authenticate(copier.openSession(), card, o.card.pin()).getSessionToken();
      ReceivedDocument doc = null;
      for (int attempt = 0; doc == null; attempt++) {
        try {
          doc = copier.issue(token, o.orderId, o.card.municipalityCode(), residence());
        } catch (StatusRuntimeException e) {
          Reason reason = KofuException.reasonOf(e);
          if (reason == Reason.ISSUANCE_ALREADY_FINAL && o.issuanceId != null) {
            // Its confirmation was journaled but the answer was lost with the gateway.
            break;
          }
          boolean retryable =
              reason == Reason.ORDER_IN_PROGRESS || reason == Reason.MUNICIPALITY_TIMEOUT || reason == Reason.MUNICIPALITY_BUSY;
          if (!retryable || attempt == 100) {
            throw new AssertionError("recovering " + o + ": " + e.getStatus(), e);
          }
          Thread.sleep(100);
        }
      }
      if (doc != null) {
        if (o.issuanceId != null) {
          // The same document again: never a second one.
          assertThat(doc.header().getIssuanceId()).isEqualTo(o.issuanceId);
          assertThat(HexFormat.of().formatHex(X509.sha256(doc.pdf()))).isEqualTo(o.sha256);
          assertThat(doc.header().getReplayed()).isTrue();
        }
        o.issuanceId = doc.header().getIssuanceId();
        o.sha256 = HexFormat.of().formatHex(X509.sha256(doc.pdf()));
      }
      ConfirmDeliveryResponse r = copier.confirm(token, o.issuanceId, o.print);
      o.confirmed = ProtoEnums.toDomain(IssuanceState.class, r.getState());
    }
  }

  /** A gateway process. */
  record Child(Process process, InetSocketAddress address) {
    private static final List<Process> ALL = new ArrayList<>();

    static Child start(Path config, Path dir, int n) throws IOException, InterruptedException {
      Path ready = dir.resolve("ready-" + n);
      Path log = dir.resolve("gateway-" + n + ".log");
      String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      Process p =
          new ProcessBuilder(
                  java, "-Xmx384m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Dfile.encoding=UTF-8",
                  "-cp", System.getProperty("java.class.path"), GatewayProcess.class.getName(), config.toString(), ready.toString())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      synchronized (ALL) {
        ALL.add(p);
      }
      // Generous: on a busy 2-core machine three gateway JVMs starting at once take minutes.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
      while (!Files.exists(ready)) {
        if (!p.isAlive() || System.nanoTime() > deadline) {
          p.destroyForcibly();
          throw new AssertionError("gateway process did not start:\n" + Files.readString(log));
        }
        Thread.sleep(50);
      }
      return new Child(p, new InetSocketAddress("127.0.0.1", Integer.parseInt(Files.readString(ready).strip())));
    }

    /** SIGKILL: no shutdown hook, no flush, no goodbye. */
    void kill() throws InterruptedException {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }

    static void killAll() {
      synchronized (ALL) {
        ALL.forEach(Process::destroyForcibly);
        ALL.clear();
      }
    }
  }
}
