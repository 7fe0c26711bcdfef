package jp.kofu.gateway.journal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;

/**
 * One event of the journal's chain, as stored.
 *
 * @param payload canonical JSON of what the event says (no personal data)
 * @param hash HMAC of the previous hash and of this event (see {@code JournalChain})
 */
public record JournalEvent(
    long seq, String issuanceId, EventKind kind, Instant occurredAt, String payload, String prevHash, String hash) {

  static final String COLUMNS = "seq, issuance_id, kind, occurred_at, payload, prev_hash, hash";

  /** The payload's fields. */
  public Map<String, Object> fields() {
    return JournalChain.parse(payload);
  }

  static JournalEvent read(ResultSet rs) throws SQLException {
    return new JournalEvent(
        rs.getLong("seq"),
        rs.getString("issuance_id"),
        EventKind.valueOf(rs.getString("kind")),
        IssuanceRow.instant(rs, "occurred_at"),
        rs.getString("payload"),
        rs.getString("prev_hash"),
        rs.getString("hash"));
  }
}
