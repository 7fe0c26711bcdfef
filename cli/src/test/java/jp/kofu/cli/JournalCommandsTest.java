package jp.kofu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import jp.kofu.gateway.embedded.EmbeddedWorld;
import jp.kofu.gateway.journal.IssuanceJournal;
import jp.kofu.gateway.journal.IssuedFacts;
import jp.kofu.gateway.journal.JournalDatabases;
import jp.kofu.gateway.journal.Digest;
import jp.kofu.gateway.journal.Issuance;
import jp.kofu.issuer.spi.CertificateType;
import jp.kofu.issuer.spi.Relation;
import jp.kofu.issuer.JapanTime;
import jp.kofu.storage.Database;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ./kofu settle and ./kofu audit verify, as a user runs them, on a world's embedded journal. */
class JournalCommandsTest {
  static final Instant NOON = Instant.parse("2025-06-02T03:00:00Z");
  static final LocalDate DAY = JapanTime.date(NOON);

  @TempDir Path dir;

  @BeforeEach
  void aWorldWithThreeIssuances() throws Exception {
    byte[] secret = "cli test cluster secret, at least 32 bytes".getBytes(StandardCharsets.US_ASCII);
    Files.createDirectories(EmbeddedWorld.secretFile(dir).getParent());
    Files.write(EmbeddedWorld.secretFile(dir), secret);
    try (Database db = JournalDatabases.openEmbedded(dir.resolve("gateway"))) {
      IssuanceJournal journal = new IssuanceJournal(db, IssuanceJournal.chainKey(secret));
      sell(journal, "seven", 2, true);
      sell(journal, "lawson", 1, true);
      sell(journal, "seven", 1, false);
    }
  }

  private static int n;

  static void sell(IssuanceJournal journal, String chain, int copies, boolean printed) {
    n++;
    String id = "01JX0000000000000000000" + String.format("%03d", n);
    Issuance.Order order =
        new Issuance.Order(
            id, "order-cli-test-" + n, Digest.ofHex("d".repeat(64)), Digest.ofHex("c".repeat(64)), "s".repeat(32), chain, "store", "t1",
            "131016", Relation.ADDRESS, CertificateType.RESIDENCE, copies, Digest.ofHex("b".repeat(64)));
    Issuance begun = journal.begin(order, "a".repeat(32), NOON).issuance();
    byte[] pdf = ("pdf " + n).getBytes(StandardCharsets.US_ASCII);
    journal.markIssued(begun, new IssuedFacts(300, 300 * copies, Digest.sha256(pdf), 1, pdf.length, null), pdf, NOON.plusSeconds(5));
    journal.settle(id, order.cardKey(), printed, printed ? null : "PAPER_JAM", NOON.plusSeconds(90));
  }

  record Run(int exit, String out, String err) {}

  static Run kofu(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      int exit = Main.commandLine().execute(args);
      return new Run(exit, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  @Test
  void settleWritesPerMunicipalityAndPerChainReportsThatReconcile() throws Exception {
    Path out = dir.resolve("reports");
    Run r = kofu("settle", "--data", dir.toString(), "--date", DAY.toString(), "--out", out.toString(), "--commission", "120");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("3 issued = 2 delivered + 1 voided + 0 pending")
        .contains("1,200 yen charged = 900 delivered + 300 refunded + 0 pending")
        .contains("net 900 yen - commission 360 yen (3 copies printed) = 540 yen payable to 1 municipality");
    List<String> municipalities = Files.readAllLines(out.resolve("settlement-" + DAY + "-municipalities.csv"));
    assertThat(municipalities)
        .containsExactly(
            "municipality_code,municipality_name,issued,delivered,voided,pending,copies_delivered,gross_yen,delivered_yen,"
                + "refunded_yen,pending_yen,net_yen,commission_yen,payable_yen",
            "131016,東京都千代田区,3,2,1,0,3,1200,900,300,0,900,360,540",
            "TOTAL,,3,2,1,0,3,1200,900,300,0,900,360,540");
    List<String> chains = Files.readAllLines(out.resolve("settlement-" + DAY + "-store-chains.csv"));
    assertThat(chains)
        .containsExactly(
            "store_chain,issued,delivered,voided,pending,copies_delivered,gross_yen,delivered_yen,refunded_yen,pending_yen,"
                + "net_yen,commission_yen,payable_yen",
            "lawson,1,1,0,0,1,300,300,0,0,300,120,180",
            "seven,2,1,1,0,2,900,600,300,0,600,240,360",
            "TOTAL,3,2,1,0,3,1200,900,300,0,900,360,540");
    // A day without issuances settles to zero.
    Run empty = kofu("settle", "--data", dir.toString(), "--date", DAY.plusDays(1).toString(), "--out", out.toString());
    assertThat(empty.exit()).isZero();
    assertThat(empty.out()).contains("0 issued");
  }

  @Test
  void auditVerifyPassesAnUntouchedJournalAndFailsAnEditedOne() throws Exception {
    Run ok = kofu("audit", "verify", "--data", dir.toString());
    assertThat(ok.exit()).as(ok.err()).isZero();
    assertThat(ok.out()).contains("journal intact: 12 events, 3 issuances").contains("head 12:");
    String head = ok.out().lines().filter(l -> l.startsWith("  head ")).findFirst().orElseThrow().substring(7);
    assertThat(kofu("audit", "verify", "--data", dir.toString(), "--anchor", head).exit()).isZero();

    try (Database db = JournalDatabases.openEmbedded(dir.resolve("gateway"));
        Connection c = db.connection()) {
      c.createStatement().executeUpdate("UPDATE issuance SET refunded_yen = 0, state = 'DELIVERED' WHERE state = 'VOIDED'");
    }
    Run tampered = kofu("audit", "verify", "--data", dir.toString(), "--anchor", head);
    assertThat(tampered.exit()).isEqualTo(1);
    assertThat(tampered.out()).contains("JOURNAL TAMPERED: 1 finding").contains("record differs from its journal events in state, refunded_yen");
  }

  @Test
  void badInputAndMissingJournalsAreToldPlainly() {
    Run anchor = kofu("audit", "verify", "--data", dir.toString(), "--anchor", "twelve");
    assertThat(anchor.exit()).isEqualTo(2);
    assertThat(anchor.err()).contains("--anchor: 'twelve' (expected: SEQ:HASH");
    Run nowhere = kofu("audit", "verify", "--data", dir.resolve("nowhere").toString());
    assertThat(nowhere.exit()).isEqualTo(1);
    assertThat(nowhere.err()).contains("no cluster secret");
    Run commission = kofu("settle", "--data", dir.toString(), "--date", DAY.toString(), "--commission", "-1");
    assertThat(commission.exit()).isEqualTo(2);
    Run date = kofu("settle", "--data", dir.toString(), "--date", "yesterday");
    assertThat(date.exit()).isEqualTo(2);
    assertThat(date.err()).contains("--date");
  }
}
