package jp.kofu.gateway.routing;

import io.grpc.Context;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import jp.kofu.gateway.error.KofuException;
import jp.kofu.issuer.spi.IssuanceRefusedException;
import jp.kofu.issuer.spi.IssuerAdapter;
import jp.kofu.proto.type.v1.Reason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One municipality as the gateway reaches it: its adapter behind a concurrency limit and a
 * deadline, so that a slow or hung municipality cannot hold the others' threads. A call past its
 * deadline (or whose copier went away) is interrupted and its result, if it ever comes, dropped:
 * only the caller's thread journals and streams, so no later request can receive it.
 */
public final class Municipality implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Municipality.class);

  private final String code;
  private final IssuerAdapter adapter;
  private final Duration deadline;
  private final Semaphore permits;
  private final ExecutorService executor;

  public Municipality(String code, IssuerAdapter adapter, Duration deadline, int maxConcurrent) {
    this.code = code;
    this.adapter = adapter;
    this.deadline = deadline;
    this.permits = new Semaphore(maxConcurrent);
    this.executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("municipality-" + code + "-", 0).factory());
  }

  public String code() {
    return code;
  }

  public IssuerAdapter adapter() {
    return adapter;
  }

  /** Work done against the adapter that may refuse. */
  @FunctionalInterface
  public interface AdapterCall<T> {
    T call(IssuerAdapter adapter) throws IssuanceRefusedException;
  }

  /**
   * Runs {@code work} under this municipality's limit and deadline.
   *
   * @throws IssuanceRefusedException the municipality's own refusal
   * @throws KofuException MUNICIPALITY_BUSY, MUNICIPALITY_TIMEOUT or MUNICIPALITY_UNAVAILABLE
   */
  public <T> T call(String operation, AdapterCall<T> work) throws IssuanceRefusedException {
    if (!permits.tryAcquire()) {
      throw new KofuException(
          Reason.MUNICIPALITY_BUSY, code + " is at its concurrency limit", Map.of("municipality_code", code, "retry_after_ms", "1000"));
    }
    // The permit is released when the work really ends, not when the caller gives up: a hung
    // municipality fills its own limit and then fails fast, instead of piling up threads.
    Callable<T> task =
        () -> {
          try {
            return work.call(adapter);
          } finally {
            permits.release();
          }
        };
    Future<T> future;
    try {
      future = executor.submit(task);
    } catch (RuntimeException e) {
      permits.release();
      throw new KofuException(Reason.MUNICIPALITY_UNAVAILABLE, code + " is shutting down", Map.of("municipality_code", code));
    }
    {
      Context.CancellationListener onCancel = ctx -> future.cancel(true);
      Context context = Context.current();
      context.addListener(onCancel, Runnable::run);
      try {
        long waitNanos = deadline.toNanos();
        if (context.getDeadline() != null) {
          waitNanos = Math.min(waitNanos, context.getDeadline().timeRemaining(TimeUnit.NANOSECONDS));
        }
        return future.get(Math.max(0, waitNanos), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        future.cancel(true);
        log.warn("municipality {} {}: no answer within {} ms, aborted", code, operation, deadline.toMillis());
        throw new KofuException(
            Reason.MUNICIPALITY_TIMEOUT, code + " did not answer within its deadline", Map.of("municipality_code", code));
      } catch (CancellationException e) {
        throw new KofuException(Reason.MUNICIPALITY_TIMEOUT, "request cancelled", Map.of("municipality_code", code));
      } catch (InterruptedException e) {
        future.cancel(true);
        Thread.currentThread().interrupt();
        throw new KofuException(Reason.MUNICIPALITY_TIMEOUT, "request cancelled", Map.of("municipality_code", code));
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof IssuanceRefusedException refused) {
          throw refused;
        }
        if (cause instanceof KofuException k) {
          throw k;
        }
        log.warn("municipality {} {} failed: {}", code, operation, cause.getClass().getName());
        throw new KofuException(
            Reason.MUNICIPALITY_UNAVAILABLE, code + " is failing", Map.of("municipality_code", code));
      } finally {
        context.removeListener(onCancel);
      }
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
    adapter.close();
  }
}
