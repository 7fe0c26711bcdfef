package jp.kofu.sim.load;

import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import jp.kofu.sim.copier.Copier;

/**
 * One simulated copier terminal with a connection to each gateway of the cluster. Calls go to its
 * current gateway; a call that fails without an answer (see {@link Failure#TRANSPORT}) moves the
 * terminal to the next gateway and is made again there, and a "not now" answer is retried after
 * the pause the gateway asked for, until the visit's retry budget runs out. Every call a copier
 * makes is safe to repeat: an issuance is keyed by its order id, a confirmation by its issuance
 * and outcome, a session is valid on every gateway of the cluster.
 */
final class Terminal implements AutoCloseable {
  /** The pause before a retry when every gateway failed in a row or none said how long. */
  static final long PAUSE_MS = 200;

  /** At most this long between retries, whatever the gateway asked. */
  static final long MAX_PAUSE_MS = 1000;

  private final List<Copier> copiers;
  private volatile int current;

  Terminal(List<Copier> copiers, int first) {
    this.copiers = List.copyOf(copiers);
    this.current = Math.floorMod(first, copiers.size());
  }

  /**
   * Runs {@code call} until it is answered, a refusal comes, or {@code deadlineNanos}
   * (System.nanoTime) passes; then the last failure is thrown. {@code order} (may be null) counts
   * its transport failures.
   */
  <T> T call(LoadMetrics metrics, long deadlineNanos, OrderLedger.Order order, Function<Copier, T> call) {
    int transportInARow = 0;
    while (true) {
      int g = current;
      try {
        return call.apply(copiers.get(g));
      } catch (StatusRuntimeException e) {
        Failure kind = Failure.of(e);
        if (kind == Failure.REFUSAL) {
          throw e;
        }
        long pauseMs;
        if (kind == Failure.TRANSPORT) {
          metrics.transportFailure(Failure.label(e));
          if (order != null) {
            order.transportFailure();
          }
          transportInARow++;
          if (copiers.size() > 1) {
            current = (g + 1) % copiers.size();
            metrics.failover();
          }
          // Straight to the next gateway; a pause once all of them failed in a row.
          pauseMs = transportInARow % copiers.size() == 0 ? PAUSE_MS : 0;
        } else {
          metrics.retryLater(Failure.label(e));
          transportInARow = 0;
          pauseMs = Math.min(MAX_PAUSE_MS, Failure.retryAfterMs(e, PAUSE_MS));
        }
        if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(pauseMs) > deadlineNanos) {
          throw e;
        }
        sleep(pauseMs);
      }
    }
  }

  private static void sleep(long ms) {
    if (ms <= 0) {
      return;
    }
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** The copier of the current gateway (for what a copier does alone: checking a document). */
  Copier copier() {
    return copiers.get(current);
  }

  @Override
  public void close() {
    copiers.forEach(Copier::close);
  }
}
