package jp.kofu.gateway.edge;

import com.google.protobuf.MessageLite;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import jp.kofu.gateway.auth.TerminalIdentity;
import jp.kofu.proto.KofuErrors;
import jp.kofu.proto.kiosk.v1.KioskServiceGrpc;
import jp.kofu.proto.type.v1.Reason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One line per call in the access log (logger {@code kofu.access}): method, status code, kofu
 * reason, latency and message bytes each way, with the request id and the terminal id in the MDC,
 * which stays set for every line logged while the call runs. Health checks are logged at DEBUG (a
 * probe every few seconds would drown the rest). Refusals are counted by method, code and reason
 * ({@code kofu_grpc_refusals_total}).
 *
 * <p>The request id is the client's {@code x-request-id} if it sent a sane one (1 to 64 of
 * {@code [A-Za-z0-9._-]}), else a random one; it is returned in the response headers either way.
 * Nothing of a request's content is logged: no personal data can reach these lines.
 */
public final class CallLog implements ServerInterceptor {
  private static final Logger access = LoggerFactory.getLogger("kofu.access");

  public static final Metadata.Key<String> REQUEST_ID = Metadata.Key.of("x-request-id", Metadata.ASCII_STRING_MARSHALLER);

  /** MDC keys set while a call runs. */
  public static final String MDC_REQUEST_ID = "request_id";

  public static final String MDC_TERMINAL_ID = "terminal_id";

  private static final Pattern SANE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Context.Key<CallRecord> RECORD = Context.key("kofu-call-record");
  private static final String HEALTH_SERVICE = "grpc.health.v1.Health";

  private final MeterRegistry meters;
  private final Counter terminalRateLimited;

  public CallLog(MeterRegistry meters) {
    this.meters = meters;
    this.terminalRateLimited =
        Counter.builder("kofu.rate.limit.refusals")
            .description("Calls refused RATE_LIMITED")
            .tag("limit", "terminal")
            .register(meters);
  }

  /** What is known of one call; the terminal is filled in once it is authenticated. */
  private static final class CallRecord {
    final String requestId;
    volatile String terminal;
    final AtomicLong bytesIn = new AtomicLong();
    final AtomicLong bytesOut = new AtomicLong();

    CallRecord(String requestId) {
      this.requestId = requestId;
    }

    void toMdc() {
      MDC.put(MDC_REQUEST_ID, requestId);
      if (terminal != null) {
        MDC.put(MDC_TERMINAL_ID, terminal);
      }
    }
  }

  private static void clearMdc() {
    MDC.remove(MDC_REQUEST_ID);
    MDC.remove(MDC_TERMINAL_ID);
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    long start = System.nanoTime();
    String offered = headers.get(REQUEST_ID);
    CallRecord record = new CallRecord(offered != null && SANE_ID.matcher(offered).matches() ? offered : newId());
    String method = call.getMethodDescriptor().getFullMethodName();
    String service = call.getMethodDescriptor().getServiceName();
    ServerCall<Q, R> observed =
        new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
          @Override
          public void sendHeaders(Metadata responseHeaders) {
            responseHeaders.put(REQUEST_ID, record.requestId);
            super.sendHeaders(responseHeaders);
          }

          @Override
          public void sendMessage(R message) {
            if (message instanceof MessageLite m) {
              record.bytesOut.addAndGet(m.getSerializedSize());
            }
            super.sendMessage(message);
          }

          @Override
          public void close(Status status, Metadata trailers) {
            Reason reason = status.isOk() ? null : KofuErrors.reasonOf(status.asRuntimeException(trailers));
            if (!status.isOk()) {
              Counter.builder("kofu.grpc.refusals")
                  .description("Calls answered with an error, by method, gRPC code and kofu reason")
                  .tags("method", method, "code", status.getCode().name(), "reason", reason == null ? "NONE" : reason.name())
                  .register(meters)
                  .increment();
              if (reason == Reason.RATE_LIMITED && KioskServiceGrpc.SERVICE_NAME.equals(service)) {
                terminalRateLimited.increment();
              }
            }
            log(record, method, service, status, reason, System.nanoTime() - start);
            super.close(status, trailers);
          }
        };
    Context context = Context.current().withValue(RECORD, record);
    ServerCall.Listener<Q> listener;
    record.toMdc();
    try {
      listener = Contexts.interceptCall(context, observed, headers, next);
    } finally {
      clearMdc();
    }
    return new jp.kofu.grpc.MdcListener<>(listener) {
      @Override
      public void onMessage(Q message) {
        if (message instanceof MessageLite m) {
          record.bytesIn.addAndGet(m.getSerializedSize());
        }
        super.onMessage(message);
      }

      @Override
      protected boolean enter() {
        record.toMdc();
        return true;
      }

      @Override
      protected void exit(boolean entered) {
        clearMdc();
      }
    };
  }

  private static void log(CallRecord record, String method, String service, Status status, Reason reason, long nanos) {
    boolean quiet = HEALTH_SERVICE.equals(service);
    if (quiet ? !access.isDebugEnabled() : !access.isInfoEnabled()) {
      return;
    }
    double ms = nanos / 1e6;
    String reasonName = reason == null ? "" : reason.name();
    java.util.Map<String, String> before = MDC.getCopyOfContextMap();
    record.toMdc();
    try {
      (quiet ? access.atDebug() : access.atInfo())
          .addKeyValue("grpc_method", method)
          .addKeyValue("grpc_status", status.getCode().name())
          .addKeyValue("reason", reasonName)
          .addKeyValue("latency_ms", Math.round(ms * 1000) / 1000.0)
          .addKeyValue("bytes_in", record.bytesIn.get())
          .addKeyValue("bytes_out", record.bytesOut.get())
          .log("{} {}{} {} ms", method, status.getCode(), reason == null ? "" : " " + reasonName, String.format("%.1f", ms));
    } finally {
      if (before == null) {
        clearMdc();
      } else {
        MDC.setContextMap(before);
      }
    }
  }

  /**
   * Put inside the terminal authentication: records the authenticated terminal for the MDC and the
   * access log.
   */
  public static ServerInterceptor terminalTagger() {
    return new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        CallRecord record = RECORD.get();
        TerminalIdentity terminal = TerminalIdentity.CURRENT.get();
        if (record != null && terminal != null) {
          record.terminal = terminal.id();
          MDC.put(MDC_TERMINAL_ID, record.terminal);
        }
        return next.startCall(call, headers);
      }
    };
  }

  private static String newId() {
    byte[] b = new byte[12];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
