package jp.kofu.gateway.auth;

import jp.kofu.gateway.error.JournalUnavailable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import jp.kofu.storage.Database;

/**
 * Failed card authentications, counted per card across the whole cluster, in the journal's
 * database but not in its chain (see {@link AuthStore}). Each method is one transaction; a
 * failure is counted under a row lock, so two gateways recording at once both count. Throws
 * JOURNAL_UNAVAILABLE when the database fails.
 */
public final class CardFailures {
  private final Database db;

  public CardFailures(Database db) {
    this.db = db;
  }

  static java.time.OffsetDateTime ts(Instant instant) {
    return instant.atOffset(java.time.ZoneOffset.UTC);
  }

  /** Until when the card is locked out, if it is at {@code now}. */
  public Optional<Instant> lockedUntil(String cardKey, Instant now) {
    return standing(cardKey, now).lockedUntil();
  }

  /**
   * What the journal records of a card at {@code now}, in one read: whether any failure (or a
   * lockout) is recorded at all, and until when the card is locked out, if it is.
   */
  public Standing standing(String cardKey, Instant now) {
    try (Connection c = db.connection();
        PreparedStatement s = c.prepareStatement("SELECT locked_until FROM card_auth_failure WHERE card_key = ?")) {
      s.setString(1, cardKey);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          return Standing.CLEAN;
        }
        OffsetDateTime t = rs.getObject(1, OffsetDateTime.class);
        return new Standing(true, t != null && t.toInstant().isAfter(now) ? Optional.of(t.toInstant()) : Optional.empty());
      }
    } catch (SQLException e) {
      throw JournalUnavailable.of(e);
    }
  }

  /** A card's record: {@code recorded} false when the journal holds nothing for it. */
  public record Standing(boolean recorded, Optional<Instant> lockedUntil) {
    static final Standing CLEAN = new Standing(false, Optional.empty());
  }

  /**
   * Counts one failure. When it is the {@code limit}-th within {@code window}, the card is locked
   * out for {@code lockout} and the end of the lockout is returned.
   */
  public Optional<Instant> recordFailure(String cardKey, Instant at, int limit, Duration window, Duration lockout) {
    // Databases keep microseconds and may round up: compare in milliseconds, as stored.
    Instant now = at.truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    for (int attempt = 0; ; attempt++) {
      try {
        return db.inTransaction(
            c -> {
              int failures;
              Instant windowStart;
              try (PreparedStatement s =
                  c.prepareStatement("SELECT failures, window_start FROM card_auth_failure WHERE card_key = ? FOR UPDATE")) {
                s.setString(1, cardKey);
                try (ResultSet rs = s.executeQuery()) {
                  if (!rs.next()) {
                    try (PreparedStatement i =
                        c.prepareStatement("INSERT INTO card_auth_failure (card_key, failures, window_start) VALUES (?, 0, ?)")) {
                      i.setString(1, cardKey);
                      i.setObject(2, ts(now));
                      i.executeUpdate();
                    }
                    failures = 0;
                    windowStart = now;
                  } else {
                    failures = rs.getInt(1);
                    windowStart = rs.getObject(2, OffsetDateTime.class).toInstant();
                  }
                }
              }
              if (!now.isBefore(windowStart.plus(window)) || now.isBefore(windowStart)) {
                failures = 0;
                windowStart = now;
              }
              failures++;
              Instant lockedUntil = failures >= limit ? now.plus(lockout) : null;
              try (PreparedStatement u =
                  c.prepareStatement(
                      "UPDATE card_auth_failure SET failures = ?, window_start = ?, locked_until = ? WHERE card_key = ?")) {
                // A lockout starts a fresh count: after it, the card gets `limit` tries again.
                u.setInt(1, lockedUntil == null ? failures : 0);
                u.setObject(2, ts(lockedUntil == null ? windowStart : lockedUntil));
                u.setObject(3, lockedUntil == null ? null : ts(lockedUntil));
                u.setString(4, cardKey);
                u.executeUpdate();
              }
              return Optional.ofNullable(lockedUntil);
            });
      } catch (SQLException e) {
        // Two gateways inserting the first failure of a card at once: one wins, the other counts again.
        if (Database.isUniqueViolation(e) && attempt < 3) {
          continue;
        }
        throw JournalUnavailable.of(e);
      }
    }
  }

  /** A successful authentication: the count starts again. */
  public void clear(String cardKey) {
    try (Connection c = db.connection();
        PreparedStatement s = c.prepareStatement("DELETE FROM card_auth_failure WHERE card_key = ?")) {
      s.setString(1, cardKey);
      s.executeUpdate();
    } catch (SQLException e) {
      throw JournalUnavailable.of(e);
    }
  }

  /** Forgets counts whose window and lockout are both over. */
  public int purge(Instant now, Duration window) {
    try (Connection c = db.connection();
        PreparedStatement s =
            c.prepareStatement(
                "DELETE FROM card_auth_failure WHERE window_start < ? AND (locked_until IS NULL OR locked_until < ?)")) {
      s.setObject(1, ts(now.minus(window)));
      s.setObject(2, ts(now));
      return s.executeUpdate();
    } catch (SQLException e) {
      throw JournalUnavailable.of(e);
    }
  }
}
