package jp.kofu.gateway.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import jp.kofu.storage.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded journal survives a power cut with everything it acknowledged. Copiers issue
 * (ORDERED → ISSUED, acknowledged when the journal returns, which is when the gateway streams the
 * document; the document itself written before, outside the chained transition), are refused,
 * replay a retried order, and confirm (DELIVERED, or VOIDED and refunded), from several threads
 * at once through the journal's group commit (one fsync for a batch of them), on an H2
 * file whose disk forgets every write not followed by an fsync ({@link PowerCutFileSystem}). At a
 * random moment the power fails; the journal is opened again from what the disk kept, and every
 * acknowledged issuance must be there with its fee, every acknowledged confirmation with its
 * outcome and refund, and the audit must find the chain and the records whole. Then issuing goes
 * on, on the recovered file, until the next cut.
 */
class PowerLossTest {
  private static final int CUTS = 4;
  private static final int COPIERS = 4;

  @TempDir Path dir;

  /** What the copier was told. {@code replayed}: a retried order was answered with the document again. */
  private record Told(IssuanceState state, int feeYen, int refundedYen, boolean replayed) {
    Told(IssuanceState state, int feeYen, int refundedYen) {
      this(state, feeYen, refundedYen, false);
    }
  }

  @AfterEach
  void powerOn() {
    PowerCutFileSystem.powerOn();
  }

  @Test
  void everyAcknowledgedIssuanceAndFeeSurvivesAPowerCut() throws Exception {
    Random random = new Random();
    Map<String, Told> told = new ConcurrentHashMap<>();
    Path file = dir.resolve("0").resolve("journal");
    int acknowledgedBeforeCut = 0;
    for (int cut = 0; cut < CUTS; cut++) {
      PowerCutFileSystem.powerOn();
      Database db = open(file);
      IssuanceJournal journal = new IssuanceJournal(db, IssuanceJournal.chainKey(Journals.SECRET));
      assertEverythingToldIsThere(journal, told, "after cut " + cut);
      AtomicBoolean stop = new AtomicBoolean();
      ExecutorService copiers = Executors.newFixedThreadPool(COPIERS);
      List<Future<?>> running = new ArrayList<>();
      for (int i = 0; i < COPIERS; i++) {
        running.add(copiers.submit(() -> issueUntilThePowerFails(journal, told, stop)));
      }
      // A random point: after some more acknowledgements, then a little later still.
      int until = acknowledgedBeforeCut + 5 + random.nextInt(40);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (told.size() < until && System.nanoTime() < deadline && running.stream().noneMatch(Future::isDone)) {
        Thread.sleep(1);
      }
      Thread.sleep(random.nextInt(30));
      PowerCutFileSystem.cut();
      stop.set(true);
      copiers.shutdown();
      assertThat(copiers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
      for (Future<?> f : running) {
        f.get();
      }
      try {
        db.close();
      } catch (RuntimeException expected) {
        // nothing reaches the disk any more
      }
      assertThat(told.size()).as("issuances acknowledged before cut %d", cut).isGreaterThan(acknowledgedBeforeCut);
      acknowledgedBeforeCut = told.size();
      Path next = dir.resolve(String.valueOf(cut + 1)).resolve("journal");
      PowerCutFileSystem.survivor(Path.of(file + ".mv.db"), Path.of(next + ".mv.db"));
      file = next;
    }
    PowerCutFileSystem.powerOn();
    try (Database db = open(file)) {
      IssuanceJournal journal = new IssuanceJournal(db, IssuanceJournal.chainKey(Journals.SECRET));
      assertEverythingToldIsThere(journal, told, "at the end");
    }
  }

  private static Database open(Path file) {
    return Database.open(PowerCutFileSystem.url(file) + JournalDatabases.H2_DURABLE, "sa", "", IssuanceJournal.MIGRATIONS, 16);
  }

  /** One copier: issue and confirm, recording what the journal acknowledged, until it fails. */
  private static void issueUntilThePowerFails(IssuanceJournal journal, Map<String, Told> told, AtomicBoolean stop) {
    Random random = new Random();
    while (!stop.get()) {
      try {
        Issuance.Order order = Journals.order("seven", "131016", 1 + random.nextInt(3));
        String attempt = Journals.attempt();
        Instant now = Instant.now();
        Issuance begun = journal.begin(order, attempt, now).issuance();
        if (random.nextInt(8) == 0) {
          // The municipality refused: told only once REFUSED is on disk.
          if (!journal.markRefused(begun, "NOT_ISSUABLE", now)) {
            throw new AssertionError("not refused");
          }
          told.put(order.issuanceId(), new Told(IssuanceState.REFUSED, 0, 0));
          continue;
        }
        byte[] pdf = new byte[4096 + random.nextInt(60_000)];
        random.nextBytes(pdf);
        int fee = 300 * order.copies();
        if (journal.markIssued(begun, Journals.facts(300, order.copies(), pdf), pdf, now).isEmpty()) {
          throw new AssertionError("not issued");
        }
        told.put(order.issuanceId(), new Told(IssuanceState.ISSUED, fee, 0));
        int outcome = random.nextInt(4);
        if (outcome == 0) {
          continue; // the copier has not confirmed yet
        }
        if (outcome == 3) {
          // The copier lost the response and retried the order: the same document again, streamed
          // only once REPLAYED is on disk; then it is not confirmed yet.
          byte[] again = journal.replay(order.issuanceId(), "session-retry", Instant.now()).orElseThrow();
          if (!java.util.Arrays.equals(again, pdf)) {
            throw new AssertionError("another document replayed");
          }
          told.put(order.issuanceId(), new Told(IssuanceState.ISSUED, fee, 0, true));
          continue;
        }
        boolean printed = outcome == 1;
        IssuanceJournal.Settlement s = (IssuanceJournal.Settlement) journal.settle(order.issuanceId(), order.cardKey(), printed, printed ? null : "PAPER_JAM", Instant.now());
        told.put(order.issuanceId(), new Told(s.state(), fee, s.refundedYen()));
      } catch (RuntimeException e) {
        if (!PowerCutFileSystem.isOff()) {
          throw e;
        }
        return;
      }
    }
  }

  private static void assertEverythingToldIsThere(IssuanceJournal journal, Map<String, Told> told, String when) {
    for (Map.Entry<String, Told> e : told.entrySet()) {
      Issuance row = journal.find(e.getKey()).orElse(null);
      assertThat(row).as("acknowledged issuance %s %s", e.getKey(), when).isNotNull();
      Told t = e.getValue();
      if (t.state() == IssuanceState.REFUSED) {
        // a refusal is final unless the copier retries, which these copiers do not
        assertThat(row.state()).as("state of %s %s", e.getKey(), when).isEqualTo(IssuanceState.REFUSED);
        assertThat(row.feeYen()).as("fee of refused %s %s", e.getKey(), when).isNull();
        continue;
      }
      assertThat(row.feeYen()).as("fee of %s %s", e.getKey(), when).isEqualTo(t.feeYen());
      if (t.replayed()) {
        assertThat(journal.events(e.getKey())).as("events of %s %s", e.getKey(), when).extracting(JournalEvent::kind).contains(EventKind.REPLAYED);
      }
      if (t.state() == IssuanceState.ISSUED) {
        // confirmed meanwhile, but the copier had not heard yet: any settled outcome will do
        assertThat(row.state()).as("state of %s %s", e.getKey(), when).isIn(IssuanceState.ISSUED, IssuanceState.DELIVERED, IssuanceState.VOIDED);
      } else {
        assertThat(row.state()).as("state of %s %s", e.getKey(), when).isEqualTo(t.state());
        assertThat(row.refundedYen()).as("refund of %s %s", e.getKey(), when).isEqualTo(t.refundedYen());
      }
    }
    JournalAudit.Report report = new JournalAudit(journal).verify(null);
    assertThat(report.findings()).as("audit %s", when).isEmpty();
  }
}
