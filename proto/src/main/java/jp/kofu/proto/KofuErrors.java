package jp.kofu.proto;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import io.grpc.protobuf.StatusProto;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import jp.kofu.proto.type.v1.Reason;

/**
 * How every kofu error is sent and read back: a {@code google.rpc.Status} whose details carry a
 * {@code google.rpc.ErrorInfo} (domain {@value #DOMAIN}, reason a {@link Reason} name), a
 * {@code google.rpc.RetryInfo} when the refusal is retryable ({@link #RETRYABLE}), and a
 * {@code google.rpc.BadRequest} naming the field when one is invalid (ErrorInfo.metadata "field").
 * The {@code google.rpc.LocalizedMessage} is added per call by {@link LocalizedErrors}.
 */
public final class KofuErrors {
  public static final String DOMAIN = "kofu.jp";

  /**
   * The refusals a copier may retry (the same request, after RetryInfo.retry_delay): everything
   * else is final for that request. proto/service-config.json retries the same set's codes.
   */
  public static final Set<Reason> RETRYABLE =
      Collections.unmodifiableSet(
          EnumSet.of(
              Reason.RATE_LIMITED,
              Reason.MUNICIPALITY_BUSY,
              Reason.CARD_LOCKED_OUT,
              Reason.ORDER_IN_PROGRESS,
              Reason.MUNICIPALITY_UNAVAILABLE,
              Reason.MUNICIPALITY_TIMEOUT,
              Reason.REVOCATION_UNAVAILABLE,
              Reason.JOURNAL_UNAVAILABLE,
              Reason.GATEWAY_BUSY));

  /** The retry delay of a retryable refusal that names none (ErrorInfo.metadata "retry_after_ms"). */
  public static final Duration DEFAULT_RETRY_DELAY = Duration.ofSeconds(1);

  private KofuErrors() {}

  /** A status exception with its ErrorInfo, RetryInfo and BadRequest: how every kofu error is sent. */
  public static io.grpc.StatusRuntimeException status(
      io.grpc.Status.Code code, Reason reason, String message, Map<String, String> metadata) {
    ErrorInfo info = ErrorInfo.newBuilder().setReason(reason.name()).setDomain(DOMAIN).putAllMetadata(metadata).build();
    com.google.rpc.Status.Builder status =
        com.google.rpc.Status.newBuilder().setCode(code.value()).setMessage(message).addDetails(Any.pack(info));
    if (RETRYABLE.contains(reason)) {
      // ErrorInfo.metadata "retry_after_ms" stays too: copiers written before RetryInfo read it.
      long ms = DEFAULT_RETRY_DELAY.toMillis();
      try {
        ms = Long.parseLong(metadata.getOrDefault("retry_after_ms", Long.toString(ms)));
      } catch (NumberFormatException e) {
        // keep the default
      }
      status.addDetails(
          Any.pack(
              RetryInfo.newBuilder()
                  .setRetryDelay(com.google.protobuf.Duration.newBuilder().setSeconds(ms / 1000).setNanos((int) (ms % 1000) * 1_000_000))
                  .build()));
    }
    String field = metadata.get("field");
    if (field != null) {
      String expected = metadata.get("expected");
      status.addDetails(
          Any.pack(
              BadRequest.newBuilder()
                  .addFieldViolations(
                      BadRequest.FieldViolation.newBuilder()
                          .setField(field)
                          .setReason(reason.name())
                          .setDescription(expected != null ? "expected: " + expected : message))
                  .build()));
    }
    return StatusProto.toStatusRuntimeException(status.build());
  }

  /** A detail of a kofu error's status, or null. */
  public static <T extends com.google.protobuf.Message> T detail(Throwable t, Class<T> type) {
    com.google.rpc.Status status = StatusProto.fromThrowable(t);
    if (status == null) {
      return null;
    }
    for (Any detail : status.getDetailsList()) {
      if (detail.is(type)) {
        try {
          return detail.unpack(type);
        } catch (InvalidProtocolBufferException e) {
          return null;
        }
      }
    }
    return null;
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
