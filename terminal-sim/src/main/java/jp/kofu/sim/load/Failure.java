package jp.kofu.sim.load;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.EnumSet;
import java.util.Set;
import jp.kofu.proto.KofuErrors;
import jp.kofu.proto.type.v1.Reason;

/**
 * What a failed call means to a copier. A gateway that answered with a kofu reason has decided;
 * a call that failed without one (connection refused or reset, the gateway killed mid-stream, a
 * deadline) tells nothing about the order, so the copier tries again, on another gateway, with
 * the same order id. The load report counts the three kinds apart: a transport failure is never
 * an "expected refusal".
 */
public enum Failure {
  /** No answer from a gateway (no kofu reason): try another gateway, the same order. */
  TRANSPORT,
  /** A gateway answered "not now" (journal or municipality unavailable, order in progress): retry after a pause. */
  RETRY_LATER,
  /** A gateway's decision (refused, invalid, ...): final for this visit. */
  REFUSAL;

  /** The reasons a copier retries after a pause rather than telling the resident no. */
  static final Set<Reason> TEMPORARY =
      EnumSet.of(
          Reason.ORDER_IN_PROGRESS, Reason.JOURNAL_UNAVAILABLE, Reason.MUNICIPALITY_BUSY, Reason.MUNICIPALITY_TIMEOUT,
          Reason.MUNICIPALITY_UNAVAILABLE, Reason.REVOCATION_UNAVAILABLE, Reason.RATE_LIMITED);

  public static Failure of(StatusRuntimeException e) {
    Reason reason = KofuErrors.reasonOf(e);
    if (reason == null) {
      return switch (e.getStatus().getCode()) {
        // RESOURCE_EXHAUSTED without a reason: the transport's own limit (message size, overload).
        case UNAVAILABLE, DEADLINE_EXCEEDED, CANCELLED, UNKNOWN, INTERNAL, ABORTED, RESOURCE_EXHAUSTED -> TRANSPORT;
        default -> REFUSAL;
      };
    }
    return TEMPORARY.contains(reason) ? RETRY_LATER : REFUSAL;
  }

  /** How long the gateway asked the copier to wait (retry_after_ms), or {@code fallbackMs}. */
  static long retryAfterMs(StatusRuntimeException e, long fallbackMs) {
    String ms = KofuErrors.metadataOf(e).get("retry_after_ms");
    if (ms == null) {
      return fallbackMs;
    }
    try {
      return Math.max(0, Long.parseLong(ms));
    } catch (NumberFormatException bad) {
      return fallbackMs;
    }
  }

  /** A short label for the report: "UNAVAILABLE" or "UNAVAILABLE JOURNAL_UNAVAILABLE". */
  static String label(StatusRuntimeException e) {
    Reason reason = KofuErrors.reasonOf(e);
    Status.Code code = e.getStatus().getCode();
    return reason == null ? code.name() : code + " " + reason;
  }
}
