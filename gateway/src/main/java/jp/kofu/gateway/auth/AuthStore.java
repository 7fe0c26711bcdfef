package jp.kofu.gateway.auth;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import jp.kofu.gateway.error.JournalUnavailable;
import jp.kofu.storage.Database;

/**
 * What authentication remembers across the cluster: spent challenges, closed sessions, and failed
 * card authentications ({@link #lockouts()}). It lives in the journal's database (every gateway of
 * a cluster shares that one) but is no part of the issuance journal: nothing here is chained or
 * charged, and everything expires within minutes. Each write is one statement of its own,
 * committed but not waited for on disk: a power cut may forget the last spent challenges or
 * closed sessions, which can then be presented again until they expire, never an issuance or a
 * fee be lost. Throws JOURNAL_UNAVAILABLE when the database fails.
 */
public final class AuthStore {
  private final Database db;
  private final CardFailures lockouts;

  public AuthStore(Database db) {
    this.db = java.util.Objects.requireNonNull(db, "db");
    this.lockouts = new CardFailures(db);
  }

  /** Failed authentications per card, for {@link CardLockout}. */
  public CardFailures lockouts() {
    return lockouts;
  }

  /** Records a challenge's use; false if it was used before (on any gateway). */
  public boolean spendChallenge(String challengeId, Instant expiresAt) {
    return insertOnce("INSERT INTO challenge_use (challenge_id, expires_at) VALUES (?, ?)", challengeId, expiresAt);
  }

  /** Closes a session on every gateway until it would have expired; false if it was closed before. */
  public boolean closeSession(String sessionId, Instant expiresAt) {
    return insertOnce("INSERT INTO session_closed (session_id, expires_at) VALUES (?, ?)", sessionId, expiresAt);
  }

  public boolean isSessionClosed(String sessionId) {
    try (Connection c = db.connection();
        PreparedStatement s = c.prepareStatement("SELECT 1 FROM session_closed WHERE session_id = ?")) {
      s.setString(1, sessionId);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next();
      }
    } catch (SQLException e) {
      throw JournalUnavailable.of(e);
    }
  }

  /** Forgets challenges and closed sessions past their expiry: they can no longer be presented. */
  public int purgeExpired(Instant now) {
    try {
      return db.update("DELETE FROM challenge_use WHERE expires_at < ?", CardFailures.ts(now))
          + db.update("DELETE FROM session_closed WHERE expires_at < ?", CardFailures.ts(now));
    } catch (SQLException e) {
      throw JournalUnavailable.of(e);
    }
  }

  /** True if the row was inserted, false if its key was already there. */
  private boolean insertOnce(String sql, String key, Instant expiresAt) {
    try (Connection c = db.connection();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, key);
      s.setObject(2, CardFailures.ts(expiresAt));
      s.executeUpdate();
      return true;
    } catch (SQLException e) {
      if (Database.isUniqueViolation(e)) {
        return false;
      }
      throw JournalUnavailable.of(e);
    }
  }
}
