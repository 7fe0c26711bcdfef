package jp.kofu.issuer.remote;

import io.grpc.Status;

/**
 * A remote issuer server failed to answer (unreachable, UNAVAILABLE, a malformed exchange): the
 * municipality is failing, which is not a refusal. The message names the status and the kofu reason,
 * never request data.
 */
public final class RemoteIssuerException extends RuntimeException {
  private final Status.Code code;

  public RemoteIssuerException(Status.Code code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  /** The gRPC code the server (or the channel) answered with. */
  public Status.Code code() {
    return code;
  }
}
