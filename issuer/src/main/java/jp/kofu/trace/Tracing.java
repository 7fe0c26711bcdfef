package jp.kofu.trace;

import io.grpc.ClientInterceptor;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.instrumentation.grpc.v1_6.GrpcTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.MDC;

/**
 * Tracing as it runs: an OpenTelemetry SDK of this process's own (never the global one), whose
 * spans go in batches to an OTLP/HTTP collector (the JDK's HTTP client), and the gRPC library
 * instrumentation's interceptors on it: a server span per call served, a client span per call made,
 * the W3C {@code traceparent} read from and written to the calls' metadata. Only the propagation of
 * the trace context is configured: no baggage, no metadata captured as attributes, no message
 * contents. Made only when tracing is on; the caller closes it (the last spans are sent then).
 */
public final class Tracing implements AutoCloseable {
  /** MDC keys set while a traced call runs, next to the access log's {@code request_id}. */
  public static final String MDC_TRACE_ID = "trace_id";

  public static final String MDC_SPAN_ID = "span_id";

  /** The instrumentation scope of kofu's own spans (municipality calls). */
  public static final String SCOPE = "jp.kofu";

  private final OpenTelemetrySdk sdk;
  private final ServerInterceptor server;
  private final ClientInterceptor client;
  private final Tracer tracer;
  private final TraceSettings settings;

  private Tracing(TraceSettings settings, SpanExporter exporter, jp.kofu.time.TimeSource time) {
    this.settings = settings;
    String version = Objects.requireNonNullElse(Tracing.class.getPackage().getImplementationVersion(), "development");
    Resource resource =
        Resource.getDefault()
            .merge(
                Resource.create(
                    Attributes.of(
                        AttributeKey.stringKey("service.name"), settings.serviceName(),
                        AttributeKey.stringKey("service.version"), version,
                        AttributeKey.stringKey("service.instance.id"),
                            settings.instanceId() != null ? settings.instanceId() : UUID.randomUUID().toString())));
    SdkTracerProvider provider =
        SdkTracerProvider.builder()
            // The spans' times: start from the injected clock, durations from its ticker.
            .setClock(
                new io.opentelemetry.sdk.common.Clock() {
                  @Override
                  public long now() {
                    java.time.Instant i = time.clock().instant();
                    return i.getEpochSecond() * 1_000_000_000L + i.getNano();
                  }

                  @Override
                  public long nanoTime() {
                    return time.ticker().nanoTime();
                  }
                })
            .setResource(resource)
            .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(settings.samplingRatio())))
            .addSpanProcessor(BatchSpanProcessor.builder(exporter).build())
            .build();
    this.sdk =
        OpenTelemetrySdk.builder()
            .setTracerProvider(provider)
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .build();
    GrpcTelemetry grpc = GrpcTelemetry.create(sdk);
    ServerInterceptor spans = grpc.createServerInterceptor();
    ServerInterceptor mdc = new TraceMdc();
    // The span first, then the MDC from it: both around everything the call does.
    this.server =
        new ServerInterceptor() {
          @Override
          public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
            return spans.interceptCall(call, headers, (c, h) -> mdc.interceptCall(c, h, next));
          }
        };
    this.client = grpc.createClientInterceptor();
    this.tracer = sdk.getTracer(SCOPE, version);
  }

  /** Tracing to the OTLP/HTTP collector {@code settings} names, on the system's time. */
  public static Tracing start(TraceSettings settings) {
    return start(settings, jp.kofu.time.TimeSource.system());
  }

  /** Tracing to the OTLP/HTTP collector {@code settings} names; the spans' times are {@code time}'s. */
  public static Tracing start(TraceSettings settings, jp.kofu.time.TimeSource time) {
    if (!settings.enabled()) {
      throw new IllegalArgumentException("tracing is off (expected: only started when enabled)");
    }
    OtlpHttpSpanExporterBuilder otlp =
        OtlpHttpSpanExporter.builder()
            .setEndpoint(settings.endpoint().toString())
            .setTimeout(settings.exportTimeout().toMillis(), TimeUnit.MILLISECONDS);
    settings.headers().forEach(otlp::addHeader);
    return new Tracing(settings, otlp.build(), time);
  }

  /** Tracing whose spans go to {@code exporter} instead (tests: the SDK's in-memory exporter). */
  public static Tracing start(TraceSettings settings, SpanExporter exporter) {
    return start(settings, exporter, jp.kofu.time.TimeSource.system());
  }

  /** The same, the spans' times {@code time}'s. */
  public static Tracing start(TraceSettings settings, SpanExporter exporter, jp.kofu.time.TimeSource time) {
    return new Tracing(settings, Objects.requireNonNull(exporter, "exporter"), time);
  }

  public TraceSettings settings() {
    return settings;
  }

  public OpenTelemetry openTelemetry() {
    return sdk;
  }

  /** kofu's own spans (a municipality call). */
  public Tracer tracer() {
    return tracer;
  }

  /**
   * A server span per call, its parent the caller's {@code traceparent} if it sent one, current
   * while the call runs, with its ids in the MDC: install it outermost ({@code
   * ServerBuilder.intercept} last).
   */
  public ServerInterceptor serverInterceptor() {
    return server;
  }

  /** A client span per call made, its {@code traceparent} sent in the call's metadata. */
  public ClientInterceptor clientInterceptor() {
    return client;
  }

  /** Sends what has ended so far; waits at most the export timeout. */
  public void flush() {
    sdk.getSdkTracerProvider().forceFlush().join(settings.exportTimeout().toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Sends the last spans and stops. */
  @Override
  public void close() {
    sdk.getSdkTracerProvider().shutdown().join(settings.exportTimeout().toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The current span's trace and span id in the MDC during each of the call's callbacks. */
  private static final class TraceMdc implements ServerInterceptor {
    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
      ServerCall.Listener<Q> listener;
      boolean set = toMdc();
      try {
        listener = next.startCall(call, headers);
      } finally {
        clear(set);
      }
      return new jp.kofu.grpc.MdcListener<>(listener) {
        @Override
        protected boolean enter() {
          return toMdc();
        }

        @Override
        protected void exit(boolean entered) {
          clear(entered);
        }
      };
    }

    private static boolean toMdc() {
      SpanContext c = Span.current().getSpanContext();
      if (!c.isValid()) {
        return false;
      }
      MDC.put(MDC_TRACE_ID, c.getTraceId());
      MDC.put(MDC_SPAN_ID, c.getSpanId());
      return true;
    }

    private static void clear(boolean set) {
      if (set) {
        MDC.remove(MDC_TRACE_ID);
        MDC.remove(MDC_SPAN_ID);
      }
    }
  }
}
