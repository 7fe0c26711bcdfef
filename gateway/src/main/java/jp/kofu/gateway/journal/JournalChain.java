package jp.kofu.gateway.journal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import jp.kofu.gateway.auth.Hmac;
import jp.kofu.storage.Database;

/**
 * The hash chain over the journal's events. Each event's hash is an HMAC, under a key derived from
 * the cluster secret, of the previous event's hash and of everything the event says, so that
 * someone who can write to the database but does not hold the secret cannot rebuild the chain
 * after changing it.
 */
final class JournalChain {
  static final String GENESIS = "0".repeat(64);

  /** SQLSTATE for "retry the whole transaction", the same on H2 and PostgreSQL. */
  static final String SERIALIZATION_FAILURE = "40001";

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  private final Hmac key;
  private final java.util.List<Hmac> previous;

  JournalChain(Hmac key) {
    this(key, java.util.List.of());
  }

  /** Appends under {@code key}; events written under a {@code previous} key still verify. */
  JournalChain(Hmac key, java.util.List<Hmac> previous) {
    this.key = key;
    this.previous = java.util.List.copyOf(previous);
  }

  /** An event to append: what a transition says, before the chain gives it its place. */
  record Event(String issuanceId, EventKind kind, Instant at, Map<String, ?> payload) {}

  /**
   * Appends {@code events} in order, as the last thing the caller's transaction writes: it locks
   * the head once for all of them (a batch of many issuances costs one lock, one head update),
   * and holding that lock while doing anything slow would stall every gateway of the cluster.
   *
   * @return the sequence number of the last event
   */
  long appendAll(Connection c, java.util.List<Event> events) throws SQLException {
    long seq;
    String prev;
    // FOR UPDATE: a second appender waits here until the first commits, then reads its head
    // (PostgreSQL re-reads the locked row at READ COMMITTED; H2 2.x returns the committed row).
    try (PreparedStatement s = c.prepareStatement("SELECT seq, hash FROM journal_head WHERE id = 1 FOR UPDATE");
        ResultSet rs = s.executeQuery()) {
      if (!rs.next()) {
        throw new SQLException("journal_head is missing", "XX000");
      }
      seq = rs.getLong(1);
      prev = rs.getString(2);
    }
    long first = seq + 1;
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO journal_event (seq, issuance_id, kind, occurred_at, payload, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      for (Event e : events) {
        seq++;
        String body = canonical(e.payload());
        String hash = hash(prev, seq, e.issuanceId(), e.kind().name(), e.at(), body);
        s.setLong(1, seq);
        s.setString(2, e.issuanceId());
        s.setString(3, e.kind().name());
        s.setObject(4, IssuanceRow.ts(e.at()));
        s.setString(5, body);
        s.setString(6, prev);
        s.setString(7, hash);
        s.addBatch();
        prev = hash;
      }
      s.executeBatch();
    } catch (SQLException e) {
      if (Database.isUniqueViolation(e)) {
        // Another append took these seqs: the head lock did not serialize us. Never expected, but
        // if it happens the whole transaction is retried rather than failing the copier.
        throw new SQLException("journal chain contention at seq " + first, SERIALIZATION_FAILURE, e);
      }
      throw e;
    }
    try (PreparedStatement s = c.prepareStatement("UPDATE journal_head SET seq = ?, hash = ? WHERE id = 1 AND seq = ?")) {
      s.setLong(1, seq);
      s.setString(2, prev);
      s.setLong(3, first - 1);
      if (s.executeUpdate() != 1) {
        throw new SQLException("journal chain contention at seq " + first, SERIALIZATION_FAILURE);
      }
    }
    return seq;
  }

  /** The hash an event must carry. */
  String hash(String prevHash, long seq, String issuanceId, String kind, Instant at, String payload) {
    return hash(key, prevHash, seq, issuanceId, kind, at, payload);
  }

  /** Whether {@code hash} is the event's, under the current key or one of the previous ones. */
  boolean verifies(String hash, String prevHash, long seq, String issuanceId, String kind, Instant at, String payload) {
    if (hash(prevHash, seq, issuanceId, kind, at, payload).equals(hash)) {
      return true;
    }
    for (Hmac k : previous) {
      if (hash(k, prevHash, seq, issuanceId, kind, at, payload).equals(hash)) {
        return true;
      }
    }
    return false;
  }

  private static String hash(Hmac key, String prevHash, long seq, String issuanceId, String kind, Instant at, String payload) {
    // Newlines separate fields none of which can contain one (the JSON escapes its own).
    String text = prevHash + "\n" + seq + "\n" + issuanceId + "\n" + kind + "\n" + at + "\n" + payload;
    return HexFormat.of().formatHex(key.mac(text.getBytes(StandardCharsets.UTF_8)));
  }

  /** Sorted keys, no nulls, no whitespace: the same map always gives the same text. */
  static String canonical(Map<String, ?> payload) {
    Map<String, Object> sorted = new TreeMap<>();
    payload.forEach(
        (k, v) -> {
          if (v != null) {
            sorted.put(k, v);
          }
        });
    try {
      return JSON.writeValueAsString(sorted);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("payload: not serializable", e);
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> parse(String payload) {
    try {
      return JSON.readValue(payload, Map.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("payload: not JSON", e);
    }
  }
}
