package jp.kofu.issuer.spi;

import java.util.Map;
import java.util.Objects;

/**
 * A municipality refuses this request for a rule of its own. The message is for operators and
 * must not contain personal data.
 */
public class IssuanceRefusedException extends Exception {
  private final RefusalReason reason;
  private final Map<String, String> details;

  public IssuanceRefusedException(RefusalReason reason, String message) {
    this(reason, message, Map.of());
  }

  /**
   * @param details machine-readable detail for the copier (e.g. "next_open" with {@link
   *     RefusalReason#OUT_OF_SERVICE_HOURS}); never personal data. Dropped for confidential reasons.
   */
  public IssuanceRefusedException(RefusalReason reason, String message, Map<String, String> details) {
    super(message, null, false, false);
    this.reason = Objects.requireNonNull(reason, "reason");
    this.details = Map.copyOf(details);
  }

  public IssuanceRefusedException(RefusalReason reason) {
    this(reason, reason.name());
  }

  public RefusalReason reason() {
    return reason;
  }

  /** Detail the copier may see: empty when the reason is confidential. */
  public Map<String, String> details() {
    return reason.shownToCopier() == reason ? details : Map.of();
  }
}
