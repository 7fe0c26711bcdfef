package jp.kofu.proto;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.ErrorInfo;
import com.google.rpc.LocalizedMessage;
import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.protobuf.StatusProto;
import jp.kofu.proto.type.v1.Reason;

/**
 * Adds to every kofu error the {@code google.rpc.LocalizedMessage} the copier shows the resident:
 * the reason's display text ({@link DisplayText}, from reason.proto) in the language the request's
 * {@value DisplayText#LANGUAGE_HEADER} metadata asks for, Japanese (ja-JP) by default. A refusal
 * with a RetryInfo and a code the service config retries (UNAVAILABLE, ABORTED) also gets the
 * trailer {@code grpc-retry-pushback-ms}, so that gRPC's own retry policy waits as long.
 */
public final class LocalizedErrors implements ServerInterceptor {
  private static final Metadata.Key<String> LANGUAGE = Metadata.Key.of(DisplayText.LANGUAGE_HEADER, Metadata.ASCII_STRING_MARSHALLER);
  /** The longest RetryInfo delay that gRPC's own retry policy is left to wait out. */
  static final long MAX_TRANSPARENT_WAIT_MS = 5_000;

  private static final Metadata.Key<String> PUSHBACK = Metadata.Key.of("grpc-retry-pushback-ms", Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<com.google.rpc.Status> DETAILS =
      Metadata.Key.of("grpc-status-details-bin", ProtoUtils.metadataMarshaller(com.google.rpc.Status.getDefaultInstance()));

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String locale = DisplayText.locale(headers.get(LANGUAGE));
    return next.startCall(
        new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
          @Override
          public void close(Status status, Metadata trailers) {
            if (!status.isOk()) {
              localize(status, trailers, locale);
            }
            super.close(status, trailers);
          }
        },
        headers);
  }

  static void localize(Status status, Metadata trailers, String locale) {
    com.google.rpc.Status details = StatusProto.fromStatusAndTrailers(status, trailers);
    if (details == null) {
      return;
    }
    Reason reason = null;
    for (Any d : details.getDetailsList()) {
      if (d.is(LocalizedMessage.class)) {
        return;
      }
      if (d.is(ErrorInfo.class)) {
        try {
          ErrorInfo info = d.unpack(ErrorInfo.class);
          if (KofuErrors.DOMAIN.equals(info.getDomain())) {
            try {
              reason = Reason.valueOf(info.getReason());
            } catch (IllegalArgumentException e) {
              reason = Reason.UNRECOGNIZED;
            }
          }
        } catch (InvalidProtocolBufferException e) {
          return;
        }
      }
    }
    if (reason == null) {
      return;
    }
    com.google.rpc.Status localized =
        details.toBuilder()
            .addDetails(Any.pack(LocalizedMessage.newBuilder().setLocale(locale).setMessage(DisplayText.of(reason, locale)).build()))
            .build();
    trailers.discardAll(DETAILS);
    trailers.put(DETAILS, localized);
    // gRPC's own retries (proto/service-config.json) wait as long as RetryInfo asks. Only for the
    // codes that policy retries: grpc-java retries any status that carries a pushback.
    if (status.getCode() != Status.Code.UNAVAILABLE && status.getCode() != Status.Code.ABORTED) {
      return;
    }
    for (Any d : details.getDetailsList()) {
      if (d.is(com.google.rpc.RetryInfo.class)) {
        try {
          com.google.protobuf.Duration delay = d.unpack(com.google.rpc.RetryInfo.class).getRetryDelay();
          long ms = delay.getSeconds() * 1000 + delay.getNanos() / 1_000_000;
          trailers.discardAll(PUSHBACK);
          // A wait longer than a transparent retry should take (an open circuit, a lockout) is
          // the copier's to decide with the reason in hand: a negative pushback tells gRPC not to
          // retry (gRFC A6), so the call ends now with its reason instead of running into its
          // deadline while gRPC waits.
          trailers.put(PUSHBACK, ms <= MAX_TRANSPARENT_WAIT_MS ? Long.toString(ms) : "-1");
        } catch (InvalidProtocolBufferException e) {
          // no pushback
        }
      }
    }
  }
}
