package jp.kofu.gateway.routing;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.grpc.Context;
import io.grpc.Deadline;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import jp.kofu.gateway.error.KofuException;
import jp.kofu.issuer.spi.IssuanceRefusedException;
import jp.kofu.issuer.spi.IssuerAdapter;
import jp.kofu.proto.type.v1.Reason;
import jp.kofu.time.TimeSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One municipality as the gateway reaches it: its adapter behind its own concurrency limit
 * (resilience4j bulkhead), deadline and circuit breaker (resilience4j), with its own status and
 * metrics. A slow, failing or hung municipality exhausts only these, never another municipality's.
 *
 * <p>A call past its deadline, or whose copier went away, is aborted as a whole: its thread is
 * interrupted, the gRPC context it runs in is cancelled (so a remote call is cancelled on the
 * municipality's server too), and its result, if it ever comes, is dropped: only the caller's
 * thread journals and streams, and the caller has already left with MUNICIPALITY_TIMEOUT. No later
 * request can receive it (the Yokohama failure, DOMAIN.md §7).
 *
 * <p>All of its time comes from one {@link TimeSource}: the deadline counts on its ticker and fires
 * on its scheduler, durations are read from its ticker, the breaker's open period from its clock.
 * The caller waits for the answer or the deadline, never with a timed wait of its own, so a test
 * that forwards a fake clock past the deadline sees the call aborted at once.
 */
public final class Municipality implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Municipality.class);

  /** What {@link #status()} reports. */
  public enum Status {
    /** The circuit is closed: calls go through. */
    SERVING,
    /** The circuit is open: calls are refused at once with MUNICIPALITY_UNAVAILABLE. */
    CIRCUIT_OPEN,
    /** The open period is over: a few trial calls decide whether to close or reopen. */
    TRIAL
  }

  /** Call outcomes, as counted in the metrics. */
  enum Outcome {
    OK, REFUSED, BUSY, CIRCUIT_OPEN, TIMEOUT, CANCELLED, FAILED;

    String tag() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final String code;
  private final IssuerAdapter adapter;
  private final Isolation isolation;
  private final Bulkhead bulkhead;
  private final CircuitBreaker breaker;
  private final ExecutorService executor;
  private final TimeSource time;
  private final MeterRegistry meters;
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();
  /** kofu's tracer when tracing is on, else null: no span, no OpenTelemetry on the call's path. */
  private volatile io.opentelemetry.api.trace.Tracer tracer;

  public Municipality(String code, IssuerAdapter adapter, Duration deadline, int maxConcurrent) {
    this(code, adapter, new Isolation(deadline, maxConcurrent, Isolation.Breaker.defaults()), TimeSource.system(), new SimpleMeterRegistry());
  }

  /**
   * @param time the deadline's ticker and scheduler, and the clock of the breaker's open period
   * @param meters where this municipality's metrics go, tagged {@code municipality=CODE}
   */
  public Municipality(String code, IssuerAdapter adapter, Isolation isolation, TimeSource time, MeterRegistry meters) {
    this.code = code;
    this.time = time;
    this.adapter = adapter;
    this.isolation = isolation;
    this.meters = meters;
    this.bulkhead =
        Bulkhead.of(
            "municipality-" + code,
            BulkheadConfig.custom().maxConcurrentCalls(isolation.concurrency()).maxWaitDuration(Duration.ZERO).build());
    Isolation.Breaker b = isolation.breaker();
    this.breaker =
        CircuitBreaker.of(
            "municipality-" + code,
            CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(b.window())
                .minimumNumberOfCalls(b.minimumCalls())
                .failureRateThreshold(b.failureRatePercent())
                .waitDurationInOpenState(b.openFor())
                .permittedNumberOfCallsInHalfOpenState(b.halfOpenCalls())
                // Open → half-open on the first call after openFor, read from the injected clock.
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .clock(time.clock())
                .ignoreExceptions(IssuanceRefusedException.class)
                .build());
    breaker
        .getEventPublisher()
        .onStateTransition(
            e -> {
              // Loud on purpose: an unnoticed alert was part of the 2023 failures (DOMAIN.md §7).
              if (e.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
                log.error("MUNICIPALITY {} CIRCUIT OPEN: {}; calls refused for {} s", code, e.getStateTransition(), b.openFor().toSeconds());
              } else {
                log.warn("municipality {} circuit: {}", code, e.getStateTransition());
              }
            });
    this.executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("municipality-" + code + "-", 0).factory());
    Gauge.builder("kofu.municipality.inflight", bulkhead, bh -> isolation.concurrency() - bh.getMetrics().getAvailableConcurrentCalls())
        .tag("municipality", code)
        .description("calls in flight to the municipality, including abandoned ones not yet ended")
        .register(meters);
    Gauge.builder("kofu.municipality.concurrency.limit", isolation, i -> i.concurrency())
        .tag("municipality", code)
        .register(meters);
    Gauge.builder("kofu.municipality.circuit.state", this, m -> m.status().ordinal())
        .tag("municipality", code)
        .description("0 serving (closed), 1 circuit open, 2 trial (half-open)")
        .register(meters);
    Gauge.builder("kofu.municipality.circuit.failure.rate", breaker, cb -> Math.max(0, cb.getMetrics().getFailureRate()))
        .tag("municipality", code)
        .description("failure rate (percent) over the breaker's window; 0 until minimum-calls")
        .register(meters);
  }

  public String code() {
    return code;
  }

  public IssuerAdapter adapter() {
    return adapter;
  }

  public Isolation isolation() {
    return isolation;
  }

  public Status status() {
    return switch (breaker.getState()) {
      case OPEN, FORCED_OPEN -> Status.CIRCUIT_OPEN;
      case HALF_OPEN -> Status.TRIAL;
      default -> Status.SERVING;
    };
  }

  /** Calls in flight, including abandoned ones whose adapter work has not ended yet. */
  public int inFlight() {
    return isolation.concurrency() - bulkhead.getMetrics().getAvailableConcurrentCalls();
  }

  /** Listens for status changes (the gateway's health service). */
  public void onStatusChange(java.util.function.Consumer<Status> listener) {
    breaker.getEventPublisher().onStateTransition(e -> listener.accept(status()));
  }

  /** Work done against the adapter that may refuse. */
  @FunctionalInterface
  public interface AdapterCall<T> {
    T call(IssuerAdapter adapter) throws IssuanceRefusedException;
  }

  /**
   * Makes a span of each call from now on (tracing on): "municipality OPERATION", with the
   * municipality's code, the operation and the outcome as attributes, and nothing of the request.
   */
  public Municipality traced(io.opentelemetry.api.trace.Tracer tracer) {
    this.tracer = tracer;
    return this;
  }

  /** Span attributes of a municipality call: the code, the operation and the outcome, nothing else. */
  public static final io.opentelemetry.api.common.AttributeKey<String> SPAN_MUNICIPALITY =
      io.opentelemetry.api.common.AttributeKey.stringKey("kofu.municipality.code");

  public static final io.opentelemetry.api.common.AttributeKey<String> SPAN_OPERATION =
      io.opentelemetry.api.common.AttributeKey.stringKey("kofu.municipality.operation");

  public static final io.opentelemetry.api.common.AttributeKey<String> SPAN_OUTCOME =
      io.opentelemetry.api.common.AttributeKey.stringKey("kofu.municipality.outcome");

  /**
   * Runs {@code work} under this municipality's circuit breaker, limit and deadline.
   *
   * @throws IssuanceRefusedException the municipality's own refusal
   * @throws KofuException MUNICIPALITY_BUSY, MUNICIPALITY_TIMEOUT or MUNICIPALITY_UNAVAILABLE
   */
  public <T> T call(String operation, AdapterCall<T> work) throws IssuanceRefusedException {
    io.opentelemetry.api.trace.Tracer t = tracer;
    if (t == null) {
      return call(operation, work, null);
    }
    // A child of the current span (the RPC's server span), current in the caller's thread and in
    // the adapter's, so that a remote adapter's client span is its child.
    io.opentelemetry.api.trace.Span span =
        t.spanBuilder("municipality " + operation)
            .setAttribute(SPAN_MUNICIPALITY, code)
            .setAttribute(SPAN_OPERATION, operation)
            .startSpan();
    try (io.opentelemetry.context.Scope ignored = span.makeCurrent()) {
      return call(operation, work, span);
    } finally {
      span.end();
    }
  }

  private <T> T call(String operation, AdapterCall<T> work, io.opentelemetry.api.trace.Span span) throws IssuanceRefusedException {
    if (!breaker.tryAcquirePermission()) {
      count(operation, Outcome.CIRCUIT_OPEN, span);
      throw new KofuException(
          Reason.MUNICIPALITY_UNAVAILABLE,
          code + " is failing; its circuit is open",
          Map.of("municipality_code", code, "circuit", "open", "retry_after_ms", String.valueOf(isolation.breaker().openFor().toMillis())));
    }
    if (!bulkhead.tryAcquirePermission()) {
      // Not the municipality's failure to answer: the breaker forgets this call.
      breaker.releasePermission();
      count(operation, Outcome.BUSY, span);
      throw new KofuException(
          Reason.MUNICIPALITY_BUSY, code + " is at its concurrency limit", Map.of("municipality_code", code, "retry_after_ms", "1000"));
    }
    Context caller = Context.current();
    long started = time.ticker().nanoTime();
    Context.CancellableContext scope = scope(caller);
    CompletableFuture<T> answer = new CompletableFuture<>();
    Future<?> running;
    // The call's log keys (request_id, trace_id, …) go with it: what the adapter logs on the
    // worker thread names the request it serves.
    Map<String, String> logKeys = org.slf4j.MDC.getCopyOfContextMap();
    // The permit goes back exactly once: when the work ends, or when the call is aborted before
    // the work began (a task cancelled before its thread ran never runs its finally; its permit
    // was lost for good, and a municipality aborted often enough under load stayed "at its
    // concurrency limit" until the gateway restarted). Whoever claims the call first returns it.
    java.util.concurrent.atomic.AtomicBoolean claimed = new java.util.concurrent.atomic.AtomicBoolean();
    Runnable task =
        () -> {
          if (!claimed.compareAndSet(false, true)) {
            return; // aborted before it began: the abort returned the permit
          }
          if (logKeys != null) {
            org.slf4j.MDC.setContextMap(logKeys);
          }
          try {
            answer.complete(scope.call(() -> work.call(adapter)));
          } catch (Throwable t) {
            answer.completeExceptionally(t);
          } finally {
            bulkhead.onComplete();
            org.slf4j.MDC.clear();
          }
        };
    try {
      running = executor.submit(span == null ? task : io.opentelemetry.context.Context.current().wrap(task));
    } catch (RuntimeException e) {
      bulkhead.onComplete();
      breaker.releasePermission();
      scope.cancel(null);
      throw new KofuException(Reason.MUNICIPALITY_UNAVAILABLE, code + " is shutting down", Map.of("municipality_code", code));
    }
    // The deadline, or the copier going away: the work is interrupted and the caller stops waiting.
    Context.CancellationListener abort =
        ctx -> {
          // First the answer, then the interrupt: what the interrupted work returns comes too late.
          answer.completeExceptionally(new Aborted());
          abort(running, claimed);
        };
    scope.addListener(abort, Runnable::run);
    try {
      T result = answer.get();
      breaker.onSuccess(time.ticker().nanoTime() - started, TimeUnit.NANOSECONDS);
      record(operation, Outcome.OK, started, span);
      return result;
    } catch (InterruptedException e) {
      abort(running, claimed);
      Thread.currentThread().interrupt();
      return abandoned(operation, started, caller, span);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IssuanceRefusedException refused) {
        breaker.onSuccess(time.ticker().nanoTime() - started, TimeUnit.NANOSECONDS);
        record(operation, Outcome.REFUSED, started, span);
        throw refused;
      }
      if (caller.isCancelled() && !(caller.cancellationCause() instanceof TimeoutException)) {
        // The copier went away (and the adapter gave up because of it): not the municipality's failure.
        return abandoned(operation, started, caller, span);
      }
      if (scope.isCancelled()) {
        // The deadline passed: ours fired, or the adapter saw it first (a remote call's DEADLINE_EXCEEDED).
        breaker.onError(time.ticker().nanoTime() - started, TimeUnit.NANOSECONDS, cause);
        record(operation, Outcome.TIMEOUT, started, span);
        log.warn("municipality {} {}: no answer within {} ms, aborted", code, operation, isolation.deadline().toMillis());
        throw new KofuException(
            Reason.MUNICIPALITY_TIMEOUT, code + " did not answer within its deadline", Map.of("municipality_code", code));
      }
      breaker.onError(time.ticker().nanoTime() - started, TimeUnit.NANOSECONDS, cause);
      record(operation, Outcome.FAILED, started, span);
      log.warn("municipality {} {} failed: {}", code, operation, cause.getClass().getSimpleName());
      throw new KofuException(Reason.MUNICIPALITY_UNAVAILABLE, code + " is failing", Map.of("municipality_code", code));
    } finally {
      scope.removeListener(abort);
      scope.cancel(null);
    }
  }

  /** Stops a call's work: not begun, it never will and its permit is returned here; begun, it is interrupted and returns its own. */
  private void abort(Future<?> running, java.util.concurrent.atomic.AtomicBoolean claimed) {
    if (claimed.compareAndSet(false, true)) {
      bulkhead.onComplete();
    }
    running.cancel(true);
  }

  /** Why the caller stopped waiting: the call's context was cancelled (deadline or caller gone). */
  private static final class Aborted extends Exception {
    Aborted() {
      super("the call's context was cancelled", null, false, false);
    }
  }

  /**
   * The call's own context: the caller's values, cancelled with the caller (the copier went away)
   * and at the earlier of this municipality's deadline and the caller's, counted on the injected
   * ticker and fired by the injected scheduler. A remote adapter's gRPC call inherits both.
   *
   * <p>Forked rather than derived: gRPC compares a derived deadline with the parent's, which the
   * server's own (system) ticker counts, and refuses two tickers; the caller's remaining time is
   * carried over instead and its cancellation passed on by a listener.
   */
  private Context.CancellableContext scope(Context caller) {
    long nanos = isolation.deadline().toNanos();
    Deadline callers = caller.getDeadline();
    if (callers != null) {
      nanos = Math.min(nanos, callers.timeRemaining(TimeUnit.NANOSECONDS));
    }
    Context.CancellableContext scope =
        caller.fork().withDeadline(Deadline.after(Math.max(0, nanos), TimeUnit.NANOSECONDS, time.ticker()), time.scheduler());
    Context.CancellationListener callerLeft = ctx -> scope.cancel(ctx.cancellationCause());
    caller.addListener(callerLeft, Runnable::run);
    scope.addListener(ctx -> caller.removeListener(callerLeft), Runnable::run);
    return scope;
  }

  /** The caller left (cancelled or interrupted): the call is aborted and counts for nothing. */
  private <T> T abandoned(String operation, long started, Context caller, io.opentelemetry.api.trace.Span span) {
    breaker.releasePermission();
    record(operation, Outcome.CANCELLED, started, span);
    throw new KofuException(Reason.MUNICIPALITY_TIMEOUT, "request cancelled", Map.of("municipality_code", code));
  }

  private void record(String operation, Outcome outcome, long startedNanos, io.opentelemetry.api.trace.Span span) {
    count(operation, outcome, span);
    timers
        .computeIfAbsent(
            operation + "/" + outcome,
            k ->
                Timer.builder("kofu.municipality.call.duration")
                    .tag("municipality", code)
                    .tag("operation", operation)
                    .tag("outcome", outcome.tag())
                    .description("time the caller waited for the municipality")
                    .register(meters))
        .record(time.ticker().nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
  }

  private void count(String operation, Outcome outcome, io.opentelemetry.api.trace.Span span) {
    if (span != null) {
      // The outcome, as the metrics name it; the municipality's failures mark the span an error
      // (a refusal is the municipality's answer, and a call the copier abandoned is nobody's fault).
      span.setAttribute(SPAN_OUTCOME, outcome.tag());
      if (outcome == Outcome.TIMEOUT || outcome == Outcome.FAILED || outcome == Outcome.CIRCUIT_OPEN || outcome == Outcome.BUSY) {
        span.setStatus(io.opentelemetry.api.trace.StatusCode.ERROR, outcome.tag());
      }
    }
    counters
        .computeIfAbsent(
            operation + "/" + outcome,
            k ->
                Counter.builder("kofu.municipality.calls")
                    .tag("municipality", code)
                    .tag("operation", operation)
                    .tag("outcome", outcome.tag())
                    .register(meters))
        .increment();
  }

  /** Interrupts what still runs; the adapter, which may serve other municipalities too, is closed by its owner. */
  @Override
  public void close() {
    executor.shutdownNow();
  }
}
