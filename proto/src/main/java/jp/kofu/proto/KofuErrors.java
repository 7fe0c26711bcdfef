package jp.kofu.proto;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.ErrorInfo;
import io.grpc.protobuf.StatusProto;
import java.util.Map;
import jp.kofu.proto.type.v1.Reason;

/** Reads the {@code google.rpc.ErrorInfo} (domain {@value #DOMAIN}) that every kofu error carries. */
public final class KofuErrors {
  public static final String DOMAIN = "kofu.jp";

  private KofuErrors() {}

  /** A status exception with its ErrorInfo: how every kofu error is sent. */
  public static io.grpc.StatusRuntimeException status(
      io.grpc.Status.Code code, Reason reason, String message, Map<String, String> metadata) {
    ErrorInfo info = ErrorInfo.newBuilder().setReason(reason.name()).setDomain(DOMAIN).putAllMetadata(metadata).build();
    return StatusProto.toStatusRuntimeException(
        com.google.rpc.Status.newBuilder().setCode(code.value()).setMessage(message).addDetails(Any.pack(info)).build());
  }

  /** The ErrorInfo of a status exception, or null when there is none from kofu. */
  public static ErrorInfo errorInfo(Throwable t) {
    com.google.rpc.Status status = StatusProto.fromThrowable(t);
    if (status == null) {
      return null;
    }
    for (Any detail : status.getDetailsList()) {
      if (detail.is(ErrorInfo.class)) {
        try {
          ErrorInfo info = detail.unpack(ErrorInfo.class);
          if (DOMAIN.equals(info.getDomain())) {
            return info;
          }
        } catch (InvalidProtocolBufferException e) {
          return null;
        }
      }
    }
    return null;
  }

  /** The reason of a kofu error, or null. */
  public static Reason reasonOf(Throwable t) {
    ErrorInfo info = errorInfo(t);
    if (info == null) {
      return null;
    }
    try {
      return Reason.valueOf(info.getReason());
    } catch (IllegalArgumentException e) {
      return Reason.UNRECOGNIZED;
    }
  }

  public static Map<String, String> metadataOf(Throwable t) {
    ErrorInfo info = errorInfo(t);
    return info == null ? Map.of() : info.getMetadataMap();
  }
}
