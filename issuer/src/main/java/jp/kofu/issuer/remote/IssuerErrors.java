package jp.kofu.issuer.remote;

import com.google.protobuf.Any;
import com.google.rpc.ErrorInfo;
import jp.kofu.proto.KofuErrors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.Map;
import java.util.Optional;
import jp.kofu.issuer.spi.IssuanceRefusedException;
import jp.kofu.issuer.spi.RefusalReason;
import jp.kofu.proto.type.v1.Reason;

/**
 * The error mapping of kofu.issuer.v1 (issuer.proto lists it), both ways: a refusal becomes a status
 * with an ErrorInfo naming its reason, and a status with such an ErrorInfo becomes that refusal
 * again, so a refusal crossing the network stays a refusal with its reason. The confidential {@link
 * RefusalReason#SUPPORT_MEASURE} travels as NOT_ISSUABLE with metadata {@value #JOURNAL_REASON}.
 */
public final class IssuerErrors {
  /** ErrorInfo.domain of every kofu error. */
  public static final String DOMAIN = jp.kofu.proto.KofuErrors.DOMAIN;

  /** ErrorInfo.metadata key carrying a confidential reason for the journal only. */
  public static final String JOURNAL_REASON = "journal_reason";

  private IssuerErrors() {}

  /** A refusal as the server sends it. */
  public static StatusRuntimeException refusal(IssuanceRefusedException e) {
    RefusalReason r = e.reason();
    Map<String, String> metadata = r == r.shownToCopier() ? Map.of() : Map.of(JOURNAL_REASON, r.name());
    Status.Code code = r == RefusalReason.CARD_NOT_REGISTERED ? Status.Code.NOT_FOUND : Status.Code.FAILED_PRECONDITION;
    // The message of a confidential refusal would reveal it: only the shown reason goes out.
    String message = r == r.shownToCopier() ? e.getMessage() : r.shownToCopier().name();
    return status(code, IssuerProtos.reasonForCopier(r), message, metadata);
  }

  /** Any other error of the protocol (FIELD_INVALID, MUNICIPALITY_NOT_SERVED, MUNICIPALITY_UNAVAILABLE, ...). */
  public static StatusRuntimeException status(Status.Code code, Reason reason, String message, Map<String, String> metadata) {
    return KofuErrors.status(code, reason, message, metadata);
  }

  /** The kofu ErrorInfo a status carries, if any. */
  public static Optional<ErrorInfo> errorInfo(Throwable t) {
    return Optional.ofNullable(KofuErrors.errorInfo(t));
  }

  /**
   * The refusal a status carries, as the client rebuilds it; empty when the status is not a
   * refusal (the server is failing, the request was malformed, ...).
   */
  public static Optional<IssuanceRefusedException> refusalOf(StatusRuntimeException e) {
    Status.Code code = e.getStatus().getCode();
    if (code != Status.Code.NOT_FOUND && code != Status.Code.FAILED_PRECONDITION) {
      return Optional.empty();
    }
    return errorInfo(e).flatMap(info -> {
      RefusalReason shown = reason(info.getReason()).map(IssuerProtos::refusal).orElse(null);
      if (shown == null) {
        return Optional.empty();
      }
      RefusalReason journal = refusalReason(info.getMetadataOrDefault(JOURNAL_REASON, ""));
      RefusalReason reason = journal != null && journal.shownToCopier() == shown ? journal : shown;
      return Optional.of(new IssuanceRefusedException(reason, "refused by the issuer server: " + reason.name()));
    });
  }

  /** ErrorInfo.reason is a kofu.type.v1.Reason name. */
  private static Optional<Reason> reason(String name) {
    for (Reason r : Reason.values()) {
      if (r != Reason.UNRECOGNIZED && r.name().equals(name)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }

  /** The journal_reason metadata is a RefusalReason name (SUPPORT_MEASURE), never shown to a copier. */
  private static RefusalReason refusalReason(String name) {
    for (RefusalReason r : RefusalReason.values()) {
      if (r.name().equals(name)) {
        return r;
      }
    }
    return null;
  }
}
