package jp.kofu.gateway.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import jp.kofu.testing.FakeClock;
import jp.kofu.gateway.error.KofuException;
import jp.kofu.proto.type.v1.Reason;
import jp.kofu.storage.Databases;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The journal's contract, on the embedded database and on PostgreSQL alike. */
class IssuanceJournalTest {
  static final Instant T0 = Instant.parse("2025-06-02T01:00:00.123456789Z");

  @ParameterizedTest
  @EnumSource(Databases.Kind.class)
  void anOrderGoesFromOrderedThroughIssuedToDeliveredAndEachStepIsAChainedEvent(Databases.Kind kind) {
    try (Journals j = new Journals(kind)) {
      Issuance.Order order = Journals.order("lawson", "131016", 2);
      String attempt = Journals.attempt();
      IssuanceJournal.Begin begin = j.journal.begin(order, attempt, T0);
      assertThat(begin.created()).isTrue();
      Issuance ordered = begin.issuance();
      assertThat(ordered.state()).isEqualTo(IssuanceState.ORDERED);
      // Kept to the microsecond, as both databases store it.
      assertThat(ordered.orderedAt()).isEqualTo(Instant.parse("2025-06-02T01:00:00.123456Z"));
      // What begin returns is what it wrote.
      assertThat(j.journal.find(order.issuanceId())).contains(ordered);

      byte[] pdf = Journals.pdf();
      Issuance issued = j.journal.markIssued(ordered, Journals.facts(300, 2, pdf), pdf, T0.plusSeconds(2)).orElseThrow();
      // What markIssued returns is what it wrote: the record read back is the same.
      assertThat(j.journal.find(order.issuanceId())).contains(issued);
      assertThat(issued.state()).isEqualTo(IssuanceState.ISSUED);
      assertThat(issued.feeYen()).isEqualTo(600);
      assertThat(j.journal.document(order.issuanceId())).hasValueSatisfying(d -> assertThat(d).isEqualTo(pdf));

      IssuanceJournal.Confirmation s = j.journal.settle(order.issuanceId(), order.cardKey(), true, null, T0.plusSeconds(60));
      assertThat(s).isEqualTo(new IssuanceJournal.Settlement(IssuanceState.DELIVERED, 0));
      Issuance delivered = j.journal.find(order.issuanceId()).orElseThrow();
      assertThat(delivered.state()).isEqualTo(IssuanceState.DELIVERED);
      assertThat(delivered.refundedYen()).isZero();
      assertThat(j.journal.document(order.issuanceId())).isEmpty();

      List<JournalEvent> events = j.journal.events(order.issuanceId());
      assertThat(events)
          .extracting(JournalEvent::kind)
          .containsExactly(EventKind.ORDERED, EventKind.BINDING_CHECKED, EventKind.ISSUED, EventKind.DELIVERED);
      assertThat(events).extracting(JournalEvent::seq).containsExactly(1L, 2L, 3L, 4L);
      assertThat(events.get(1).fields()).containsEntry("document_sha256", issued.documentSha256().hex()).containsEntry("binding", order.binding().hex());
      assertThat(events.get(0).prevHash()).isEqualTo(JournalChain.GENESIS);
      for (int i = 1; i < events.size(); i++) {
        assertThat(events.get(i).prevHash()).isEqualTo(events.get(i - 1).hash());
      }
      assertThat(j.journal.head()).isEqualTo(new IssuanceJournal.Head(4, events.get(3).hash()));
      assertThat(j.audit().findings()).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(Databases.Kind.class)
  void theRecordHoldsWhereWhatAndWhichDocumentButNoPersonalData(Databases.Kind kind) throws Exception {
    try (Journals j = new Journals(kind)) {
      Issuance.Order order = Journals.order("familymart", "131016", 1);
      String id = j.issued(order, 300, T0);
      Issuance r = j.journal.find(id).orElseThrow();
      assertThat(r.orderedAt()).isNotNull();
      assertThat(r.issuedAt()).isNotNull();
      assertThat(r.order()).isEqualTo(order);
      assertThat(r.feeYen()).isEqualTo(300);
      assertThat(r.orderId()).isEqualTo(order.orderId());
      assertThat(r.issuanceId()).isEqualTo(id);
      assertThat(r.documentSha256()).isNotNull();
      // Every column of the record and of its events, reviewed: none holds a name, an address, a
      // birth date, a My Number or a card serial. A new column must be reviewed and added here.
      assertThat(columns(j, "issuance"))
          .containsExactlyInAnyOrder(
              "issuance_id", "order_id", "order_digest", "card_key", "session_id", "store_chain", "store", "terminal",
              "municipality_code", "relation", "certificate_type", "copies", "state", "attempt_id", "attempt_started_at",
              "refusal_reason", "fee_per_copy_yen", "fee_yen", "refunded_yen", "document_sha256", "binding", "page_count",
              "byte_size", "verification_code", "print_failure", "ordered_at", "issued_at", "settled_at", "void_reason");
      assertThat(columns(j, "journal_event"))
          .containsExactlyInAnyOrder("seq", "issuance_id", "kind", "occurred_at", "payload", "prev_hash", "hash");
      for (JournalEvent e : j.journal.events(id)) {
        assertThat(e.fields().keySet())
            .isSubsetOf(
                "order_id", "order_digest", "card_key", "session_id", "store_chain", "store", "terminal", "municipality_code",
                "relation", "certificate_type", "copies", "binding", "document_sha256", "signer_municipality_code",
                "fee_per_copy_yen", "fee_yen", "page_count", "byte_size", "verification_code");
      }
    }
  }

  private static Set<String> columns(Journals j, String table) throws Exception {
    Set<String> out = new HashSet<>();
    try (Connection c = j.db.connection();
        ResultSet rs = c.getMetaData().getColumns(null, null, table, null)) {
      while (rs.next()) {
        out.add(rs.getString("COLUMN_NAME").toLowerCase(java.util.Locale.ROOT));
      }
    }
    return out;
  }

  @ParameterizedTest
  @EnumSource(Databases.Kind.class)
  void theSameOrderIdFindsTheExistingRecordAndNeverMakesASecond(Databases.Kind kind) {
    try (Journals j = new Journals(kind)) {
      Issuance.Order order = Journals.order();
      j.journal.begin(order, Journals.attempt(), T0);
      Issuance.Order again =
          Journals.again(order);
      IssuanceJournal.Begin second = j.journal.begin(again, Journals.attempt(), T0.plusSeconds(1));
      assertThat(second.created()).isFalse();
      assertThat(second.issuance().issuanceId()).isEqualTo(order.issuanceId());
      assertThat(j.journal.find(again.issuanceId())).isEmpty();
      assertThat(j.journal.events(order.issuanceId())).hasSize(1);
    }
  }

  /**
   * Eight gateways' threads race the same order through begin, claim and markIssued: exactly one
   * record, one document, one charge, and one ISSUED event; the losers find it.
   */
  @ParameterizedTest
  @EnumSource(Databases.Kind.class)
  void racingAttemptsOnOneOrderIssueItExactlyOnce(Databases.Kind kind) throws Exception {
    try (Journals j = new Journals(kind)) {
      for (int round = 0; round < 5; round++) {
        Issuance.Order order = Journals.order();
        int n = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(n);
        List<Future<Boolean>> wins = new ArrayList<>();
        for (int t = 0; t < n; t++) {
          Issuance.Order mine =
              Journals.again(order);
          Callable<Boolean> attemptIt =
              () -> {
                start.await();
                String attempt = Journals.attempt();
                IssuanceJournal.Begin b = j.journal.begin(mine, attempt, T0);
                Issuance owned = b.issuance();
                // A loser takes over only an attempt that died: here, pretend every attempt but
                // the owner's died at once, so they all race for the claim.
                if (!b.created()) {
                  Optional<Issuance> claimed = j.journal.claim(owned, attempt, T0.plusSeconds(1));
                  if (claimed.isEmpty()) {
                    return false;
                  }
                  owned = claimed.get();
                }
                byte[] pdf = Journals.pdf();
                return j.journal.markIssued(owned, Journals.facts(200, 1, pdf), pdf, T0.plusSeconds(2)).isPresent();
              };
          wins.add(pool.submit(attemptIt));
        }
        start.countDown();
        int won = 0;
        for (Future<Boolean> f : wins) {
          won += f.get() ? 1 : 0;
        }
        pool.shutdown();
        assertThat(won).isEqualTo(1);
        Issuance r = j.journal.findByOrder(order.orderId()).orElseThrow();
        assertThat(r.state()).isEqualTo(IssuanceState.ISSUED);
        assertThat(j.journal.events(r.issuanceId())).filteredOn(e -> e.kind() == EventKind.ISSUED).hasSize(1);
      }
      assertThat(count(j, "SELECT count(*) FROM issuance")).isEqualTo(5);
      assertThat(count(j, "SELECT count(*) FROM issuance_document")).isEqualTo(5);
      assertThat(j.audit().findings()).isEmpty();
    }
  }

  /**
   * Appends from many threads serialize on the chain head: the sequence has no gap and no
   * duplicate, and the chain verifies — on H2's MVCC and PostgreSQL's READ COMMITTED alike.
   */
  @ParameterizedTest
  @EnumSource(Databases.Kind.class)
  void concurrentAppendsKeepTheChainWhole(Databases.Kind kind) throws Exception {
    try (Journals j = new Journals(kind)) {
      int threads = 8;
      int each = 15;
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < each; i++) {
                    Issuance.Order o = Journals.order();
                    String id = j.issued(o, 300, T0);
                    j.journal.settle(id, o.cardKey(), i % 3 != 0, i % 3 != 0 ? null : "PAPER_JAM", T0.plusSeconds(5));
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get();
      }
      pool.shutdown();
      long events = threads * each * 4L;
      assertThat(count(j, "SELECT count(*) FROM journal_event")).isEqualTo(events);
      assertThat(count(j, "SELECT max(seq) FROM journal_event")).isEqualTo(events);
      JournalAudit.Report report = j.audit();
      assertThat(report.findings()).isEmpty();
      assertThat(report.events()).isEqualTo(events);
      assertThat(report.issuances()).isEqualTo(threads * each);
    }
  }

  @ParameterizedTest
  @EnumSource(Databases.Kind.class)
  void aFailedPrintIsVoidedAndRefundedOnceAndTheFirstOutcomeStands(Databases.Kind kind) {
    try (Journals j = new Journals(kind)) {
      Issuance.Order order = Journals.order("seven", "131016", 3);
      String id = j.issued(order, 200, T0);
      IssuanceJournal.Confirmation voided = j.journal.settle(id, order.cardKey(), false, "PAPER_JAM", T0.plusSeconds(30));
      assertThat(voided).isEqualTo(new IssuanceJournal.Settlement(IssuanceState.VOIDED, 600));
      assertThat(j.journal.settle(id, order.cardKey(), false, "PAPER_JAM", T0.plusSeconds(31))).isEqualTo(voided);
      assertThat(j.journal.settle(id, order.cardKey(), true, null, T0.plusSeconds(32)))
          .isEqualTo(new IssuanceJournal.AlreadyFinal(IssuanceState.VOIDED, VoidReason.PRINT_FAILED));
      assertThat(j.journal.settle(id, Journals.digest(), false, "PAPER_JAM", T0.plusSeconds(32))).isEqualTo(new IssuanceJournal.NotIssued());
      Issuance r = j.journal.find(id).orElseThrow();
      assertThat(r.voidReason()).isEqualTo(VoidReason.PRINT_FAILED);
      assertThat(r.printFailure()).isEqualTo("PAPER_JAM");
      assertThat(j.journal.events(id)).filteredOn(e -> e.kind() == EventKind.VOIDED).singleElement()
          .satisfies(e -> assertThat(e.fields()).containsEntry("refunded_yen", 600).containsEntry("void_reason", "PRINT_FAILED"));
      assertThat(j.audit().findings()).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(Databases.Kind.class)
  void aLiveAttemptCannotBeTakenOverButADeadOneCanAndTheDeadOneThenWritesNothing(Databases.Kind kind) {
    try (Journals j = new Journals(kind)) {
      Issuance.Order order = Journals.order();
      Issuance first = j.journal.begin(order, Journals.attempt(), T0).issuance();
      String second = Journals.attempt();
      // Seen as released (stale news): the live attempt still owns it, so nothing is taken.
      Issuance released = first.withAttempt(new Issuance.Attempt(null, T0));
      assertThat(j.journal.claim(released, second, T0.plusSeconds(1))).isEmpty();
      Issuance taken = j.journal.claim(first, second, T0.plusSeconds(40)).orElseThrow();
      assertThat(taken.attemptId()).isEqualTo(second);
      assertThat(j.journal.find(order.issuanceId())).contains(taken);
      byte[] late = Journals.pdf();
      assertThat(j.journal.markIssued(first, Journals.facts(300, 1, late), late, T0.plusSeconds(41))).isEmpty();
      assertThat(j.journal.markRefused(first, "NOT_ISSUABLE", T0.plusSeconds(41))).isFalse();
      assertThat(j.journal.document(order.issuanceId())).isEmpty();
      byte[] pdf = Journals.pdf();
      assertThat(j.journal.markIssued(taken, Journals.facts(300, 1, pdf), pdf, T0.plusSeconds(42))).isPresent();
      assertThat(j.journal.events(order.issuanceId()))
          .extracting(JournalEvent::kind)
          .containsExactly(EventKind.ORDERED, EventKind.CLAIMED, EventKind.BINDING_CHECKED, EventKind.ISSUED);
      assertThat(j.audit().findings()).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(Databases.Kind.class)
  void retriesOfAReleasedOrderDoNotGrowTheChain(Databases.Kind kind) {
    try (Journals j = new Journals(kind)) {
      Issuance.Order order = Journals.order();
      Issuance owned = j.journal.begin(order, Journals.attempt(), T0).issuance();
      // The municipality is down: every retry takes the order up and gives it back.
      for (int retry = 1; retry <= 85; retry++) {
        j.journal.release(owned);
        owned = j.journal.claim(owned.withAttempt(new Issuance.Attempt(null, owned.attempt().startedAt())), Journals.attempt(), T0.plusSeconds(retry)).orElseThrow();
      }
      assertThat(j.journal.find(order.issuanceId()).orElseThrow().attemptId()).isEqualTo(owned.attemptId());
      byte[] pdf = Journals.pdf();
      assertThat(j.journal.markIssued(owned, Journals.facts(300, 1, pdf), pdf, T0.plusSeconds(90))).isPresent();
      assertThat(j.journal.events(order.issuanceId()))
          .extracting(JournalEvent::kind)
          .containsExactly(EventKind.ORDERED, EventKind.BINDING_CHECKED, EventKind.ISSUED);
      assertThat(j.audit().findings()).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(Databases.Kind.class)
  void aRefusedOrderTakenUpAgainIsAChainedClaim(Databases.Kind kind) {
    try (Journals j = new Journals(kind)) {
      Issuance.Order order = Journals.order();
      Issuance begun = j.journal.begin(order, Journals.attempt(), T0).issuance();
      assertThat(j.journal.markRefused(begun, "OUT_OF_SERVICE_HOURS", T0.plusSeconds(1))).isTrue();
      Issuance refused = j.journal.find(order.issuanceId()).orElseThrow();
      assertThat(j.journal.claim(refused, Journals.attempt(), T0.plusSeconds(2))).isPresent();
      assertThat(j.journal.find(order.issuanceId()).orElseThrow().state()).isEqualTo(IssuanceState.ORDERED);
      assertThat(j.journal.events(order.issuanceId()))
          .extracting(JournalEvent::kind)
          .containsExactly(EventKind.ORDERED, EventKind.REFUSED, EventKind.CLAIMED);
      assertThat(j.audit().findings()).isEmpty();
    }
  }

  @org.junit.jupiter.api.Test
  void thePostgresqlOfTheTestsSyncsEveryCommitAsProductionDoes() {
    assertThat(Databases.postgresSetting("synchronous_commit")).isEqualTo("on");
    assertThat(Databases.postgresSetting("fsync")).isEqualTo("on");
  }

  /**
   * PostgreSQL: a batch commits without waiting for the WAL flush, so a durable transition must
   * not return before a flush barrier has put the WAL on disk past its batch. Fails if ISSUED
   * returns on its batch's commit alone: then the server's WAL writer flushes only within
   * wal_writer_delay (200 ms), long after.
   */
  @org.junit.jupiter.api.Test
  void aDurableTransitionOnPostgresqlReturnsOnlyOnceTheWalIsFlushedPastIt() throws Exception {
    try (Journals j = new Journals(Databases.Kind.POSTGRESQL);
        java.sql.Connection c = j.journal.database().connection()) {
      for (int i = 0; i < 20; i++) {
        Issuance.Order order = Journals.order();
        Issuance begun = j.journal.begin(order, Journals.attempt(), T0).issuance();
        String written;
        try (java.sql.Statement s = c.createStatement(); java.sql.ResultSet rs = s.executeQuery("SELECT pg_current_wal_insert_lsn()::text")) {
          rs.next();
          written = rs.getString(1);
        }
        byte[] pdf = Journals.pdf();
        j.journal.markIssued(begun, Journals.facts(300, 1, pdf), pdf, T0.plusSeconds(1)).orElseThrow();
        try (java.sql.PreparedStatement s = c.prepareStatement("SELECT pg_current_wal_flush_lsn() >= ?::pg_lsn")) {
          s.setString(1, written);
          try (java.sql.ResultSet rs = s.executeQuery()) {
            rs.next();
            assertThat(rs.getBoolean(1)).as("WAL flushed past the ORDERED batch and the ISSUED one when ISSUED returned").isTrue();
          }
        }
      }
    }
  }

  @org.junit.jupiter.api.Test
  void gatewayStartsOnPostgresqlLeaveABoundedSetOfFlushRows() throws Exception {
    try (Journals j = new Journals(Databases.Kind.POSTGRESQL)) {
      // Each new journal is a gateway's start: its appender bumps a flush row at its first
      // durable transition. Before, each start added a row of its own, never removed.
      int starts = GroupCommit.FLUSH_ROWS * 3;
      for (int i = 0; i < starts; i++) {
        IssuanceJournal started = new IssuanceJournal(j.db, IssuanceJournal.chainKey(Journals.SECRET));
        Issuance.Order order = Journals.order();
        Issuance begun = started.begin(order, Journals.attempt(), T0).issuance();
        byte[] pdf = Journals.pdf();
        started.markIssued(begun, Journals.facts(300, 1, pdf), pdf, T0.plusSeconds(1)).orElseThrow();
      }
      try (java.sql.Connection c = j.db.connection();
          java.sql.Statement s = c.createStatement();
          java.sql.ResultSet rs = s.executeQuery("SELECT count(*), sum(n) FROM journal_flush")) {
        rs.next();
        assertThat(rs.getInt(1)).isBetween(1, GroupCommit.FLUSH_ROWS);
        assertThat(rs.getLong(2)).as("every start's barriers bumped a row").isGreaterThanOrEqualTo(starts);
      }
      assertThat(j.audit().findings()).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(Databases.Kind.class)
  void aRefusedOrderCanBeRetriedAndARefusalKeepsItsTrueReason(Databases.Kind kind) {
    try (Journals j = new Journals(kind)) {
      Issuance.Order order = Journals.order();
      Issuance begun = j.journal.begin(order, Journals.attempt(), T0).issuance();
      assertThat(j.journal.markRefused(begun, "SUPPORT_MEASURE", T0.plusSeconds(1))).isTrue();
      Issuance refused = j.journal.find(order.issuanceId()).orElseThrow();
      assertThat(refused.state()).isEqualTo(IssuanceState.REFUSED);
      assertThat(refused.refusalReason()).isEqualTo("SUPPORT_MEASURE");
      Issuance claimed = j.journal.claim(refused, Journals.attempt(), T0.plusSeconds(60)).orElseThrow();
      Issuance reopened = j.journal.find(order.issuanceId()).orElseThrow();
      assertThat(reopened).isEqualTo(claimed);
      assertThat(reopened.state()).isEqualTo(IssuanceState.ORDERED);
      assertThat(reopened.refusalReason()).isNull();
      assertThat(reopened.settledAt()).isNull();
      assertThat(j.audit().findings()).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(Databases.Kind.class)
  void aDocumentThatFailsTheBindingCheckIsJournaledAsSuchAndRefused(Databases.Kind kind) {
    try (Journals j = new Journals(kind)) {
      Issuance.Order order = Journals.order();
      Issuance begun = j.journal.begin(order, Journals.attempt(), T0).issuance();
      assertThat(
              j.journal.markBindingCheckFailed(
                  begun, "binding does not match this card and order", Digest.ofHex("ab".repeat(32)), T0.plusSeconds(1)))
          .isTrue();
      Issuance r = j.journal.find(order.issuanceId()).orElseThrow();
      assertThat(r.state()).isEqualTo(IssuanceState.REFUSED);
      assertThat(r.refusalReason()).isEqualTo("DOCUMENT_BINDING_MISMATCH");
      assertThat(r.feeYen()).isNull();
      List<JournalEvent> events = j.journal.events(order.issuanceId());
      assertThat(events).extracting(JournalEvent::kind)
          .containsExactly(EventKind.ORDERED, EventKind.BINDING_CHECK_FAILED, EventKind.REFUSED);
      assertThat(events.get(1).fields())
          .containsEntry("problem", "binding does not match this card and order")
          .containsEntry("document_sha256", "ab".repeat(32));
      assertThat(j.audit().findings()).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(Databases.Kind.class)
  void aReplayIsJournaledAndEndsWithTheDelivery(Databases.Kind kind) {
    try (Journals j = new Journals(kind)) {
      Issuance.Order order = Journals.order();
      String id = j.issued(order, 300, T0);
      byte[] held = j.journal.document(id).orElseThrow();
      assertThat(j.journal.replay(id, "another-session", T0.plusSeconds(5))).hasValueSatisfying(p -> assertThat(p).isEqualTo(held));
      j.journal.settle(id, order.cardKey(), true, null, T0.plusSeconds(10));
      assertThat(j.journal.replay(id, "another-session", T0.plusSeconds(11))).isEmpty();
      assertThat(j.journal.events(id)).extracting(JournalEvent::kind)
          .containsExactly(EventKind.ORDERED, EventKind.BINDING_CHECKED, EventKind.ISSUED, EventKind.REPLAYED, EventKind.DELIVERED);
      assertThat(j.audit().findings()).isEmpty();
    }
  }

  /**
   * Reconciliation: an issued document never confirmed within the timeout is voided and refunded;
   * one confirmed in time is left alone; an order never issued is voided as abandoned with nothing
   * charged, but stays claimable until then. A late confirmation does not undo a refund.
   */
  @ParameterizedTest
  @EnumSource(Databases.Kind.class)
  void reconciliationVoidsAndRefundsWhatWasNeverConfirmedWithinTheTimeout(Databases.Kind kind) {
    try (Journals j = new Journals(kind)) {
      FakeClock clock = new FakeClock(T0);
      Reconciler reconciler = new Reconciler(j.journal, clock, Duration.ofMinutes(30));
      Issuance.Order unconfirmed = Journals.order("seven", "131016", 2);
      String lost = j.issued(unconfirmed, 300, clock.instant());
      Issuance.Order confirmed = Journals.order();
      String kept = j.issued(confirmed, 300, clock.instant());
      Issuance.Order abandoned = Journals.order();
      j.journal.begin(abandoned, Journals.attempt(), clock.instant());
      clock.forward(Duration.ofMinutes(10));
      j.journal.settle(kept, confirmed.cardKey(), true, null, clock.instant());
      Issuance.Order recent = Journals.order();
      String fresh = j.issued(recent, 300, clock.instant());

      assertThat(reconciler.run()).isEqualTo(new Reconciler.Result(0, 0));
      clock.forward(Duration.ofMinutes(21));
      assertThat(reconciler.run()).isEqualTo(new Reconciler.Result(1, 1));

      Issuance voided = j.journal.find(lost).orElseThrow();
      assertThat(voided.state()).isEqualTo(IssuanceState.VOIDED);
      assertThat(voided.voidReason()).isEqualTo(VoidReason.UNCONFIRMED);
      assertThat(voided.refundedYen()).isEqualTo(600);
      assertThat(j.journal.document(lost)).isEmpty();
      assertThat(j.journal.find(kept).orElseThrow().state()).isEqualTo(IssuanceState.DELIVERED);
      assertThat(j.journal.find(fresh).orElseThrow().state()).isEqualTo(IssuanceState.ISSUED);
      Issuance gaveUp = j.journal.find(abandoned.issuanceId()).orElseThrow();
      assertThat(gaveUp.state()).isEqualTo(IssuanceState.VOIDED);
      assertThat(gaveUp.voidReason()).isEqualTo(VoidReason.ABANDONED);
      assertThat(gaveUp.refundedYen()).isZero();
      assertThat(gaveUp.feeYen()).isNull();

      assertThat(j.journal.settle(lost, unconfirmed.cardKey(), true, null, clock.instant()))
          .isEqualTo(new IssuanceJournal.AlreadyFinal(IssuanceState.VOIDED, VoidReason.UNCONFIRMED));
      assertThat(j.journal.settle(lost, unconfirmed.cardKey(), false, "OTHER", clock.instant()))
          .isEqualTo(new IssuanceJournal.Settlement(IssuanceState.VOIDED, 600));
      assertThat(j.journal.claim(gaveUp, Journals.attempt(), clock.instant())).isEmpty();
      assertThat(reconciler.run()).isEqualTo(new Reconciler.Result(0, 0));
      assertThat(j.audit().findings()).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(Databases.Kind.class)
  void aConfirmationAndTheReconcilerRacingSettleAnIssuanceOnce(Databases.Kind kind) throws Exception {
    try (Journals j = new Journals(kind)) {
      FakeClock clock = new FakeClock(T0);
      List<Issuance.Order> orders = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        Issuance.Order o = Journals.order();
        j.issued(o, 300, clock.instant());
        orders.add(o);
      }
      clock.forward(Duration.ofMinutes(31));
      ExecutorService pool = Executors.newFixedThreadPool(3);
      Future<Reconciler.Result> a = pool.submit(() -> new Reconciler(j.journal, clock, Duration.ofMinutes(30)).run());
      Future<Reconciler.Result> b = pool.submit(() -> new Reconciler(j.journal, clock, Duration.ofMinutes(30)).run());
      Future<Integer> confirmations =
          pool.submit(
              () -> {
                int delivered = 0;
                for (Issuance.Order o : orders) {
                  IssuanceJournal.Confirmation c = j.journal.settle(o.issuanceId(), o.cardKey(), true, null, clock.instant());
                  if (c instanceof IssuanceJournal.Settlement) {
                    delivered++;
                  } else {
                    assertThat(c).isEqualTo(new IssuanceJournal.AlreadyFinal(IssuanceState.VOIDED, VoidReason.UNCONFIRMED));
                  }
                }
                return delivered;
              });
      int voided = a.get().unconfirmedVoided() + b.get().unconfirmedVoided();
      int delivered = confirmations.get();
      pool.shutdown();
      assertThat(voided + delivered).isEqualTo(20);
      assertThat(count(j, "SELECT count(*) FROM journal_event WHERE kind IN ('DELIVERED', 'VOIDED')")).isEqualTo(20);
      assertThat(j.audit().findings()).isEmpty();
    }
  }

  private static long count(Journals j, String sql) throws Exception {
    try (Connection c = j.db.connection();
        ResultSet rs = c.createStatement().executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
