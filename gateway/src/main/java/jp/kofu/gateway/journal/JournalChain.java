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

  /** A head of the chain: its last event's seq and hash. */
  private record Head(long seq, String hash) {}

  /**
   * The head as this journal's last append left it: usually still the head (one appender per
   * gateway), so that an append can move it without reading it first. Stale when another gateway
   * appended since, or when that append's transaction did not commit: then the head's UPDATE,
   * conditional on this seq and hash, changes nothing and the append reads the head after all.
   */
  private volatile Head known;

  /**
   * Appends {@code events} in order, as the last thing the caller's transaction writes: it locks
   * the head once for all of them (a batch of many issuances costs one lock, one head update),
   * and holding that lock while doing anything slow would stall every gateway of the cluster.
   *
   * <p>Two statements when the head is where this journal's last append left it: the head's
   * UPDATE (conditional on that seq and hash; it takes the head's lock, and on PostgreSQL an
   * UPDATE that waited for another transaction's lock checks its condition against the row that
   * one committed) and the events' batched INSERT. Otherwise the head is read {@code FOR UPDATE} first. Whatever
   * the engine does, two appends can never both chain from one head: the second's events would
   * collide on {@code seq} (the primary key), and its transaction is retried.
   *
   * @return the sequence number of the last event
   */
  long appendAll(Connection c, java.util.List<Event> events) throws SQLException {
    Head from = known;
    known = null;
    Chained chained = null;
    if (from != null) {
      chained = chain(from, events);
      if (!moveHead(c, from, chained.head())) {
        chained = null;
      }
    }
    if (chained == null) {
      // FOR UPDATE: a second appender waits here until the first commits, then reads its head
      // (PostgreSQL re-reads the locked row at READ COMMITTED; H2 2.x returns the committed row).
      try (PreparedStatement s = c.prepareStatement("SELECT seq, hash FROM journal_head WHERE id = 1 FOR UPDATE");
          ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          throw new SQLException("journal_head is missing", "XX000");
        }
        from = new Head(rs.getLong(1), rs.getString(2));
      }
      chained = chain(from, events);
      if (!moveHead(c, from, chained.head())) {
        throw new SQLException("journal chain contention at seq " + (from.seq() + 1), SERIALIZATION_FAILURE);
      }
    }
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO journal_event (seq, issuance_id, kind, occurred_at, payload, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      for (Row r : chained.rows()) {
        s.setLong(1, r.seq());
        s.setString(2, r.event().issuanceId());
        s.setString(3, r.event().kind().name());
        s.setObject(4, IssuanceRow.ts(r.event().at()));
        s.setString(5, r.body());
        s.setString(6, r.prev());
        s.setString(7, r.hash());
        s.addBatch();
      }
      s.executeBatch();
    } catch (SQLException e) {
      if (Database.isUniqueViolation(e)) {
        // Another append took these seqs: the head lock did not serialize us. Never expected, but
        // if it happens the whole transaction is retried rather than failing the copier.
        throw new SQLException("journal chain contention at seq " + (from.seq() + 1), SERIALIZATION_FAILURE, e);
      }
      throw e;
    }
    known = chained.head();
    return chained.head().seq();
  }

  private record Row(long seq, Event event, String body, String prev, String hash) {}

  private record Chained(java.util.List<Row> rows, Head head) {}

  private Chained chain(Head from, java.util.List<Event> events) {
    java.util.List<Row> rows = new java.util.ArrayList<>(events.size());
    long seq = from.seq();
    String prev = from.hash();
    for (Event e : events) {
      seq++;
      String body = canonical(e.payload());
      String hash = hash(prev, seq, e.issuanceId(), e.kind().name(), e.at(), body);
      rows.add(new Row(seq, e, body, prev, hash));
      prev = hash;
    }
    return new Chained(rows, new Head(seq, prev));
  }

  /** Moves the head from {@code from} to {@code to}; false if it is not at {@code from}. */
  private static boolean moveHead(Connection c, Head from, Head to) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("UPDATE journal_head SET seq = ?, hash = ? WHERE id = 1 AND seq = ? AND hash = ?")) {
      s.setLong(1, to.seq());
      s.setString(2, to.hash());
      s.setLong(3, from.seq());
      s.setString(4, from.hash());
      return s.executeUpdate() == 1;
    }
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
