package jp.kofu.gateway.journal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import jp.kofu.gateway.error.KofuException;
import jp.kofu.proto.type.v1.Reason;
import jp.kofu.storage.Database;

/**
 * The journal's operations. Every method is one transaction; every state change is a
 * compare-and-set on the row's state (and the working attempt), so two gateways racing on one
 * order cannot both win. Throws {@link KofuException} JOURNAL_UNAVAILABLE when the database fails.
 */
public final class IssuanceJournal {
  public static final String MIGRATIONS = "classpath:db/journal";

  private static final String COLUMNS =
      "issuance_id, order_id, order_digest, card_key, session_id, store_chain, store, terminal, municipality_code,"
          + " relation, certificate_type, copies, state, attempt_id, attempt_started_at, refusal_reason,"
          + " fee_per_copy_yen, fee_yen, refunded_yen, document_sha256, binding, page_count, byte_size,"
          + " verification_code, print_failure, ordered_at, issued_at, settled_at";

  private final Database db;

  public IssuanceJournal(Database db) {
    this.db = db;
  }

  public Database database() {
    return db;
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
    try (Connection c = db.connection();
        PreparedStatement s = c.prepareStatement("SELECT 1 FROM session_closed WHERE session_id = ?")) {
      s.setString(1, sessionId);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next();
      }
    } catch (SQLException e) {
      throw JournalUnavailableException.of(e);
    }
  }

  /** Forgets challenges and closed sessions past their expiry: they can no longer be presented. */
  public int purgeExpired(Instant now) {
    try (Connection c = db.connection();
        PreparedStatement a = c.prepareStatement("DELETE FROM challenge_use WHERE expires_at < ?");
        PreparedStatement b = c.prepareStatement("DELETE FROM session_closed WHERE expires_at < ?")) {
      a.setObject(1, ts(now));
      b.setObject(1, ts(now));
      return a.executeUpdate() + b.executeUpdate();
    } catch (SQLException e) {
      throw JournalUnavailableException.of(e);
    }
  }

  /** The outcome of {@link #begin}: a new order this attempt owns, or the order as it already was. */
  public record Begin(Issuance issuance, boolean created) {}

  /**
   * Journals a new order in state ORDERED, owned by {@code attemptId}; or, when the order id is
   * already known, returns the existing record untouched.
   */
  public Begin begin(NewOrder order, String attemptId, Instant now) {
    try (Connection c = db.connection();
        PreparedStatement s =
            c.prepareStatement(
                "INSERT INTO issuance (issuance_id, order_id, order_digest, card_key, session_id, store_chain, store,"
                    + " terminal, municipality_code, relation, certificate_type, copies, state, attempt_id,"
                    + " attempt_started_at, binding, ordered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'ORDERED', ?, ?, ?, ?)")) {
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
   */
  public boolean claim(String issuanceId, String staleAttempt, String attemptId, Instant now) {
    String sql =
        "UPDATE issuance SET attempt_id = ?, attempt_started_at = ?, state = 'ORDERED', refusal_reason = NULL"
            + " WHERE issuance_id = ? AND state IN ('ORDERED', 'REFUSED') AND "
            + (staleAttempt == null ? "attempt_id IS NULL" : "attempt_id = ?");
    try (Connection c = db.connection();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, attemptId);
      s.setObject(2, ts(now));
      s.setString(3, issuanceId);
      if (staleAttempt != null) {
        s.setString(4, staleAttempt);
      }
      return s.executeUpdate() == 1;
    } catch (SQLException e) {
      throw JournalUnavailableException.of(e);
    }
  }

  /**
   * ORDERED → ISSUED with the verified document, in one transaction. False if this attempt no
   * longer owns the issuance (another took over); then nothing was written.
   */
  public boolean markIssued(String issuanceId, String attemptId, IssuedFacts facts, byte[] pdf, Instant now) {
    try {
      return db.inTransaction(
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
            return true;
          });
    } catch (SQLException e) {
      throw JournalUnavailableException.of(e);
    }
  }

  /** ORDERED → REFUSED, keeping the true reason. False if this attempt no longer owns it. */
  public boolean markRefused(String issuanceId, String attemptId, String reason, Instant now) {
    try (Connection c = db.connection();
        PreparedStatement s =
            c.prepareStatement(
                "UPDATE issuance SET state = 'REFUSED', attempt_id = NULL, refusal_reason = ?, settled_at = ?"
                    + " WHERE issuance_id = ? AND state = 'ORDERED' AND attempt_id = ?")) {
      s.setString(1, reason);
      s.setObject(2, ts(now));
      s.setString(3, issuanceId);
      s.setString(4, attemptId);
      return s.executeUpdate() == 1;
    } catch (SQLException e) {
      throw JournalUnavailableException.of(e);
    }
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
    try (Connection c = db.connection();
        PreparedStatement s = c.prepareStatement("SELECT pdf FROM issuance_document WHERE issuance_id = ?")) {
      s.setString(1, issuanceId);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw JournalUnavailableException.of(e);
    }
  }

  /** What a delivery confirmation settled. */
  public record Settlement(IssuanceState state, int refundedYen) {}

  /**
   * ISSUED → DELIVERED (printed) or VOIDED (failed, refunded), deleting the held document. The same
   * outcome again returns the same settlement; another outcome is ISSUANCE_ALREADY_FINAL.
   */
  public Settlement settle(String issuanceId, String cardKey, boolean printed, String failure, Instant now) {
    try {
      return db.inTransaction(
          c -> {
            Issuance row;
            try (PreparedStatement s =
                c.prepareStatement("SELECT " + COLUMNS + " FROM issuance WHERE issuance_id = ? FOR UPDATE")) {
              s.setString(1, issuanceId);
              try (ResultSet rs = s.executeQuery()) {
                row = rs.next() ? read(rs) : null;
              }
            }
            if (row == null || !row.cardKey().equals(cardKey)
                || row.state() == IssuanceState.ORDERED || row.state() == IssuanceState.REFUSED) {
              throw new KofuException(Reason.ISSUANCE_NOT_FOUND, "issuance_id: no issued document of this card has this id");
            }
            IssuanceState target = printed ? IssuanceState.DELIVERED : IssuanceState.VOIDED;
            if (row.state().settled()) {
              if (row.state() == target) {
                return new Settlement(row.state(), row.refundedYen() == null ? 0 : row.refundedYen());
              }
              throw new KofuException(Reason.ISSUANCE_ALREADY_FINAL, "issuance already " + row.state());
            }
            int refund = printed ? 0 : row.feeYen();
            try (PreparedStatement s =
                c.prepareStatement(
                    "UPDATE issuance SET state = ?, refunded_yen = ?, print_failure = ?, settled_at = ?"
                        + " WHERE issuance_id = ? AND state = 'ISSUED'")) {
              s.setString(1, target.name());
              s.setInt(2, refund);
              s.setString(3, failure);
              s.setObject(4, ts(now));
              s.setString(5, issuanceId);
              s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement("DELETE FROM issuance_document WHERE issuance_id = ?")) {
              s.setString(1, issuanceId);
              s.executeUpdate();
            }
            return new Settlement(target, refund);
          });
    } catch (SQLException e) {
      throw JournalUnavailableException.of(e);
    }
  }

  private Optional<Issuance> one(String sql, String key) {
    try (Connection c = db.connection();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, key);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(read(rs)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw JournalUnavailableException.of(e);
    }
  }

  private static Issuance read(ResultSet rs) throws SQLException {
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
        instant(rs, "settled_at"));
  }

  private static Integer integer(ResultSet rs, String column) throws SQLException {
    int v = rs.getInt(column);
    return rs.wasNull() ? null : v;
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  static OffsetDateTime ts(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }

}
