package jp.kofu.gateway.journal;

import jp.kofu.gateway.error.JournalUnavailable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jp.kofu.gateway.auth.Hmac;
import jp.kofu.proto.type.v1.Reason;
import jp.kofu.storage.Database;

/**
 * The journal of issuances, and only of them. Every state change is a compare-and-set on the
 * row's state (and the working attempt), so two gateways racing on one order cannot both win, and
 * appends its events to the hash chain in the same transaction, so the record and its history can
 * never disagree. The transaction is a batch of this gateway's transitions ({@link GroupCommit}:
 * one commit, one lock of the chain head and one sync for many issuances); a method returns once
 * its batch is committed, and on disk when the copier will be told of it. Methods return what they
 * wrote or found (outcomes, never a copier-facing refusal): the issuance service decides what the
 * copier is told. Throws JOURNAL_UNAVAILABLE ({@link JournalUnavailable}) when the database fails.
 *
 * <p>Times are kept to the microsecond (what PostgreSQL stores), so that what is read back is
 * exactly what was chained.
 */
public final class IssuanceJournal {
  public static final String MIGRATIONS = "classpath:db/journal";

  private static final int MAX_PROBLEM_CHARS = 200;

  private final Database db;
  private final JournalChain chain;
  private final GroupCommit commits;

  /**
   * @param chainKey keys the event chain; every gateway of a cluster and the auditor use the same
   *     one (see {@link #chainKey})
   */
  public IssuanceJournal(Database db, Hmac chainKey) {
    this(db, chainKey, java.util.List.of());
  }

  /**
   * @param chainKey keys new events
   * @param previousChainKeys keys events written before the journal key was rotated (they still
   *     audit)
   */
  public IssuanceJournal(Database db, Hmac chainKey, java.util.List<Hmac> previousChainKeys) {
    this.db = db;
    this.chain = new JournalChain(java.util.Objects.requireNonNull(chainKey, "chainKey"), previousChainKeys);
    this.commits = new GroupCommit(db, chain);
  }

  /** A journal keyed by the journal keyring: its current key writes, every key of it audits. */
  public IssuanceJournal(Database db, jp.kofu.gateway.auth.Keyring journalKeys) {
    this(db, chainKey(journalKeys.current().secret()), journalKeys.previousHmacs("journal-chain"));
  }

  /**
   * A journal for what needs no chain key: reading records. Changing an issuance throws
   * IllegalStateException: only holders of the cluster secret write the chain.
   */
  public IssuanceJournal(Database db) {
    this.db = db;
    this.chain = null;
    this.commits = null;
  }

  /** The chain key derived from the cluster secret. */
  public static Hmac chainKey(byte[] clusterSecret) {
    return new Hmac(clusterSecret, "journal-chain");
  }

  public Database database() {
    return db;
  }

  /**
   * How many syncs this journal ran (H2: forced syncs of its file; PostgreSQL: WAL flush
   * barriers): divided by the issuances, what group commit achieves.
   */
  public long syncs() {
    return commits == null ? 0 : commits.syncs();
  }

  /** Batches the group commit committed, and the transitions in them (for the benchmark). */
  public long batches() {
    return commits == null ? 0 : commits.batches();
  }

  public long transitions() {
    return commits == null ? 0 : commits.transitions();
  }

  JournalChain chain() {
    if (chain == null) {
      throw new IllegalStateException("this journal was opened without the chain key: it can read, not change, issuances");
    }
    return chain;
  }

  /** The outcome of {@link #begin}: a new order this attempt owns, or the order as it already was. */
  public record Begin(Issuance issuance, boolean created) {}

  /**
   * Journals a new order in state ORDERED, owned by {@code attemptId}, and returns it as written;
   * or, when the order id is already known, returns the existing record untouched.
   *
   * <p>Committed, but not waited for on disk: nothing is charged or told to the copier on an
   * order, and the ISSUED or REFUSED transaction that follows is synced, and with it everything
   * committed before (a power cut before then forgets the order, which a retry journals anew).
   */
  public Begin begin(Issuance.Order order, String attemptId, Instant at) {
    Issuance fresh = Issuance.ordered(order, attemptId, IssuanceRow.micros(at));
    // The unique order id settles a race between two first attempts: the loser inserts nothing
    // (no error, so nothing else of a transaction is lost) and reads the winner's record.
    boolean created =
        transactUnsynced(
            (c, events) -> {
              try (PreparedStatement s = c.prepareStatement(IssuanceRow.INSERT + " ON CONFLICT DO NOTHING")) {
                IssuanceRow.bindAll(s, fresh);
                if (s.executeUpdate() != 1) {
                  return false;
                }
              }
              events.add(new JournalChain.Event(order.issuanceId(), EventKind.ORDERED, fresh.orderedAt(), IssuanceRow.payload(fresh, IssuanceRow.Part.ORDER)));
              return true;
            });
    if (created) {
      return new Begin(fresh, true);
    }
    return new Begin(findByOrder(order.orderId()).orElseThrow(() -> new IllegalStateException("order " + order.orderId() + " conflicted but is not journaled")), false);
  }

  /**
   * Takes over an ORDERED (or REFUSED) issuance that no attempt is working on ({@code seen} has no
   * attempt id), or whose attempt {@code seen.attemptId()} has died; returns it as this attempt
   * now owns it, or empty if another attempt got there first.
   *
   * <p>Only a change the audit can see is chained: a REFUSED order made ORDERED again, or a dead
   * attempt taken over ({@link EventKind#CLAIMED}). Taking up an ORDERED order that its last
   * attempt released (the municipality failed) changes only who works on it, so retries of one
   * order during an outage do not grow the chain. Not waited for on disk, like {@link #begin}.
   */
  public Optional<Issuance> claim(Issuance seen, String attemptId, Instant at) {
    Instant now = IssuanceRow.micros(at);
    String staleAttempt = seen.attemptId();
    String issuanceId = seen.issuanceId();
    String owner = staleAttempt == null ? "attempt_id IS NULL" : "attempt_id = ?";
    Issuance claimed = new Issuance(seen.order(), seen.orderedAt(), IssuanceState.ORDERED, new Issuance.Attempt(attemptId, now), null, null);
    boolean won =
        transactUnsynced(
            (c, events) -> {
              if (staleAttempt == null
                  && take(c, "UPDATE issuance SET attempt_id = ?, attempt_started_at = ? WHERE issuance_id = ? AND state = 'ORDERED' AND " + owner, issuanceId, null, attemptId, now)) {
                return true;
              }
              if (!take(
                  c,
                  "UPDATE issuance SET attempt_id = ?, attempt_started_at = ?, state = 'ORDERED', refusal_reason = NULL, settled_at = NULL"
                      + " WHERE issuance_id = ? AND state IN ('ORDERED', 'REFUSED') AND " + owner,
                  issuanceId,
                  staleAttempt,
                  attemptId,
                  now)) {
                return false;
              }
              events.add(new JournalChain.Event(issuanceId, EventKind.CLAIMED, now, Map.of("took_over_dead_attempt", staleAttempt != null)));
              return true;
            });
    return won ? Optional.of(claimed) : Optional.empty();
  }

  private static boolean take(Connection c, String sql, String issuanceId, String staleAttempt, String attemptId, Instant now)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, attemptId);
      s.setObject(2, IssuanceRow.ts(now));
      s.setString(3, issuanceId);
      if (staleAttempt != null) {
        s.setString(4, staleAttempt);
      }
      return s.executeUpdate() == 1;
    }
  }

  /** The columns ORDERED → ISSUED writes. */
  private static final List<IssuanceRow.Column> ISSUING = IssuanceRow.of(IssuanceRow.Part.STATE, IssuanceRow.Part.ATTEMPT, IssuanceRow.Part.ISSUED);

  private static final String MARK_ISSUED =
      "UPDATE issuance SET " + IssuanceRow.assignments(ISSUING) + " WHERE issuance_id = ? AND state = 'ORDERED' AND attempt_id = ?"
          + " AND EXISTS (SELECT 1 FROM issuance_document WHERE issuance_id = ? AND attempt_id = ?)";

  /** Whether the attempt of {@code owned} still owns its ORDERED issuance. */
  private static boolean owns(Connection c, Issuance owned) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM issuance WHERE issuance_id = ? AND state = 'ORDERED' AND attempt_id = ?")) {
      s.setString(1, owned.issuanceId());
      s.setString(2, owned.attemptId());
      try (ResultSet rs = s.executeQuery()) {
        return rs.next();
      }
    }
  }

  /**
   * ORDERED → ISSUED with the document, in one transaction that also journals that the document
   * passed the binding check ({@link EventKind#BINDING_CHECKED}): call it only with a document
   * that did. {@code owned} is the record as this attempt owns it (from {@link #begin} or {@link
   * #claim}); returns it as issued, or empty if this attempt no longer owns the issuance (another
   * took over), and then nothing was written.
   */
  public Optional<Issuance> markIssued(Issuance owned, IssuedFacts facts, byte[] pdf, Instant at) {
    Issuance issued = owned.issued(facts, IssuanceRow.micros(at));
    String issuanceId = owned.issuanceId();
    // The document first, outside the chained transition and on this thread: the batch then
    // carries no document, and the sync that makes ISSUED durable covers it (committed before).
    if (!stage(owned, pdf)) {
      return Optional.empty();
    }
    boolean won =
        transact(
            (c, events) -> {
              // One statement: the compare-and-set, and that this attempt's document is still
              // there (only an attempt that owns the order replaces one).
              try (PreparedStatement s = c.prepareStatement(MARK_ISSUED)) {
                int next = IssuanceRow.bind(s, 1, ISSUING, issued);
                s.setString(next++, issuanceId);
                s.setString(next++, owned.attemptId());
                s.setString(next++, issuanceId);
                s.setString(next, owned.attemptId());
                if (s.executeUpdate() != 1) {
                  if (owns(c, owned)) {
                    throw new SQLException("issuance " + issuanceId + ": the issuing attempt's document is gone", "XX001");
                  }
                  return false;
                }
              }
              Map<String, Object> checked = new LinkedHashMap<>();
              checked.put("document_sha256", facts.documentSha256().hex());
              checked.put("binding", owned.order().binding().hex());
              checked.put("signer_municipality_code", owned.order().municipalityCode());
              events.add(new JournalChain.Event(issuanceId, EventKind.BINDING_CHECKED, issued.issuedAt(), checked));
              events.add(new JournalChain.Event(issuanceId, EventKind.ISSUED, issued.issuedAt(), IssuanceRow.payload(issued, IssuanceRow.Part.ISSUED)));
              return true;
            });
    if (!won) {
      reading(() -> db.update("DELETE FROM issuance_document WHERE issuance_id = ? AND attempt_id = ?", issuanceId, owned.attemptId()));
      return Optional.empty();
    }
    return Optional.of(issued);
  }

  /**
   * Holds {@code pdf} as the document of the order {@code owned}'s attempt still owns, replacing a
   * document staged by an attempt that died; false if the order is no longer this attempt's.
   * Committed, not waited for on disk (the ISSUED transition's sync covers it).
   */
  private boolean stage(Issuance owned, byte[] pdf) {
    return stage(owned, pdf, 1);
  }

  private boolean stage(Issuance owned, byte[] pdf, int tries) {
    try {
      db.inTransaction(
          c -> {
            unsynced(c);
            try (PreparedStatement s =
                c.prepareStatement(
                    "DELETE FROM issuance_document WHERE issuance_id = ? AND EXISTS"
                        + " (SELECT 1 FROM issuance WHERE issuance_id = ? AND state = 'ORDERED' AND attempt_id = ?)")) {
              s.setString(1, owned.issuanceId());
              s.setString(2, owned.issuanceId());
              s.setString(3, owned.attemptId());
              s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO issuance_document (issuance_id, attempt_id, pdf) VALUES (?, ?, ?)")) {
              s.setString(1, owned.issuanceId());
              s.setString(2, owned.attemptId());
              s.setBytes(3, pdf);
              s.executeUpdate();
            }
            return null;
          });
      return true;
    } catch (SQLException e) {
      if (Database.isUniqueViolation(e)) {
        // Another attempt's document: held for an order this attempt no longer owns, or written
        // by an attempt that lost the order to this one after this one's DELETE had looked (its
        // INSERT committed in between): then this attempt owns the order and replaces it.
        if (tries < 3 && reading(() -> db.inTransaction(c -> owns(c, owned)))) {
          return stage(owned, pdf, tries + 1);
        }
        return false;
      }
      throw JournalUnavailable.of(e);
    }
  }

  /** This transaction's commit does not wait for the WAL flush (PostgreSQL; H2 never waits). */
  private void unsynced(Connection c) throws SQLException {
    if (db.dialect() == Database.Dialect.POSTGRESQL) {
      try (java.sql.Statement s = c.createStatement()) {
        s.execute("SET LOCAL synchronous_commit TO OFF");
      }
    }
  }

  /** ORDERED → REFUSED, keeping the true reason. False if the attempt of {@code owned} no longer owns it. */
  public boolean markRefused(Issuance owned, String reason, Instant at) {
    return refuse(owned, reason, null, null, IssuanceRow.micros(at));
  }

  /**
   * ORDERED → REFUSED because the municipality's document failed the binding check: journals the
   * failure (what was wrong, and the discarded document's digest) and the refusal together. False
   * if the attempt of {@code owned} no longer owns the issuance.
   */
  public boolean markBindingCheckFailed(Issuance owned, String problem, Digest documentSha256, Instant at) {
    return refuse(owned, Reason.DOCUMENT_BINDING_MISMATCH.name(), problem, documentSha256, IssuanceRow.micros(at));
  }

  private boolean refuse(Issuance owned, String reason, String problem, Digest documentSha256, Instant now) {
    String issuanceId = owned.issuanceId();
    return transact(
        (c, events) -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "UPDATE issuance SET state = 'REFUSED', attempt_id = NULL, refusal_reason = ?, settled_at = ?"
                      + " WHERE issuance_id = ? AND state = 'ORDERED' AND attempt_id = ?")) {
            s.setString(1, reason);
            s.setObject(2, IssuanceRow.ts(now));
            s.setString(3, issuanceId);
            s.setString(4, owned.attemptId());
            if (s.executeUpdate() != 1) {
              return false;
            }
          }
          deleteDocument(c, issuanceId);
          if (problem != null) {
            Map<String, Object> failed = new LinkedHashMap<>();
            failed.put("problem", problem.length() > MAX_PROBLEM_CHARS ? problem.substring(0, MAX_PROBLEM_CHARS) : problem);
            failed.put("document_sha256", documentSha256.hex());
            events.add(new JournalChain.Event(issuanceId, EventKind.BINDING_CHECK_FAILED, now, failed));
          }
          events.add(new JournalChain.Event(issuanceId, EventKind.REFUSED, now, Map.of("reason", reason)));
          return true;
        });
  }

  /** Gives the issuance up (the municipality failed or timed out): a retry may claim it at once. */
  public void release(Issuance owned) {
    reading(() -> db.update("UPDATE issuance SET attempt_id = NULL WHERE issuance_id = ? AND attempt_id = ?", owned.issuanceId(), owned.attemptId()));
  }

  /**
   * The held document of an ISSUED issuance, for a retried order; journals that it was sent
   * again. Empty when the issuance is no longer ISSUED (its delivery was settled meanwhile).
   */
  public Optional<byte[]> replay(String issuanceId, String sessionId, Instant at) {
    Instant now = IssuanceRow.micros(at);
    return transact(
        (c, events) -> {
          try (PreparedStatement s = c.prepareStatement("SELECT state FROM issuance WHERE issuance_id = ? FOR UPDATE")) {
            s.setString(1, issuanceId);
            try (ResultSet rs = s.executeQuery()) {
              if (!rs.next() || !IssuanceState.ISSUED.name().equals(rs.getString(1))) {
                return Optional.empty();
              }
            }
          }
          byte[] pdf;
          try (PreparedStatement s = c.prepareStatement("SELECT pdf FROM issuance_document WHERE issuance_id = ?")) {
            s.setString(1, issuanceId);
            try (ResultSet rs = s.executeQuery()) {
              if (!rs.next()) {
                throw new SQLException("issuance " + issuanceId + " is ISSUED without its document", "XX001");
              }
              pdf = rs.getBytes(1);
            }
          }
          events.add(new JournalChain.Event(issuanceId, EventKind.REPLAYED, now, Map.of("session_id", sessionId)));
          return Optional.of(pdf);
        });
  }

  public Optional<Issuance> find(String issuanceId) {
    return one("SELECT " + IssuanceRow.NAMES + " FROM issuance WHERE issuance_id = ?", issuanceId);
  }

  public Optional<Issuance> findByOrder(String orderId) {
    return one("SELECT " + IssuanceRow.NAMES + " FROM issuance WHERE order_id = ?", orderId);
  }

  /** The issuance whose document carries this verification code (kofu.verify.v1). */
  public Optional<Issuance> findByVerificationCode(String code) {
    return one("SELECT " + IssuanceRow.NAMES + " FROM issuance WHERE verification_code = ?", code);
  }

  /** The held PDF of an ISSUED issuance. */
  public Optional<byte[]> document(String issuanceId) {
    return reading(
        () ->
            db.first(
                "SELECT d.pdf FROM issuance_document d JOIN issuance i ON i.issuance_id = d.issuance_id WHERE d.issuance_id = ? AND i.state = 'ISSUED'",
                rs -> rs.getBytes(1),
                issuanceId));
  }


  /** An issuance's events, oldest first. */
  public List<JournalEvent> events(String issuanceId) {
    return reading(
        () -> db.list("SELECT " + JournalEvent.COLUMNS + " FROM journal_event WHERE issuance_id = ? ORDER BY seq", JournalEvent::read, issuanceId));
  }


  /** The chain's last event: record it elsewhere to prove later that nothing before it changed. */
  public record Head(long seq, String hash) {
    @Override
    public String toString() {
      return seq + ":" + hash;
    }
  }

  public Head head() {
    return reading(() -> db.first("SELECT seq, hash FROM journal_head WHERE id = 1", rs -> new Head(rs.getLong(1), rs.getString(2))).orElseThrow());
  }


  /**
   * What a delivery confirmation came to. The journal says what is so; the service tells the
   * copier (ISSUANCE_NOT_FOUND, ISSUANCE_ALREADY_FINAL), outside any transaction.
   */
  public sealed interface Confirmation permits Settlement, NotIssued, AlreadyFinal {}

  /** Settled by this confirmation, or by an earlier one with the same outcome. */
  public record Settlement(IssuanceState state, int refundedYen) implements Confirmation {}

  /** No issued document of this card has this id. */
  public record NotIssued() implements Confirmation {}

  /** Settled before with the other outcome: {@code state}, and why if it was voided. */
  public record AlreadyFinal(IssuanceState state, VoidReason voidReason) implements Confirmation {}

  /** The columns settling an issuance writes. */
  private static final List<IssuanceRow.Column> SETTLING = IssuanceRow.of(IssuanceRow.Part.STATE, IssuanceRow.Part.ATTEMPT, IssuanceRow.Part.SETTLED);

  private static final String SETTLE = "UPDATE issuance SET " + IssuanceRow.assignments(SETTLING) + " WHERE issuance_id = ? AND state = ?";

  /**
   * ISSUED → DELIVERED (printed) or VOIDED (failed, refunded), deleting the held document. The same
   * outcome again is the same settlement; another outcome finds it {@link AlreadyFinal} (also
   * when reconciliation voided the issuance first).
   */
  public Confirmation settle(String issuanceId, Digest cardKey, boolean printed, String failure, Instant at) {
    Instant now = IssuanceRow.micros(at);
    return transact(
        (c, events) -> {
          if (printed && deliver(c, issuanceId, cardKey, failure, now)) {
            // The common case in one statement: an ISSUED issuance of this card printed.
            deleteDocument(c, issuanceId);
            events.add(new JournalChain.Event(issuanceId, EventKind.DELIVERED, now, Map.of()));
            return new Settlement(IssuanceState.DELIVERED, 0);
          }
          Issuance row = locked(c, issuanceId);
          if (row == null || !row.cardKey().equals(cardKey) || row.issued() == null) {
            return new NotIssued();
          }
          IssuanceState target = printed ? IssuanceState.DELIVERED : IssuanceState.VOIDED;
          if (row.state().settled()) {
            return row.state() == target
                ? new Settlement(row.state(), row.refundedYen() == null ? 0 : row.refundedYen())
                : new AlreadyFinal(row.state(), row.voidReason());
          }
          int refund = printed ? 0 : row.feeYen();
          Issuance settled =
              settle(row, target, new Issuance.Settled(now, null, refund, printed ? null : VoidReason.PRINT_FAILED, failure));
          write(c, settled, IssuanceState.ISSUED);
          events.add(new JournalChain.Event(issuanceId, settled.state() == IssuanceState.DELIVERED ? EventKind.DELIVERED : EventKind.VOIDED, now, voidedPayload(settled)));
          return new Settlement(target, refund);
        });
  }

  /**
   * ISSUED → DELIVERED if the row is ISSUED and the card's, as one conditional UPDATE (no read of
   * the row first): what {@link #write} writes for a delivery — the state and every SETTLED column
   * (nothing refunded, no void reason, the copier's failure text as given), the attempt's columns unchanged. False if the row is not so
   * (then the caller reads it to say why).
   */
  private static boolean deliver(Connection c, String issuanceId, Digest cardKey, String failure, Instant now) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(DELIVER)) {
      s.setString(1, failure);
      s.setObject(2, IssuanceRow.ts(now));
      s.setString(3, issuanceId);
      s.setString(4, cardKey.hex());
      return s.executeUpdate() == 1;
    }
  }

  private static final String DELIVER;

  static {
    // Every column of the SETTLED part, so that a new one is not forgotten here.
    List<String> settledColumns = IssuanceRow.of(IssuanceRow.Part.SETTLED).stream().map(IssuanceRow.Column::name).toList();
    if (!settledColumns.equals(List.of("refusal_reason", "refunded_yen", "void_reason", "print_failure", "settled_at"))) {
      throw new AssertionError("the settled columns changed: " + settledColumns + "; update DELIVER");
    }
    DELIVER =
        "UPDATE issuance SET state = 'DELIVERED', refusal_reason = NULL, refunded_yen = 0, void_reason = NULL, print_failure = ?,"
            + " settled_at = ? WHERE issuance_id = ? AND state = 'ISSUED' AND card_key = ?";
  }

  private static Issuance settle(Issuance row, IssuanceState state, Issuance.Settled how) {
    return new Issuance(row.order(), row.orderedAt(), state, row.attempt(), row.issued(), how);
  }

  /** The state, attempt and settled columns of {@code settled}, if the row is still {@code from}; deletes any held document. */
  private static void write(Connection c, Issuance settled, IssuanceState from) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(SETTLE)) {
      int next = IssuanceRow.bind(s, 1, SETTLING, settled);
      s.setString(next++, settled.issuanceId());
      s.setString(next, from.name());
      if (s.executeUpdate() != 1) {
        throw new SQLException("issuance " + settled.issuanceId() + " changed under its row lock", JournalChain.SERIALIZATION_FAILURE);
      }
    }
    deleteDocument(c, settled.issuanceId());
  }

  /** A DELIVERED event says nothing; a VOIDED one the refund, why, and the copier's failure. */
  private static Map<String, Object> voidedPayload(Issuance settled) {
    return settled.state() == IssuanceState.DELIVERED ? Map.of() : IssuanceRow.payload(settled, IssuanceRow.Part.SETTLED);
  }

  private static Issuance locked(Connection c, String issuanceId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT " + IssuanceRow.NAMES + " FROM issuance WHERE issuance_id = ? FOR UPDATE")) {
      s.setString(1, issuanceId);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? IssuanceRow.read(rs) : null;
      }
    }
  }

  /** ISSUED issuances whose document was issued before {@code cutoff} and never confirmed, oldest first. */
  public List<String> unconfirmedSince(Instant cutoff, int limit) {
    return ids(
        "SELECT issuance_id FROM issuance WHERE state = 'ISSUED' AND issued_at < ? ORDER BY issued_at LIMIT ?", cutoff, limit);
  }

  /** ORDERED issuances whose last attempt started before {@code cutoff}, oldest first. */
  public List<String> abandonedSince(Instant cutoff, int limit) {
    return ids(
        "SELECT issuance_id FROM issuance WHERE state = 'ORDERED' AND COALESCE(attempt_started_at, ordered_at) < ?"
            + " ORDER BY ordered_at LIMIT ?",
        cutoff,
        limit);
  }

  /**
   * ISSUED → VOIDED (UNCONFIRMED) with its fee refunded, if it is still unconfirmed and was issued
   * before {@code cutoff}. False when a confirmation (or another gateway) got there first.
   */
  public boolean voidUnconfirmed(String issuanceId, Instant cutoff, Instant at) {
    Instant now = IssuanceRow.micros(at);
    return transact(
        (c, events) -> {
          Issuance row = locked(c, issuanceId);
          if (row == null || row.state() != IssuanceState.ISSUED || !row.issuedAt().isBefore(cutoff)) {
            return false;
          }
          Issuance voided = settle(row, IssuanceState.VOIDED, new Issuance.Settled(now, null, row.feeYen(), VoidReason.UNCONFIRMED, null));
          write(c, voided, IssuanceState.ISSUED);
          events.add(new JournalChain.Event(issuanceId, EventKind.VOIDED, now, voidedPayload(voided)));
          return true;
        });
  }

  /**
   * ORDERED → VOIDED (ABANDONED), nothing charged, if no attempt has started on it since
   * {@code cutoff}. False when an attempt got there first.
   */
  public boolean voidAbandoned(String issuanceId, Instant cutoff, Instant at) {
    Instant now = IssuanceRow.micros(at);
    return transact(
        (c, events) -> {
          Issuance row = locked(c, issuanceId);
          if (row == null || row.state() != IssuanceState.ORDERED || !row.attempt().startedAt().isBefore(cutoff)) {
            return false;
          }
          Issuance voided =
              new Issuance(
                  row.order(), row.orderedAt(), IssuanceState.VOIDED, new Issuance.Attempt(null, row.attempt().startedAt()), null,
                  new Issuance.Settled(now, null, 0, VoidReason.ABANDONED, null));
          write(c, voided, IssuanceState.ORDERED);
          events.add(new JournalChain.Event(issuanceId, EventKind.VOIDED, now, voidedPayload(voided)));
          return true;
        });
  }

  private static void deleteDocument(Connection c, String issuanceId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("DELETE FROM issuance_document WHERE issuance_id = ?")) {
      s.setString(1, issuanceId);
      s.executeUpdate();
    }
  }

  private List<String> ids(String sql, Instant cutoff, int limit) {
    return reading(() -> db.list(sql, rs -> rs.getString(1), IssuanceRow.ts(cutoff), limit));
  }


  /**
   * A chained transition, committed by the group commit and on disk before it returns (so before
   * anyone is told of it); JOURNAL_UNAVAILABLE when it cannot be done.
   */
  private <T> T transact(GroupCommit.Work<T> work) {
    return commit(work, true);
  }

  /** A chained transition, committed by the group commit but not waited for on disk. */
  private <T> T transactUnsynced(GroupCommit.Work<T> work) {
    return commit(work, false);
  }

  private <T> T commit(GroupCommit.Work<T> work, boolean durable) {
    chain();
    try {
      return commits.run(work, durable);
    } catch (SQLException e) {
      throw JournalUnavailable.of(e);
    }
  }

  private Optional<Issuance> one(String sql, String key) {
    return reading(() -> db.first(sql, IssuanceRow::read, key));
  }

  @FunctionalInterface
  private interface Read<T> {
    T run() throws SQLException;
  }

  /** A read (or a write outside the chain): the journal failing means nothing may be decided on it. */
  private static <T> T reading(Read<T> work) {
    try {
      return work.run();
    } catch (SQLException e) {
      throw JournalUnavailable.of(e);
    }
  }
}
