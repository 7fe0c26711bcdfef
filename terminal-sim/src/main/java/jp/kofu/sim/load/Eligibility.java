package jp.kofu.sim.load;

import java.util.EnumSet;
import java.util.Set;
import jp.kofu.proto.type.v1.Reason;

/**
 * When the simulator may learn that a resident is refused by their municipality, and so use them
 * for refused-resident visits: only from a reason that is about the resident (under 15, moved out,
 * no seal registered, ...), never from one about the moment (the municipality down, busy or
 * closed, the journal unavailable) or from a municipality missing from the offerings. A resident
 * learned during an outage would get a genuine document once it ends.
 */
public final class Eligibility {
  private Eligibility() {}

  static final Set<Reason> DEFINITE =
      EnumSet.of(
          Reason.NOT_ISSUABLE, Reason.UNDER_AGE, Reason.MOVED_OUT, Reason.DECEASED, Reason.NO_SEAL_REGISTRATION,
          Reason.MOVED_IN_TODAY, Reason.GAIJI_PENDING, Reason.FAMILY_REGISTER_NOTICE_PENDING, Reason.NO_TAX_FILING,
          Reason.DOMICILE_NOT_REGISTERED, Reason.DATA_TOO_LONG, Reason.CERTIFICATE_TYPE_NOT_OFFERED);

  /** Whether {@code reason} says this resident cannot get the certificate, whatever the moment. */
  public static boolean definiteRefusal(Reason reason) {
    return reason != null && DEFINITE.contains(reason);
  }

  /** The same for an offering's {@code unavailable_reason} (a Reason name; empty or unknown: no). */
  public static boolean definiteRefusal(String reasonName) {
    if (reasonName == null || reasonName.isEmpty()) {
      return false;
    }
    try {
      return definiteRefusal(Reason.valueOf(reasonName));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
