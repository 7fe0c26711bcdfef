package jp.kofu.gateway.error;

import io.grpc.Status;
import jp.kofu.issuer.remote.IssuerProtos;
import jp.kofu.issuer.spi.RefusalReason;
import jp.kofu.proto.type.v1.Reason;

/** Which gRPC code carries each reason, as reason.proto documents it. */
public final class Reasons {
  private Reasons() {}

  public static Status.Code code(Reason reason) {
    return switch (reason) {
      case FIELD_INVALID, MUNICIPALITY_CODE_INVALID, COPIES_OUT_OF_RANGE, CARD_CERTIFICATE_MALFORMED,
          SIGNATURE_MALFORMED, MESSAGE_MALFORMED, FIELD_UNKNOWN -> Status.Code.INVALID_ARGUMENT;
      case CHALLENGE_INVALID, CHALLENGE_EXPIRED, CHALLENGE_REUSED, SIGNATURE_INVALID, CARD_UNTRUSTED,
          CARD_EXPIRED, CARD_USAGE_INVALID, SESSION_INVALID, SESSION_EXPIRED, SESSION_CLOSED,
          TERMINAL_UNTRUSTED, CARD_EXTENSION_UNSUPPORTED, CREDENTIAL_KIND_MISMATCH,
          CARD_NOT_YET_VALID -> Status.Code.UNAUTHENTICATED;
      case CARD_REVOKED, CARD_LOCKED_OUT, TERMINAL_REVOKED, CARD_NOT_REGISTERED -> Status.Code.PERMISSION_DENIED;
      case RATE_LIMITED, MUNICIPALITY_BUSY, GATEWAY_BUSY -> Status.Code.RESOURCE_EXHAUSTED;
      case MUNICIPALITY_UNAVAILABLE, REVOCATION_UNAVAILABLE, JOURNAL_UNAVAILABLE -> Status.Code.UNAVAILABLE;
      case MUNICIPALITY_TIMEOUT -> Status.Code.DEADLINE_EXCEEDED;
      case MUNICIPALITY_NOT_SERVED, NOT_ISSUABLE, OUT_OF_SERVICE_HOURS, CERTIFICATE_TYPE_NOT_OFFERED,
          OPTION_NOT_OFFERED, UNDER_AGE, MOVED_OUT, DECEASED, NO_SEAL_REGISTRATION, MOVED_IN_TODAY,
          GAIJI_PENDING, FAMILY_REGISTER_NOTICE_PENDING, NO_TAX_FILING, DOMICILE_NOT_REGISTERED,
          DATA_TOO_LONG, ISSUANCE_ALREADY_FINAL, FISCAL_YEAR_NOT_OFFERED -> Status.Code.FAILED_PRECONDITION;
      case ORDER_CONFLICT -> Status.Code.ALREADY_EXISTS;
      case ORDER_IN_PROGRESS -> Status.Code.ABORTED;
      case ISSUANCE_NOT_FOUND, VERIFICATION_CODE_UNKNOWN -> Status.Code.NOT_FOUND;
      case DOCUMENT_BINDING_MISMATCH -> Status.Code.INTERNAL;
      case REASON_UNSPECIFIED, UNRECOGNIZED -> Status.Code.INTERNAL;
    };
  }

  /** What the copier is told for a municipality's refusal: confidential reasons are hidden. */
  public static Reason forCopier(RefusalReason refusal) {
    return IssuerProtos.reasonForCopier(refusal);
  }
}
