package jp.kofu.issuer.spi;

import java.util.Objects;

/**
 * A municipality refuses this request for a rule of its own. The message is for operators and
 * must not contain personal data.
 */
public class IssuanceRefusedException extends Exception {
  private final RefusalReason reason;

  public IssuanceRefusedException(RefusalReason reason, String message) {
    super(message, null, false, false);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public IssuanceRefusedException(RefusalReason reason) {
    this(reason, reason.name());
  }

  public RefusalReason reason() {
    return reason;
  }
}
