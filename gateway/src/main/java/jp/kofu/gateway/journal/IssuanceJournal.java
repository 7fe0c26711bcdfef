package jp.kofu.gateway.journal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jp.kofu.gateway.auth.Hmac;
import jp.kofu.gateway.error.KofuException;
import jp.kofu.proto.type.v1.Reason;
import jp.kofu.storage.Database;

/**
 * The journal's operations. Every method is one transaction; every state change is a
 * compare-and-set on the row's state (and the working attempt), so two gateways racing on one
 * order cannot both win, and every state change appends its event to the hash chain in that same
 * transaction, so the record and its history can never disagree. Throws {@link KofuException}
 * JOURNAL_UNAVAILABLE when the database fails.
 *
 * <p>Times are kept to the microsecond (what PostgreSQL stores), so that what is read back is
 * exactly what was chained.
 */
public final class IssuanceJournal {
  public static final String MIGRATIONS = "classpath:db/journal";

  /** Transactions that lost a race for a lock are retried this many times in all. */
  private static final int MAX_TRIES = 5;

  private static final int MAX_PROBLEM_CHARS = 200;

  static final String COLUMNS =
      "issuance_id, order_id, order_digest, card_key, session_id, store_chain, store, terminal, municipality_code,"
          + " relation, certificate_type, copies, state, attempt_id, attempt_started_at, refusal_reason,"
          + " fee_per_copy_yen, fee_yen, refunded_yen, document_sha256, binding, page_count, byte_size,"
          + " verification_code, print_failure, ordered_at, issued_at, settled_at, void_reason";

  private final Database db;
  private final JournalChain chain;
  private final GroupSync sync;

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
    this.sync = new GroupSync(db);
  }

  /** A journal keyed by the journal keyring: its current key writes, every key of it audits. */
  public IssuanceJournal(Database db, jp.kofu.gateway.auth.Keyring journalKeys) {
    this(db, chainKey(journalKeys.current().secret()), journalKeys.previousHmacs("journal-chain"));
  }

  /**
   * A journal for what needs no chain key: reading records, and spending challenges and closing
   * sessions (not chained: they expire). Changing an issuance throws IllegalStateException: only
   * holders of the cluster secret write the chain.
   */
  public IssuanceJournal(Database db) {
    this.db = db;
    this.chain = null;
    this.sync = new GroupSync(db);
  }

  /** The chain key derived from the cluster secret. */
  public static Hmac chainKey(byte[] clusterSecret) {
    return new Hmac(clusterSecret, "journal-chain");
  }

  public Database database() {
    return db;
  }

  /**
   * How many times this journal forced the embedded database's file to disk (0 on PostgreSQL,
   * whose commits sync themselves): divided by the issuances, what group commit achieves.
   */
  public long syncs() {
    return sync.syncs();
  }

  JournalChain chain() {
    if (chain == null) {
      throw new IllegalStateException("this journal was opened without the chain key: it can read, not change, issuances");
    }
    return chain;
  }

  /** Records a challenge's use; false if it was used before (on any gateway). */
  public boolean consumeChallenge(String challengeId, Instant expiresAt) {
    try (Connection c = db.connection();
        PreparedStatement s = c.prepareStatement("INSERT INTO challenge_use (challenge_id, expires_at) VALUES (?, ?)")) {
      s.setString(1, challengeId);
      s.setObject(2, ts(expiresAt));
      s.executeUpdate();
      return true;
    } catch (SQLException e) {
      if (Database.isUniqueViolation(e)) {
        return false;
      }
      throw JournalUnavailableException.of(e);
    }
  }

  public void closeSession(String sessionId, Instant expiresAt) {
    try (Connection c = db.connection();
        PreparedStatement s = c.prepareStatement("INSERT INTO session_closed (session_id, expires_at) VALUES (?, ?)")) {
      s.setString(1, sessionId);
      s.setObject(2, ts(expiresAt));
      s.executeUpdate();
    } catch (SQLException e) {
      if (!Database.isUniqueViolation(e)) {
        throw JournalUnavailableException.of(e);
      }
    }
  }

  public boolean isSessionClosed(String sessionId) {
    return reading(() -> db.first("SELECT 1 FROM session_closed WHERE session_id = ?", rs -> true, sessionId).isPresent());
  }


  /** Forgets challenges and closed sessions past their expiry: they can no longer be presented. */
  public int purgeExpired(Instant now) {
    return reading(
        () ->
            db.update("DELETE FROM challenge_use WHERE expires_at < ?", ts(now))
                + db.update("DELETE FROM session_closed WHERE expires_at < ?", ts(now)));
  }


  /** The outcome of {@link #begin}: a new order this attempt owns, or the order as it already was. */
  public record Begin(Issuance issuance, boolean created) {}

  /**
   * Journals a new order in state ORDERED, owned by {@code attemptId}; or, when the order id is
   * already known, returns the existing record untouched.
   *
   * <p>Committed, but not waited for on disk: nothing is charged or told to the copier on an
   * order, and the ISSUED or REFUSED transaction that follows is synced, and with it everything
   * committed before (a power cut before then forgets the order, which a retry journals anew).
   */
  public Begin begin(NewOrder order, String attemptId, Instant at) {
    Instant now = micros(at);
    // A retried order is common (a copier that lost a response): read first, and only insert a
    // new order. The unique order id still settles a race between two first attempts.
    Optional<Issuance> known = findByOrder(order.orderId());
    if (known.isPresent()) {
      return new Begin(known.get(), false);
    }
    try {
      writeUnsynced(
          c -> {
            try (PreparedStatement s =
                c.prepareStatement(
                    "INSERT INTO issuance (issuance_id, order_id, order_digest, card_key, session_id, store_chain, store,"
                        + " terminal, municipality_code, relation, certificate_type, copies, state, attempt_id,"
                        + " attempt_started_at, binding, ordered_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'ORDERED', ?, ?, ?, ?)")) {
              int i = 1;
              s.setString(i++, order.issuanceId());
              s.setString(i++, order.orderId());
              s.setString(i++, order.orderDigest());
              s.setString(i++, order.cardKey());
              s.setString(i++, order.sessionId());
              s.setString(i++, order.storeChain());
              s.setString(i++, order.store());
              s.setString(i++, order.terminal());
              s.setString(i++, order.municipalityCode());
              s.setString(i++, order.relation());
              s.setString(i++, order.certificateType());
              s.setInt(i++, order.copies());
              s.setString(i++, attemptId);
              s.setObject(i++, ts(now));
              s.setString(i++, order.binding());
              s.setObject(i++, ts(now));
              s.executeUpdate();
            }
            chain().append(c, order.issuanceId(), EventKind.ORDERED, now, JournalEvents.ordered(order));
            return null;
          });
    } catch (SQLException e) {
      if (!Database.isUniqueViolation(e)) {
        throw JournalUnavailableException.of(e);
      }
      return new Begin(findByOrder(order.orderId()).orElseThrow(() -> JournalUnavailableException.of(e)), false);
    }
    return new Begin(find(order.issuanceId()).orElseThrow(), true);
  }

  /**
   * Takes over an ORDERED (or REFUSED) issuance that no attempt is working on, or whose attempt
   * {@code staleAttempt} has died. True if this attempt now owns it.
   *
   * <p>Only a change the audit can see is chained: a REFUSED order made ORDERED again, or a dead
   * attempt taken over ({@link EventKind#CLAIMED}). Taking up an ORDERED order that its last
   * attempt released (the municipality failed) changes only who works on it, so retries of one
   * order during an outage do not grow the chain. Not waited for on disk, like {@link #begin}.
   */
  public boolean claim(String issuanceId, String staleAttempt, String attemptId, Instant at) {
    Instant now = micros(at);
    String owner = staleAttempt == null ? "attempt_id IS NULL" : "attempt_id = ?";
    return transactUnsynced(
        c -> {
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
          chain().append(c, issuanceId, EventKind.CLAIMED, now, Map.of("took_over_dead_attempt", staleAttempt != null));
          return true;
        });
  }

  private static boolean take(Connection c, String sql, String issuanceId, String staleAttempt, String attemptId, Instant now)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, attemptId);
      s.setObject(2, ts(now));
      s.setString(3, issuanceId);
      if (staleAttempt != null) {
        s.setString(4, staleAttempt);
      }
      return s.executeUpdate() == 1;
    }
  }

  /**
   * ORDERED → ISSUED with the document, in one transaction that also journals that the document
   * passed the binding check ({@link EventKind#BINDING_CHECKED}): call it only with a document
   * that did. False if this attempt no longer owns the issuance (another took over); then nothing
   * was written.
   */
  public boolean markIssued(String issuanceId, String attemptId, IssuedFacts facts, byte[] pdf, Instant at) {
    Instant now = micros(at);
    return transact(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "UPDATE issuance SET state = 'ISSUED', attempt_id = NULL, fee_per_copy_yen = ?, fee_yen = ?,"
                      + " document_sha256 = ?, page_count = ?, byte_size = ?, verification_code = ?, issued_at = ?"
                      + " WHERE issuance_id = ? AND state = 'ORDERED' AND attempt_id = ?")) {
            int i = 1;
            s.setInt(i++, facts.feePerCopyYen());
            s.setInt(i++, facts.feeYen());
            s.setString(i++, facts.documentSha256());
            s.setInt(i++, facts.pageCount());
            s.setInt(i++, facts.byteSize());
            if (facts.verificationCode() == null) {
              s.setNull(i++, Types.VARCHAR);
            } else {
              s.setString(i++, facts.verificationCode());
            }
            s.setObject(i++, ts(now));
            s.setString(i++, issuanceId);
            s.setString(i++, attemptId);
            if (s.executeUpdate() != 1) {
              return false;
            }
          }
          try (PreparedStatement s = c.prepareStatement("INSERT INTO issuance_document (issuance_id, pdf) VALUES (?, ?)")) {
            s.setString(1, issuanceId);
            s.setBytes(2, pdf);
            s.executeUpdate();
          }
          Map<String, Object> checked = new LinkedHashMap<>();
          checked.put("document_sha256", facts.documentSha256());
          try (PreparedStatement s = c.prepareStatement("SELECT binding, municipality_code FROM issuance WHERE issuance_id = ?")) {
            s.setString(1, issuanceId);
            try (ResultSet rs = s.executeQuery()) {
              rs.next();
              checked.put("binding", rs.getString(1));
              checked.put("signer_municipality_code", rs.getString(2));
            }
          }
          chain().append(c, issuanceId, EventKind.BINDING_CHECKED, now, checked);
          chain().append(c, issuanceId, EventKind.ISSUED, now, JournalEvents.issued(facts));
          return true;
        });
  }

  /** ORDERED → REFUSED, keeping the true reason. False if this attempt no longer owns it. */
  public boolean markRefused(String issuanceId, String attemptId, String reason, Instant at) {
    return refuse(issuanceId, attemptId, reason, null, null, micros(at));
  }

  /**
   * ORDERED → REFUSED because the municipality's document failed the binding check: journals the
   * failure (what was wrong, and the discarded document's digest) and the refusal together. False
   * if this attempt no longer owns the issuance.
   */
  public boolean markBindingCheckFailed(String issuanceId, String attemptId, String problem, String documentSha256, Instant at) {
    return refuse(issuanceId, attemptId, Reason.DOCUMENT_BINDING_MISMATCH.name(), problem, documentSha256, micros(at));
  }

  private boolean refuse(String issuanceId, String attemptId, String reason, String problem, String documentSha256, Instant now) {
    return transact(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "UPDATE issuance SET state = 'REFUSED', attempt_id = NULL, refusal_reason = ?, settled_at = ?"
                      + " WHERE issuance_id = ? AND state = 'ORDERED' AND attempt_id = ?")) {
            s.setString(1, reason);
            s.setObject(2, ts(now));
            s.setString(3, issuanceId);
            s.setString(4, attemptId);
            if (s.executeUpdate() != 1) {
              return false;
            }
          }
          if (problem != null) {
            Map<String, Object> failed = new LinkedHashMap<>();
            failed.put("problem", problem.length() > MAX_PROBLEM_CHARS ? problem.substring(0, MAX_PROBLEM_CHARS) : problem);
            failed.put("document_sha256", documentSha256);
            chain().append(c, issuanceId, EventKind.BINDING_CHECK_FAILED, now, failed);
          }
          chain().append(c, issuanceId, EventKind.REFUSED, now, Map.of("reason", reason));
          return true;
        });
  }

  /** Gives the issuance up (the municipality failed or timed out): a retry may claim it at once. */
  public void release(String issuanceId, String attemptId) {
    try (Connection c = db.connection();
        PreparedStatement s =
            c.prepareStatement("UPDATE issuance SET attempt_id = NULL WHERE issuance_id = ? AND attempt_id = ?")) {
      s.setString(1, issuanceId);
      s.setString(2, attemptId);
      s.executeUpdate();
    } catch (SQLException e) {
      throw JournalUnavailableException.of(e);
    }
  }

  /**
   * The held document of an ISSUED issuance, for a retried order; journals that it was sent
   * again. Empty when the issuance is no longer ISSUED (its delivery was settled meanwhile).
   */
  public Optional<byte[]> replay(String issuanceId, String sessionId, Instant at) {
    Instant now = micros(at);
    return transact(
        c -> {
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
          chain().append(c, issuanceId, EventKind.REPLAYED, now, Map.of("session_id", sessionId));
          return Optional.of(pdf);
        });
  }

  public Optional<Issuance> find(String issuanceId) {
    return one("SELECT " + COLUMNS + " FROM issuance WHERE issuance_id = ?", issuanceId);
  }

  public Optional<Issuance> findByOrder(String orderId) {
    return one("SELECT " + COLUMNS + " FROM issuance WHERE order_id = ?", orderId);
  }

  /** The issuance whose document carries this verification code (kofu.verify.v1). */
  public Optional<Issuance> findByVerificationCode(String code) {
    return one("SELECT " + COLUMNS + " FROM issuance WHERE verification_code = ?", code);
  }

  /** The held PDF of an ISSUED issuance. */
  public Optional<byte[]> document(String issuanceId) {
    return reading(() -> db.first("SELECT pdf FROM issuance_document WHERE issuance_id = ?", rs -> rs.getBytes(1), issuanceId));
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


  /** What a delivery confirmation settled. */
  public record Settlement(IssuanceState state, int refundedYen) {}

  /**
   * ISSUED → DELIVERED (printed) or VOIDED (failed, refunded), deleting the held document. The same
   * outcome again returns the same settlement; another outcome is ISSUANCE_ALREADY_FINAL (also
   * when reconciliation voided the issuance first).
   */
  public Settlement settle(String issuanceId, String cardKey, boolean printed, String failure, Instant at) {
    Instant now = micros(at);
    return transact(
        c -> {
          Issuance row;
          try (PreparedStatement s =
              c.prepareStatement("SELECT " + COLUMNS + " FROM issuance WHERE issuance_id = ? FOR UPDATE")) {
            s.setString(1, issuanceId);
            try (ResultSet rs = s.executeQuery()) {
              row = rs.next() ? read(rs) : null;
            }
          }
          if (row == null || !row.cardKey().equals(cardKey) || row.issuedAt() == null) {
            throw new KofuException(Reason.ISSUANCE_NOT_FOUND, "issuance_id: no issued document of this card has this id");
          }
          IssuanceState target = printed ? IssuanceState.DELIVERED : IssuanceState.VOIDED;
          if (row.state().settled()) {
            if (row.state() == target) {
              return new Settlement(row.state(), row.refundedYen() == null ? 0 : row.refundedYen());
            }
            if (row.voidReason() == VoidReason.UNCONFIRMED) {
              throw new KofuException(
                  Reason.ISSUANCE_ALREADY_FINAL, "issuance was voided and refunded: it was not confirmed in time");
            }
            throw new KofuException(Reason.ISSUANCE_ALREADY_FINAL, "issuance already " + row.state());
          }
          int refund = printed ? 0 : row.feeYen();
          VoidReason why = printed ? null : VoidReason.PRINT_FAILED;
          try (PreparedStatement s =
              c.prepareStatement(
                  "UPDATE issuance SET state = ?, refunded_yen = ?, print_failure = ?, void_reason = ?, settled_at = ?"
                      + " WHERE issuance_id = ? AND state = 'ISSUED'")) {
            s.setString(1, target.name());
            s.setInt(2, refund);
            s.setString(3, failure);
            s.setString(4, why == null ? null : why.name());
            s.setObject(5, ts(now));
            s.setString(6, issuanceId);
            s.executeUpdate();
          }
          deleteDocument(c, issuanceId);
          if (printed) {
            chain().append(c, issuanceId, EventKind.DELIVERED, now, Map.of());
          } else {
            chain().append(c, issuanceId, EventKind.VOIDED, now, JournalEvents.voided(refund, why, failure));
          }
          return new Settlement(target, refund);
        });
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
    Instant now = micros(at);
    return transact(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "UPDATE issuance SET state = 'VOIDED', refunded_yen = fee_yen, void_reason = 'UNCONFIRMED', settled_at = ?"
                      + " WHERE issuance_id = ? AND state = 'ISSUED' AND issued_at < ?")) {
            s.setObject(1, ts(now));
            s.setString(2, issuanceId);
            s.setObject(3, ts(cutoff));
            if (s.executeUpdate() != 1) {
              return false;
            }
          }
          int refund;
          try (PreparedStatement s = c.prepareStatement("SELECT refunded_yen FROM issuance WHERE issuance_id = ?")) {
            s.setString(1, issuanceId);
            try (ResultSet rs = s.executeQuery()) {
              rs.next();
              refund = rs.getInt(1);
            }
          }
          deleteDocument(c, issuanceId);
          chain().append(c, issuanceId, EventKind.VOIDED, now, JournalEvents.voided(refund, VoidReason.UNCONFIRMED, null));
          return true;
        });
  }

  /**
   * ORDERED → VOIDED (ABANDONED), nothing charged, if no attempt has started on it since
   * {@code cutoff}. False when an attempt got there first.
   */
  public boolean voidAbandoned(String issuanceId, Instant cutoff, Instant at) {
    Instant now = micros(at);
    return transact(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "UPDATE issuance SET state = 'VOIDED', attempt_id = NULL, refunded_yen = 0, void_reason = 'ABANDONED',"
                      + " settled_at = ? WHERE issuance_id = ? AND state = 'ORDERED'"
                      + " AND COALESCE(attempt_started_at, ordered_at) < ?")) {
            s.setObject(1, ts(now));
            s.setString(2, issuanceId);
            s.setObject(3, ts(cutoff));
            if (s.executeUpdate() != 1) {
              return false;
            }
          }
          chain().append(c, issuanceId, EventKind.VOIDED, now, JournalEvents.voided(0, VoidReason.ABANDONED, null));
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
    return reading(() -> db.list(sql, rs -> rs.getString(1), ts(cutoff), limit));
  }


  /**
   * A transaction that writes, on disk before it returns (so before anyone is told of it);
   * JOURNAL_UNAVAILABLE when it cannot be done.
   */
  private <T> T transact(Database.Work<T> work) {
    try {
      T result = write(work);
      sync.awaitDurable();
      return result;
    } catch (SQLException e) {
      throw JournalUnavailableException.of(e);
    }
  }

  /** A transaction that writes, committed but not waited for on disk. */
  private <T> T transactUnsynced(Database.Work<T> work) {
    try {
      return writeUnsynced(work);
    } catch (SQLException e) {
      throw JournalUnavailableException.of(e);
    }
  }

  /**
   * Runs {@code work} as {@link #write} does, without waiting for the disk. On PostgreSQL that is
   * {@code synchronous_commit} off for this transaction alone: its commit returns before its WAL
   * is flushed, and the next synchronous commit flushes it too (the WAL is written in order), just
   * as the next group sync covers it on H2.
   */
  private <T> T writeUnsynced(Database.Work<T> work) throws SQLException {
    if (db.dialect() != Database.Dialect.POSTGRESQL) {
      return write(work);
    }
    return write(
        c -> {
          try (java.sql.Statement s = c.createStatement()) {
            s.execute("SET LOCAL synchronous_commit TO OFF");
          }
          return work.run(c);
        });
  }

  /**
   * Runs {@code work} in a transaction, again when it lost a race for a lock (a deadlock victim,
   * a lock wait past H2's timeout, or the chain head taken): the work is all-or-nothing, so a
   * retry is safe, and the copier sees no error for what was only contention.
   */
  private <T> T write(Database.Work<T> work) throws SQLException {
    for (int attempt = 1; ; attempt++) {
      try {
        return db.inTransaction(work);
      } catch (SQLException e) {
        if (attempt >= MAX_TRIES || !retryable(e)) {
          throw e;
        }
      }
    }
  }

  private static boolean retryable(SQLException e) {
    String state = e.getSQLState();
    // 40001 serialization failure (H2's deadlock too), 40P01 PostgreSQL's deadlock, HYT00 H2's
    // lock timeout.
    return JournalChain.SERIALIZATION_FAILURE.equals(state) || "40P01".equals(state) || "HYT00".equals(state);
  }

  private Optional<Issuance> one(String sql, String key) {
    return reading(() -> db.first(sql, IssuanceJournal::read, key));
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
      throw JournalUnavailableException.of(e);
    }
  }


  static Issuance read(ResultSet rs) throws SQLException {
    String voidReason = rs.getString("void_reason");
    return new Issuance(
        rs.getString("issuance_id"),
        rs.getString("order_id"),
        rs.getString("order_digest"),
        rs.getString("card_key"),
        rs.getString("session_id"),
        rs.getString("store_chain"),
        rs.getString("store"),
        rs.getString("terminal"),
        rs.getString("municipality_code"),
        rs.getString("relation"),
        rs.getString("certificate_type"),
        rs.getInt("copies"),
        IssuanceState.valueOf(rs.getString("state")),
        rs.getString("attempt_id"),
        instant(rs, "attempt_started_at"),
        rs.getString("refusal_reason"),
        integer(rs, "fee_per_copy_yen"),
        integer(rs, "fee_yen"),
        integer(rs, "refunded_yen"),
        rs.getString("document_sha256"),
        rs.getString("binding"),
        integer(rs, "page_count"),
        integer(rs, "byte_size"),
        rs.getString("verification_code"),
        rs.getString("print_failure"),
        instant(rs, "ordered_at"),
        instant(rs, "issued_at"),
        instant(rs, "settled_at"),
        voidReason == null ? null : VoidReason.valueOf(voidReason));
  }

  static Integer integer(ResultSet rs, String column) throws SQLException {
    int v = rs.getInt(column);
    return rs.wasNull() ? null : v;
  }

  static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  static OffsetDateTime ts(Instant instant) {
    return micros(instant).atOffset(ZoneOffset.UTC);
  }

  static Instant micros(Instant instant) {
    return instant.truncatedTo(ChronoUnit.MICROS);
  }
}
