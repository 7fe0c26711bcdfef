package jp.kofu.cli;

import com.google.protobuf.Any;
import com.google.rpc.ErrorInfo;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.Map;

/** What a gRPC error carries for machines: its ErrorInfo metadata. */
final class Errors {
  private Errors() {}

  static Map<String, String> metadata(StatusRuntimeException e) {
    com.google.rpc.Status status = StatusProto.fromThrowable(e);
    if (status == null) {
      return Map.of();
    }
    for (Any detail : status.getDetailsList()) {
      if (detail.is(ErrorInfo.class)) {
        try {
          return detail.unpack(ErrorInfo.class).getMetadataMap();
        } catch (com.google.protobuf.InvalidProtocolBufferException ex) {
          return Map.of();
        }
      }
    }
    return Map.of();
  }
}
