package jp.kofu.gateway.journal;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import jp.kofu.gateway.error.KofuException;
import jp.kofu.proto.type.v1.Reason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The journal cannot be read or written: nothing may be issued or charged. */
final class JournalUnavailableException {
  private static final Logger log = LoggerFactory.getLogger(JournalUnavailableException.class);

  private JournalUnavailableException() {}

  /**
   * The copier's error, and a log line for the operator: the SQLSTATE and the kind of failure.
   * The driver's message is logged only for connection failures (SQLSTATE class 08, or the pool
   * giving up), which name a host and a timeout; other messages may quote the values of a row.
   */
  static KofuException of(SQLException e) {
    String state = e.getSQLState();
    boolean connection = e instanceof SQLTransientConnectionException || state == null || state.startsWith("08");
    if (connection) {
      log.warn("journal unavailable: SQLSTATE {} {}: {}", state, e.getClass().getSimpleName(), e.getMessage());
    } else {
      log.warn("journal unavailable: SQLSTATE {} {}", state, e.getClass().getSimpleName());
    }
    return new KofuException(Reason.JOURNAL_UNAVAILABLE, "journal unavailable (SQLSTATE " + state + ")");
  }
}
