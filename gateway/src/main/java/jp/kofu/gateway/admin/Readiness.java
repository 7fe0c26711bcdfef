package jp.kofu.gateway.admin;

import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the gateway may take traffic: every {@code interval} each check runs (on a thread of its
 * own, given at most {@code timeout}: a journal that does not answer is as bad as one that refuses),
 * and the gRPC health service's overall status ({@code ""}) and the listed services' follow the
 * result: SERVING only while every check passes and the gateway is not draining. Transitions are
 * logged and counted ({@code kofu_readiness_transitions_total}), so flapping shows.
 *
 * <p>Liveness is not here: a gateway that is not ready is still alive and recovers by itself.
 */
public final class Readiness implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Readiness.class);

  /** One condition of readiness; {@code problem} returns null when it holds, else what is wrong. */
  public record Check(String name, Supplier<String> problem) {
    public Check {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(problem, "problem");
    }
  }

  private final List<Check> checks;
  private final Duration timeout;
  private final HealthStatusManager health;
  private final List<String> services;
  private final ScheduledExecutorService scheduler;
  private final Map<String, Future<String>> running = new ConcurrentHashMap<>();
  private final Map<String, String> problems = new ConcurrentHashMap<>();
  private final Counter transitions;
  private volatile boolean draining;
  private volatile boolean ready;
  private volatile boolean evaluated;

  /**
   * Runs the checks once now (so a gateway is ready as soon as it can be), then every {@code
   * interval}.
   */
  public Readiness(
      List<Check> checks, Duration interval, Duration timeout, HealthStatusManager health, List<String> services, MeterRegistry meters) {
    this.checks = List.copyOf(checks);
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.health = Objects.requireNonNull(health, "health");
    this.services = List.copyOf(services);
    this.transitions = Counter.builder("kofu.readiness.transitions").description("Changes of readiness (either way)").register(meters);
    Gauge.builder("kofu.ready", this, r -> r.ready() ? 1 : 0).description("1 while the gateway takes traffic").register(meters);
    for (Check c : this.checks) {
      Gauge.builder("kofu.readiness.check", this, r -> r.problems.containsKey(c.name()) ? 0 : 1)
          .description("1 while this readiness condition holds")
          .tag("check", c.name())
          .register(meters);
    }
    this.scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("gateway-readiness").factory());
    evaluate();
    long every = interval.toMillis();
    scheduler.scheduleWithFixedDelay(this::evaluateQuietly, every, every, TimeUnit.MILLISECONDS);
  }

  /** True while every check passed at its last run and the gateway is not draining. */
  public boolean ready() {
    return ready && !draining;
  }

  /** Each failing check and what is wrong (empty when ready), plus "draining" while draining. */
  public Map<String, String> problems() {
    Map<String, String> out = new LinkedHashMap<>();
    if (draining) {
      out.put("draining", "the gateway is shutting down");
    }
    for (Check c : checks) {
      String p = problems.get(c.name());
      if (p != null) {
        out.put(c.name(), p);
      }
    }
    return out;
  }

  /** The names of the checks, in order. */
  public List<String> checkNames() {
    return checks.stream().map(Check::name).toList();
  }

  /** True once {@link #drain} was called. */
  public boolean draining() {
    return draining;
  }

  /** Not ready from now on, whatever the checks say: the first step of a drain. */
  public void drain() {
    draining = true;
    apply(false);
  }

  /** Runs every check now and applies the result (also what the schedule does). */
  public synchronized void evaluate() {
    for (Check c : checks) {
      String problem = run(c);
      if (problem == null) {
        problems.remove(c.name());
      } else {
        problems.put(c.name(), problem);
      }
    }
    apply(problems.isEmpty());
  }

  private void evaluateQuietly() {
    try {
      evaluate();
    } catch (RuntimeException e) {
      log.warn("readiness evaluation failed: {}", e.toString());
    }
  }

  private String run(Check c) {
    // A check still hanging from an earlier round is not started again: it is still failing.
    Future<String> f = running.get(c.name());
    if (f == null || f.isDone()) {
      java.util.concurrent.FutureTask<String> task = new java.util.concurrent.FutureTask<>(() -> c.problem().get());
      Thread.ofVirtual().name("readiness-" + c.name()).start(task);
      running.put(c.name(), task);
      f = task;
    }
    try {
      return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      return "no answer within " + timeout.toMillis() + " ms";
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  private synchronized void apply(boolean checksPass) {
    boolean now = checksPass && !draining;
    if (evaluated && now == ready) {
      return;
    }
    boolean first = !evaluated;
    evaluated = true;
    ready = now;
    if (!first) {
      transitions.increment();
    }
    ServingStatus status = now ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
    health.setStatus("", status);
    for (String s : services) {
      health.setStatus(s, status);
    }
    if (now) {
      log.info("gateway ready");
    } else if (draining) {
      log.info("gateway draining: not ready");
    } else {
      log.warn("gateway not ready: {}", problems);
    }
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    for (Future<String> f : running.values()) {
      f.cancel(true);
    }
  }
}
