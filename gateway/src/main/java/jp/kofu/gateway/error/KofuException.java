package jp.kofu.gateway.error;

import com.google.protobuf.Any;
import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import jp.kofu.proto.type.v1.Reason;

/**
 * A refusal with its stable reason. The message is for people (operators, copier logs) and never
 * contains a resident's personal data; the reason and metadata are for machines.
 */
public final class KofuException extends RuntimeException {
  public static final String DOMAIN = jp.kofu.proto.KofuErrors.DOMAIN;

  private final Reason reason;
  private final Status.Code code;
  private final Map<String, String> metadata;

  public KofuException(Reason reason, String message) {
    this(reason, message, Map.of());
  }

  public KofuException(Reason reason, String message, Map<String, String> metadata) {
    super(message, null, false, false);
    this.reason = Objects.requireNonNull(reason, "reason");
    this.code = Reasons.code(reason);
    this.metadata = Map.copyOf(metadata);
  }

  /** A malformed field: INVALID_ARGUMENT, FIELD_INVALID, with the field and what was expected. */
  public static KofuException invalidField(String field, String expected) {
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("field", field);
    meta.put("expected", expected);
    return new KofuException(Reason.FIELD_INVALID, field + ": invalid (expected: " + expected + ")", meta);
  }

  public Reason reason() {
    return reason;
  }

  public Status.Code code() {
    return code;
  }

  public Map<String, String> metadata() {
    return metadata;
  }

  public StatusRuntimeException toStatusException() {
    return jp.kofu.proto.KofuErrors.status(code, reason, getMessage(), metadata);
  }

  /** The reason carried by a status, or null: what copiers and tests read back. */
  public static Reason reasonOf(Throwable t) {
    return jp.kofu.proto.KofuErrors.reasonOf(t);
  }

}
