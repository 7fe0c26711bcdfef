package jp.kofu.gateway.journal;

import jp.kofu.gateway.error.JournalUnavailable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Checks that the journal is what its gateways wrote: the event chain is whole (no event edited,
 * deleted, inserted or moved; the head matches its end; it still passes through an anchor recorded
 * earlier), every issuance record is exactly what its events say (so an edited or deleted record
 * is found too), every transition was a legal one, and documents are held exactly while an
 * issuance is ISSUED. Reads one consistent snapshot, streaming, in constant memory.
 */
public final class JournalAudit {
  /** Past this many findings the audit stops listing them: the journal is not intact anyway. */
  static final int MAX_FINDINGS = 1000;

  private final IssuanceJournal journal;

  public JournalAudit(IssuanceJournal journal) {
    this.journal = journal;
  }

  /** One thing found wrong: where (an event's seq or an issuance id) and what. */
  public record Finding(String where, String what) {
    @Override
    public String toString() {
      return where + ": " + what;
    }
  }

  /** What the audit saw. Intact when it found nothing. */
  public record Report(long events, long issuances, IssuanceJournal.Head head, List<Finding> findings, boolean truncated) {
    public boolean intact() {
      return findings.isEmpty();
    }
  }

  /**
   * @param anchor a head recorded earlier (e.g. printed by a previous audit or settlement), or null
   */
  public Report verify(IssuanceJournal.Head anchor) {
    Findings findings = new Findings();
    try (Connection c = journal.database().connection()) {
      c.setAutoCommit(false);
      c.setReadOnly(true);
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      try {
        IssuanceJournal.Head head = readHead(c);
        long events = verifyChain(c, head, anchor, findings);
        long issuances = verifyRecords(c, findings);
        verifyDocuments(c, findings);
        return new Report(events, issuances, head, List.copyOf(findings.list), findings.truncated);
      } finally {
        c.rollback();
      }
    } catch (SQLException e) {
      throw JournalUnavailable.of(e);
    }
  }

  private static IssuanceJournal.Head readHead(Connection c) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT seq, hash FROM journal_head WHERE id = 1");
        ResultSet rs = s.executeQuery()) {
      return rs.next() ? new IssuanceJournal.Head(rs.getLong(1), rs.getString(2)) : new IssuanceJournal.Head(-1, "");
    }
  }

  private long verifyChain(Connection c, IssuanceJournal.Head head, IssuanceJournal.Head anchor, Findings findings)
      throws SQLException {
    JournalChain chain = journal.chain();
    long expected = 1;
    String prev = JournalChain.GENESIS;
    long count = 0;
    boolean anchorSeen = false;
    try (PreparedStatement s = c.prepareStatement("SELECT " + JournalEvent.COLUMNS + " FROM journal_event ORDER BY seq")) {
      s.setFetchSize(1000);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          count++;
          long seq = rs.getLong("seq");
          String at = String.valueOf(IssuanceRow.instant(rs, "occurred_at"));
          String prevHash = rs.getString("prev_hash");
          String hash = rs.getString("hash");
          if (seq != expected) {
            findings.add(range(expected, seq - 1), "missing from the chain (deleted)");
          }
          if (!Objects.equals(prevHash, prev)) {
            findings.add("seq " + seq, "does not follow the event before it (an event was deleted, inserted or moved)");
          }
          if (!chain.verifies(
              hash, prevHash, seq, rs.getString("issuance_id"), rs.getString("kind"), IssuanceRow.instant(rs, "occurred_at"), rs.getString("payload"))) {
            findings.add("seq " + seq, "contents do not match its hash (edited or moved); occurred " + at);
          }
          if (anchor != null && seq == anchor.seq()) {
            anchorSeen = true;
            if (!hash.equals(anchor.hash())) {
              findings.add("anchor " + anchor, "the chain no longer passes through this recorded head (history rewritten)");
            }
          }
          prev = hash;
          expected = seq + 1;
        }
      }
    }
    long last = expected - 1;
    if (head.seq() != last || !head.hash().equals(prev)) {
      findings.add(
          "head",
          head.seq() > last
              ? "says seq " + head.seq() + " but the chain ends at " + last + " (its last events were deleted)"
              : "says seq " + head.seq() + " but the chain ends at " + last + " (the head was edited)");
    }
    if (anchor != null && anchor.seq() == 0) {
      // The empty journal's head: every chain starts there.
      anchorSeen = true;
      if (!anchor.hash().equals(JournalChain.GENESIS)) {
        findings.add("anchor " + anchor, "seq 0 is the empty journal, whose hash is " + JournalChain.GENESIS);
      }
    }
    if (anchor != null && !anchorSeen) {
      findings.add("anchor " + anchor, "no event has this seq any more (the chain was truncated)");
    }
    return count;
  }

  private static String range(long from, long to) {
    return from == to ? "seq " + from : "seq " + from + ".." + to;
  }

  /** Merges events (by issuance, in order) with the records, both sorted by issuance id. */
  private long verifyRecords(Connection c, Findings findings) throws SQLException {
    long count = 0;
    try (PreparedStatement es =
            c.prepareStatement("SELECT " + JournalEvent.COLUMNS + " FROM journal_event ORDER BY issuance_id, seq");
        PreparedStatement is = c.prepareStatement("SELECT " + IssuanceRow.NAMES + " FROM issuance ORDER BY issuance_id")) {
      es.setFetchSize(1000);
      is.setFetchSize(1000);
      try (ResultSet events = es.executeQuery();
          ResultSet records = is.executeQuery()) {
        boolean moreEvents = events.next();
        boolean moreRecords = records.next();
        while (moreEvents || moreRecords) {
          String eventId = moreEvents ? events.getString("issuance_id") : null;
          String recordId = moreRecords ? records.getString("issuance_id") : null;
          int order = eventId == null ? 1 : recordId == null ? -1 : eventId.compareTo(recordId);
          if (order < 0) {
            Expected e = new Expected(eventId);
            moreEvents = fold(events, e, findings);
            findings.add("issuance " + eventId, "has journal events but no record (deleted)");
          } else if (order > 0) {
            count++;
            findings.add("issuance " + recordId, "has a record but no journal events (inserted behind the journal's back)");
            moreRecords = records.next();
          } else {
            count++;
            Expected e = new Expected(eventId);
            moreEvents = fold(events, e, findings);
            compare(e, IssuanceRow.read(records), findings);
            moreRecords = records.next();
          }
        }
      }
    }
    return count;
  }

  /** Folds every event of {@code e}'s issuance; returns whether events remain after them. */
  private static boolean fold(ResultSet rs, Expected e, Findings findings) throws SQLException {
    boolean more = true;
    while (more && rs.getString("issuance_id").equals(e.issuanceId)) {
      e.apply(rs.getLong("seq"), rs.getString("kind"), IssuanceRow.instant(rs, "occurred_at"), rs.getString("payload"), findings);
      more = rs.next();
    }
    return more;
  }

  private static void compare(Expected e, Issuance r, Findings findings) {
    Map<String, Object> actual = IssuanceRow.audited(r);
    List<String> differ = new ArrayList<>();
    actual.forEach(
        (field, value) -> {
          if (!Objects.equals(text(e.fields.get(field)), text(value))) {
            differ.add(field);
          }
        });
    if (!differ.isEmpty()) {
      findings.add("issuance " + r.issuanceId(), "record differs from its journal events in " + String.join(", ", differ) + " (edited)");
    }
  }

  private static String text(Object o) {
    return o == null ? null : o.toString();
  }

  private static void verifyDocuments(Connection c, Findings findings) throws SQLException {
    try (PreparedStatement s =
            c.prepareStatement(
                "SELECT d.issuance_id, d.pdf, i.state, i.document_sha256 FROM issuance_document d"
                    + " LEFT JOIN issuance i ON i.issuance_id = d.issuance_id ORDER BY d.issuance_id");
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        String id = rs.getString(1);
        if (IssuanceState.ORDERED.name().equals(rs.getString(3))) {
          // Staged by the attempt working on it, before its ISSUED transition: not yet held.
          continue;
        }
        if (!IssuanceState.ISSUED.name().equals(rs.getString(3))) {
          findings.add("issuance " + id, "holds a document but is " + rs.getString(3) + " (documents are kept only while ORDERED (staged) or ISSUED)");
        } else if (!Digest.ofHex(rs.getString(4).strip()).isSha256Of(rs.getBytes(2))) {
          findings.add("issuance " + id, "its held document does not match its SHA-256 (edited)");
        }
      }
    }
    try (PreparedStatement s =
            c.prepareStatement(
                "SELECT i.issuance_id FROM issuance i WHERE i.state = 'ISSUED'"
                    + " AND NOT EXISTS (SELECT 1 FROM issuance_document d WHERE d.issuance_id = i.issuance_id)");
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        findings.add("issuance " + rs.getString(1), "is ISSUED without its document (half-written)");
      }
    }
  }

  private static final class Findings {
    final List<Finding> list = new ArrayList<>();
    boolean truncated;

    void add(String where, String what) {
      if (list.size() < MAX_FINDINGS) {
        list.add(new Finding(where, what));
      } else {
        truncated = true;
      }
    }
  }

  /** An issuance as its events say it must be, built by replaying them through the state machine. */
  private static final class Expected {
    final String issuanceId;
    final Map<String, Object> fields = new LinkedHashMap<>();
    IssuanceState state;
    String checkedSha256;

    Expected(String issuanceId) {
      this.issuanceId = issuanceId;
    }

    void apply(long seq, String kind, Instant at, String payload, Findings findings) {
      Map<String, Object> p;
      EventKind k;
      try {
        p = JournalChain.parse(payload);
        k = EventKind.valueOf(kind);
      } catch (IllegalArgumentException e) {
        findings.add("seq " + seq, "unreadable event " + kind);
        return;
      }
      IssuanceState before = state;
      boolean legal =
          switch (k) {
            case ORDERED -> {
              boolean first = state == null;
              fields.putAll(p);
              fields.put("ordered_at", at);
              state = IssuanceState.ORDERED;
              yield first;
            }
            case CLAIMED -> {
              boolean ok = state == IssuanceState.ORDERED || state == IssuanceState.REFUSED;
              state = IssuanceState.ORDERED;
              fields.remove("refusal_reason");
              fields.remove("settled_at");
              yield ok;
            }
            case BINDING_CHECKED -> {
              checkedSha256 = (String) p.get("document_sha256");
              yield state == IssuanceState.ORDERED
                  && Objects.equals(p.get("binding"), fields.get("binding"))
                  && Objects.equals(p.get("signer_municipality_code"), fields.get("municipality_code"));
            }
            case BINDING_CHECK_FAILED -> state == IssuanceState.ORDERED;
            case ISSUED -> {
              // A document is issued only right after it passed the check.
              if (state == IssuanceState.ORDERED && !Objects.equals(checkedSha256, p.get("document_sha256"))) {
                findings.add("seq " + seq, "ISSUED without a passed binding check of its document just before it, for issuance " + issuanceId);
              }
              boolean ok = state == IssuanceState.ORDERED;
              fields.putAll(p);
              fields.put("issued_at", at);
              state = IssuanceState.ISSUED;
              yield ok;
            }
            case REFUSED -> {
              boolean ok = state == IssuanceState.ORDERED;
              fields.put("refusal_reason", p.get("reason"));
              fields.put("settled_at", at);
              state = IssuanceState.REFUSED;
              yield ok;
            }
            case REPLAYED -> state == IssuanceState.ISSUED;
            case DELIVERED -> {
              boolean ok = state == IssuanceState.ISSUED;
              fields.put("refunded_yen", 0);
              fields.put("settled_at", at);
              state = IssuanceState.DELIVERED;
              yield ok;
            }
            case VOIDED -> {
              boolean ok =
                  state == IssuanceState.ISSUED
                      || (state == IssuanceState.ORDERED && VoidReason.ABANDONED.name().equals(p.get("void_reason")));
              fields.putAll(p);
              fields.put("settled_at", at);
              state = IssuanceState.VOIDED;
              yield ok;
            }
          };
      if (!legal) {
        findings.add("seq " + seq, k + " cannot follow " + (before == null ? "nothing" : before) + " for issuance " + issuanceId);
      }
      if (k != EventKind.BINDING_CHECKED) {
        checkedSha256 = null;
      }
      fields.put("state", state == null ? null : state.name());
    }
  }
}
