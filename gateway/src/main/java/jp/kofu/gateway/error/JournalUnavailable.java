package jp.kofu.gateway.error;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import jp.kofu.proto.type.v1.Reason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal's database (issuances, and the auth store beside it) cannot be read or written:
 * nothing may be issued, charged or authenticated on it.
 */
public final class JournalUnavailable {
  private static final Logger log = LoggerFactory.getLogger(JournalUnavailable.class);

  private JournalUnavailable() {}

  /**
   * The copier's error, and a log line for the operator: the SQLSTATE and the kind of failure.
   * The driver's message is logged only for connection failures (SQLSTATE class 08, or the pool
   * giving up), which name a host and a timeout; other messages may quote the values of a row.
   */
  public static KofuException of(SQLException e) {
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
