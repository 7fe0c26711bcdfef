package jp.kofu.gateway.journal;

import java.sql.SQLException;
import jp.kofu.gateway.error.KofuException;
import jp.kofu.proto.type.v1.Reason;

/** The journal cannot be read or written: nothing may be issued or charged. */
final class JournalUnavailableException {
  private JournalUnavailableException() {}

  static KofuException of(SQLException e) {
    return new KofuException(Reason.JOURNAL_UNAVAILABLE, "journal unavailable (SQLSTATE " + e.getSQLState() + ")");
  }
}
