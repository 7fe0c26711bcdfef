package jp.kofu.gateway.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.List;
import jp.kofu.storage.Databases;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Tampering with the journal behind the gateways' back — as someone with write access to the
 * database but without the cluster secret would — is found, on both databases.
 */
class JournalAuditTest {
  static final Instant T0 = Instant.parse("2025-06-02T01:00:00Z");

  /** Three issuances: delivered, voided, issued; 4 + 4 + 3 = 11 events. */
  static Journals journal(Databases.Kind kind) {
    Journals j = new Journals(kind);
    Issuance.Order a = Journals.order("seven", "131016", 1);
    j.journal.settle(j.issued(a, 300, T0), a.cardKey(), true, null, T0.plusSeconds(60));
    Issuance.Order b = Journals.order("lawson", "131016", 2);
    j.journal.settle(j.issued(b, 200, T0.plusSeconds(1)), b.cardKey(), false, "PAPER_JAM", T0.plusSeconds(61));
    j.issued(Journals.order("seven", "131016", 1), 300, T0.plusSeconds(2));
    return j;
  }

  @ParameterizedTest
  @EnumSource(Databases.Kind.class)
  void anUntouchedJournalIsIntact(Databases.Kind kind) {
    try (Journals j = journal(kind)) {
      JournalAudit.Report r = j.audit();
      assertThat(r.findings()).isEmpty();
      assertThat(r.intact()).isTrue();
      assertThat(r.events()).isEqualTo(11);
      assertThat(r.issuances()).isEqualTo(3);
      assertThat(r.head().seq()).isEqualTo(11);
      assertThat(new JournalAudit(j.journal).verify(r.head()).findings()).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(Databases.Kind.class)
  void anEditedEventIsFound(Databases.Kind kind) throws Exception {
    try (Journals j = journal(kind)) {
      // The ISSUED event of the first issuance (seq 3) now says it cost 100 yen.
      sql(j, "UPDATE journal_event SET payload = REPLACE(payload, '\"fee_yen\":300', '\"fee_yen\":100') WHERE seq = 3");
      assertThat(payload(j, 3)).contains("\"fee_yen\":100");
      assertThat(j.audit().findings())
          .extracting(JournalAudit.Finding::where)
          .contains("seq 3");
      assertThat(j.audit().findings()).anySatisfy(f -> assertThat(f.what()).contains("do not match its hash"));
    }
  }

  @ParameterizedTest
  @EnumSource(Databases.Kind.class)
  void anEditedRecordIsFound(Databases.Kind kind) throws Exception {
    try (Journals j = journal(kind)) {
      String first = firstIssuance(j);
      sql(j, "UPDATE issuance SET fee_yen = 0, refunded_yen = 300 WHERE issuance_id = '" + first + "'");
      assertThat(j.audit().findings())
          .singleElement()
          .satisfies(
              f -> {
                assertThat(f.where()).isEqualTo("issuance " + first);
                assertThat(f.what()).contains("fee_yen").contains("refunded_yen").contains("edited");
              });
    }
  }

  @ParameterizedTest
  @EnumSource(Databases.Kind.class)
  void aDeletedEventIsFound(Databases.Kind kind) throws Exception {
    try (Journals j = journal(kind)) {
      sql(j, "DELETE FROM journal_event WHERE seq = 5");
      List<JournalAudit.Finding> findings = j.audit().findings();
      assertThat(findings).anySatisfy(f -> assertThat(f.toString()).isEqualTo("seq 5: missing from the chain (deleted)"));
      assertThat(findings).anySatisfy(f -> assertThat(f.toString()).startsWith("seq 6: does not follow"));
    }
  }

  @ParameterizedTest
  @EnumSource(Databases.Kind.class)
  void aDeletedRecordIsFound(Databases.Kind kind) throws Exception {
    try (Journals j = journal(kind)) {
      String first = firstIssuance(j);
      sql(j, "DELETE FROM issuance WHERE issuance_id = '" + first + "'");
      assertThat(j.audit().findings())
          .singleElement()
          .satisfies(f -> assertThat(f.toString()).isEqualTo("issuance " + first + ": has journal events but no record (deleted)"));
    }
  }

  @ParameterizedTest
  @EnumSource(Databases.Kind.class)
  void reorderedEventsAreFound(Databases.Kind kind) throws Exception {
    try (Journals j = journal(kind)) {
      // Swap events 6 and 7 (as if the second issuance's ISSUED came before its check).
      sql(j, "UPDATE journal_event SET seq = 1000 WHERE seq = 6");
      sql(j, "UPDATE journal_event SET seq = 6 WHERE seq = 7");
      sql(j, "UPDATE journal_event SET seq = 7 WHERE seq = 1000");
      List<JournalAudit.Finding> findings = j.audit().findings();
      assertThat(findings).extracting(JournalAudit.Finding::where).contains("seq 6", "seq 7");
      assertThat(findings).anySatisfy(f -> assertThat(f.toString()).startsWith("seq 6: does not follow"));
    }
  }

  @ParameterizedTest
  @EnumSource(Databases.Kind.class)
  void truncatingTheChainIsFoundEvenWithTheHeadRolledBack(Databases.Kind kind) throws Exception {
    try (Journals j = journal(kind)) {
      IssuanceJournal.Head anchor = j.journal.head();
      JournalEvent tenth = eventAt(j, 10);
      sql(j, "DELETE FROM journal_event WHERE seq = 11");
      assertThat(j.audit().findings()).anySatisfy(f -> assertThat(f.toString()).contains("its last events were deleted"));
      // Roll the head back too: the chain is then self-consistent, but the records are not...
      sql(j, "UPDATE journal_head SET seq = 10, hash = '" + tenth.hash() + "'");
      assertThat(j.audit().findings()).anySatisfy(f -> assertThat(f.what()).contains("record differs"));
      // ...and a head recorded before (e.g. on a settlement report) proves the truncation.
      assertThat(new JournalAudit(j.journal).verify(anchor).findings())
          .anySatisfy(f -> assertThat(f.toString()).isEqualTo("anchor " + anchor + ": no event has this seq any more (the chain was truncated)"));
    }
  }

  @ParameterizedTest
  @EnumSource(Databases.Kind.class)
  void anEventForgedWithoutTheClusterSecretIsFound(Databases.Kind kind) throws Exception {
    try (Journals j = journal(kind)) {
      // A forger who knows the format but not the key appends a refund, linked correctly, with
      // a hash made under another key, and moves the head.
      IssuanceJournal.Head head = j.journal.head();
      String first = firstIssuance(j);
      JournalChain forger = new JournalChain(IssuanceJournal.chainKey("someone else's secret, 32 bytes long!".getBytes()));
      Instant at = T0.plusSeconds(300);
      String payload = "{\"refunded_yen\":300,\"void_reason\":\"PRINT_FAILED\"}";
      String hash = forger.hash(head.hash(), 12, first, "VOIDED", at, payload);
      try (Connection c = j.db.connection();
          PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO journal_event (seq, issuance_id, kind, occurred_at, payload, prev_hash, hash) VALUES (12, ?, 'VOIDED', ?, ?, ?, ?)")) {
        s.setString(1, first);
        s.setObject(2, IssuanceRow.ts(at));
        s.setString(3, payload);
        s.setString(4, head.hash());
        s.setString(5, hash);
        s.executeUpdate();
      }
      sql(j, "UPDATE journal_head SET seq = 12, hash = '" + hash + "'");
      assertThat(j.audit().findings()).anySatisfy(f -> assertThat(f.toString()).startsWith("seq 12: contents do not match its hash"));
    }
  }

  @ParameterizedTest
  @EnumSource(Databases.Kind.class)
  void aHalfWrittenIssuanceIsFound(Databases.Kind kind) throws Exception {
    try (Journals j = journal(kind)) {
      sql(j, "DELETE FROM issuance_document");
      assertThat(j.audit().findings())
          .singleElement()
          .satisfies(f -> assertThat(f.what()).isEqualTo("is ISSUED without its document (half-written)"));
    }
  }

  static String firstIssuance(Journals j) {
    return eventAt(j, 1).issuanceId();
  }

  static JournalEvent eventAt(Journals j, long seq) {
    try (Connection c = j.db.connection();
        PreparedStatement s = c.prepareStatement("SELECT " + JournalEvent.COLUMNS + " FROM journal_event WHERE seq = ?")) {
      s.setLong(1, seq);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return JournalEvent.read(rs);
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  static String payload(Journals j, long seq) {
    return eventAt(j, seq).payload();
  }

  static void sql(Journals j, String sql) throws Exception {
    try (Connection c = j.db.connection()) {
      c.createStatement().executeUpdate(sql);
    }
  }
}
