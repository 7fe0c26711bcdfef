package jp.kofu.gateway.edge;

import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import jp.kofu.gateway.error.Reasons;
import jp.kofu.proto.KofuErrors;
import jp.kofu.proto.type.v1.Reason;

/**
 * At most {@code limit} of the listed methods (the issuances) run at once on this gateway; one more
 * is refused at once with RESOURCE_EXHAUSTED, reason GATEWAY_BUSY and a {@code google.rpc.RetryInfo}
 * (and {@code retry_after_ms} in the ErrorInfo), so that overload turns into a fast refusal a
 * copier can retry on another gateway, not into latency for everyone. A permit is held from the
 * call's start until it completes or is cancelled.
 */
public final class InFlightLimit implements ServerInterceptor {
  private final Set<String> methods;
  private final int limit;
  private final Semaphore permits;
  private final Duration retryAfter;
  private final Counter refusals;

  public InFlightLimit(Set<String> fullMethodNames, int limit, Duration retryAfter, MeterRegistry meters) {
    this.methods = Set.copyOf(fullMethodNames);
    this.limit = limit;
    this.permits = new Semaphore(limit);
    this.retryAfter = retryAfter;
    this.refusals =
        Counter.builder("kofu.inflight.issuances.refused")
            .description("Issue calls refused GATEWAY_BUSY because the gateway ran its maximum")
            .register(meters);
    Gauge.builder("kofu.inflight.issuances", permits, p -> limit - p.availablePermits())
        .description("Issue calls running on this gateway")
        .register(meters);
    Gauge.builder("kofu.inflight.issuances.limit", this, l -> l.limit).register(meters);
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    if (!methods.contains(call.getMethodDescriptor().getFullMethodName())) {
      return next.startCall(call, headers);
    }
    if (!permits.tryAcquire()) {
      refusals.increment();
      StatusRuntimeException busy = busy();
      call.close(busy.getStatus(), busy.getTrailers());
      return new ServerCall.Listener<>() {};
    }
    AtomicBoolean released = new AtomicBoolean();
    Runnable release = () -> {
      if (released.compareAndSet(false, true)) {
        permits.release();
      }
    };
    ServerCall.Listener<Q> listener;
    try {
      listener =
          next.startCall(
              new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
                @Override
                public void close(Status status, Metadata trailers) {
                  release.run();
                  super.close(status, trailers);
                }
              },
              headers);
    } catch (RuntimeException e) {
      release.run();
      throw e;
    }
    return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
      @Override
      public void onCancel() {
        try {
          super.onCancel();
        } finally {
          release.run();
        }
      }

      @Override
      public void onComplete() {
        try {
          super.onComplete();
        } finally {
          release.run();
        }
      }
    };
  }

  private StatusRuntimeException busy() {
    // The one way kofu errors are built: ErrorInfo, and RetryInfo for a retryable reason.
    return KofuErrors.status(
        Reasons.code(Reason.GATEWAY_BUSY),
        Reason.GATEWAY_BUSY,
        "this gateway runs its maximum of " + limit + " issuances: retry shortly, on another gateway if there is one",
        java.util.Map.of("retry_after_ms", Long.toString(retryAfter.toMillis())));
  }

}
