package jp.kofu.grpc;

import io.grpc.Server;
import io.grpc.protobuf.services.HealthStatusManager;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * How a kofu server stops: health turns NOT_SERVING (load balancers move away), new calls are
 * refused, calls in flight get {@code grace} to finish, and then whatever still runs is cancelled.
 */
public final class GracefulStop {
  private GracefulStop() {}

  public static void stop(Server server, HealthStatusManager health, Duration grace, Logger log) {
    health.enterTerminalState();
    server.shutdown();
    try {
      if (!server.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("calls still running after {} ms: cancelling them", grace.toMillis());
        server.shutdownNow();
        server.awaitTermination(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
