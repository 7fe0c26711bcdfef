package jp.kofu.gateway.settlement;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import jp.kofu.testing.FakeClock;
import jp.kofu.gateway.journal.EventKind;
import jp.kofu.gateway.journal.IssuanceJournal;
import jp.kofu.gateway.journal.IssuedFacts;
import jp.kofu.gateway.journal.JournalAudit;
import jp.kofu.gateway.journal.JournalEvent;
import jp.kofu.gateway.journal.NewOrder;
import jp.kofu.gateway.journal.Reconciler;
import jp.kofu.issuer.JapanTime;
import jp.kofu.pki.X509;
import jp.kofu.storage.Database;
import jp.kofu.storage.Databases;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * A day of issuances with random outcomes — printed, print failed, never confirmed (reconciled),
 * abandoned before issue, refused — at random stores and times: once the day is reconciled, its
 * settlement charges exactly what was delivered plus what was refunded, in every row, and its
 * totals are what the journal's chained events say.
 */
class SettlementPropertyTest {
  static final byte[] SECRET = "settlement property test secret, 32+ bytes".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  static final LocalDate FIRST_DAY = LocalDate.of(2025, 4, 1);
  static final Map<Databases.Kind, Database> DATABASES = new EnumMap<>(Databases.Kind.class);
  static final AtomicInteger DAYS = new AtomicInteger();

  enum Fate {
    PRINTED,
    PRINT_FAILED,
    NEVER_CONFIRMED,
    ABANDONED,
    REFUSED
  }

  record Sale(String chain, String municipality, int copies, int feePerCopy, int minuteOfDay, Fate fate) {
    boolean issued() {
      return fate != Fate.ABANDONED && fate != Fate.REFUSED;
    }

    int fee() {
      return copies * feePerCopy;
    }
  }

  @Provide
  Arbitrary<Sale> sales() {
    return Combinators.combine(
            Arbitraries.of("seven", "lawson", "familymart"),
            Arbitraries.of("131016", "141003", "271004"),
            Arbitraries.integers().between(1, 3),
            Arbitraries.of(100, 200, 300, 350),
            // Some near midnight, so that reconciliation happens on the next day.
            Arbitraries.oneOf(Arbitraries.integers().between(0, 1439), Arbitraries.integers().between(1420, 1439)),
            Arbitraries.of(Fate.class))
        .as(Sale::new);
  }

  @Property(tries = 12)
  void onTheEmbeddedDatabase(@ForAll @Size(max = 25) List<@From("sales") Sale> day, @ForAll @IntRange(min = 0, max = 150) int commission)
      throws Exception {
    settleADay(Databases.Kind.H2, day, commission);
  }

  @Property(tries = 12)
  void onPostgresql(@ForAll @Size(max = 25) List<@From("sales") Sale> day, @ForAll @IntRange(min = 0, max = 150) int commission)
      throws Exception {
    settleADay(Databases.Kind.POSTGRESQL, day, commission);
  }

  void settleADay(Databases.Kind kind, List<Sale> sales, int commission) throws Exception {
    Database db = DATABASES.computeIfAbsent(kind, k -> Databases.fresh(k, IssuanceJournal.MIGRATIONS));
    IssuanceJournal journal = new IssuanceJournal(db, IssuanceJournal.chainKey(SECRET));
    // Each try settles a day of its own in the shared journal.
    LocalDate day = FIRST_DAY.plusDays(DAYS.getAndIncrement());
    Instant midnight = day.atStartOfDay(JapanTime.ZONE).toInstant();
    FakeClock clock = new FakeClock(midnight);
    List<String> issuedIds = new ArrayList<>();
    long charged = 0;
    long refunded = 0;
    long delivered = 0;
    for (Sale s : sales.stream().sorted(java.util.Comparator.comparingInt(Sale::minuteOfDay)).toList()) {
      Instant at = midnight.plus(Duration.ofMinutes(s.minuteOfDay())).plusMillis(s.hashCode() & 0x7fff);
      NewOrder order = order(s);
      String attempt = UUID.randomUUID().toString().replace("-", "");
      journal.begin(order, attempt, at);
      switch (s.fate()) {
        case ABANDONED -> {
          continue;
        }
        case REFUSED -> {
          journal.markRefused(order.issuanceId(), attempt, "NOT_ISSUABLE", at.plusSeconds(1));
          continue;
        }
        default -> {}
      }
      byte[] pdf = UUID.randomUUID().toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      journal.markIssued(
          order.issuanceId(),
          attempt,
          new IssuedFacts(s.feePerCopy(), s.fee(), HexFormat.of().formatHex(X509.sha256(pdf)), 1, pdf.length, null),
          pdf,
          at.plusSeconds(2));
      issuedIds.add(order.issuanceId());
      charged += s.fee();
      switch (s.fate()) {
        case PRINTED -> {
          journal.settle(order.issuanceId(), order.cardKey(), true, null, at.plusSeconds(90));
          delivered += s.fee();
        }
        case PRINT_FAILED -> {
          journal.settle(order.issuanceId(), order.cardKey(), false, "PAPER_JAM", at.plusSeconds(90));
          refunded += s.fee();
        }
        default -> refunded += s.fee(); // never confirmed: reconciliation refunds it
      }
    }
    clock.forward(Duration.ofDays(1).plusHours(1));
    new Reconciler(journal, clock, Duration.ofMinutes(30)).run();

    DailySettlement.Report report = DailySettlement.compute(journal, day, commission);
    SettlementLine total = report.total();
    assertThat(report.provisional()).isFalse();
    assertThat(total.issued()).isEqualTo(issuedIds.size());
    // Σ charged = Σ delivered + Σ refunded, as the sales happened...
    assertThat(total.grossYen()).isEqualTo(charged).isEqualTo(delivered + refunded);
    assertThat(total.deliveredYen()).isEqualTo(delivered);
    assertThat(total.refundedYen()).isEqualTo(refunded);
    assertThat(total.netYen()).isEqualTo(delivered);
    // ...and as the journal's chained events record them.
    long eventCharges = 0;
    long eventRefunds = 0;
    for (String id : issuedIds) {
      for (JournalEvent e : journal.events(id)) {
        if (e.kind() == EventKind.ISSUED) {
          eventCharges += ((Number) e.fields().get("fee_yen")).longValue();
        } else if (e.kind() == EventKind.VOIDED) {
          eventRefunds += ((Number) e.fields().get("refunded_yen")).longValue();
        }
      }
    }
    assertThat(total.grossYen()).isEqualTo(eventCharges);
    assertThat(total.refundedYen()).isEqualTo(eventRefunds);
    for (List<SettlementLine> lines : List.of(report.municipalities(), report.storeChains())) {
      assertThat(lines.stream().mapToLong(SettlementLine::grossYen).sum()).isEqualTo(total.grossYen());
      assertThat(lines.stream().mapToLong(SettlementLine::refundedYen).sum()).isEqualTo(total.refundedYen());
      assertThat(lines.stream().mapToLong(SettlementLine::payableYen).sum()).isEqualTo(total.payableYen());
      assertThat(lines.stream().mapToInt(SettlementLine::issued).sum()).isEqualTo(total.issued());
      for (SettlementLine l : lines) {
        assertThat(l.grossYen()).isEqualTo(l.deliveredYen() + l.refundedYen() + l.pendingYen());
        assertThat(l.issued()).isEqualTo(l.delivered() + l.voided() + l.pending());
        assertThat(l.netYen()).isEqualTo(l.grossYen() - l.refundedYen());
        assertThat(l.commissionYen()).isEqualTo(l.copiesDelivered() * commission);
        assertThat(l.payableYen()).isEqualTo(l.netYen() - l.commissionYen());
      }
    }
    long copiesPrinted = sales.stream().filter(s -> s.fate() == Fate.PRINTED).mapToLong(Sale::copies).sum();
    assertThat(total.commissionYen()).isEqualTo(copiesPrinted * commission);
    // The CSV says the same.
    Path dir = Files.createTempDirectory("kofu-settlement-");
    List<Path> files = SettlementCsv.write(report, dir);
    for (Path f : files) {
      List<String> rows = Files.readAllLines(f);
      String last = rows.get(rows.size() - 1);
      assertThat(last).startsWith("TOTAL,").endsWith("," + total.netYen() + "," + total.commissionYen() + "," + total.payableYen());
      Files.delete(f);
    }
    Files.delete(dir);
    JournalAudit.Report audit = new JournalAudit(journal).verify(report.head());
    assertThat(audit.findings()).isEmpty();
  }

  static NewOrder order(Sale s) {
    String id = jp.kofu.gateway.journal.TestIds.issuanceId();
    return new NewOrder(
        id, "order-" + UUID.randomUUID(), "d".repeat(64), "c".repeat(64), "e".repeat(32), s.chain(),
        s.chain() + "-store", "t1", s.municipality(), "ADDRESS", "RESIDENCE", s.copies(), "b".repeat(64));
  }

  @AfterContainer
  static void close() {
    DATABASES.values().forEach(Database::close);
    DATABASES.clear();
  }
}
