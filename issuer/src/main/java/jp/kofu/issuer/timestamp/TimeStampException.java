package jp.kofu.issuer.timestamp;

/** A timestamp could not be obtained or was not acceptable; says why, never what was stamped. */
public final class TimeStampException extends RuntimeException {
  public TimeStampException(String message) {
    super(message);
  }

  public TimeStampException(String message, Throwable cause) {
    super(message, cause);
  }
}
