package jp.kofu.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Context;
import io.grpc.Deadline;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import jp.kofu.gateway.error.KofuException;
import jp.kofu.issuer.spi.CardQuery;
import jp.kofu.issuer.spi.IssueCommand;
import jp.kofu.issuer.spi.IssuedDocument;
import jp.kofu.issuer.spi.IssuerAdapter;
import jp.kofu.issuer.spi.MunicipalityOfferings;
import jp.kofu.issuer.spi.OfferingsQuery;
import jp.kofu.issuer.spi.ResidentRef;
import jp.kofu.proto.type.v1.Reason;
import jp.kofu.testing.FakeClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A municipality's deadline, breaker and call durations all run on the injected time: the tests
 * move a fake clock past the deadline or the open period instead of waiting for either. The caller
 * waits only for its call to end; nothing here sleeps.
 */
class MunicipalityTimeTest {
  static final Duration DEADLINE = Duration.ofSeconds(2);
  static final Duration OPEN_FOR = Duration.ofSeconds(30);
  static final IssuerAdapter UNUSED =
      new IssuerAdapter() {
        @Override
        public Set<String> municipalityCodes() {
          return Set.of("131016");
        }

        @Override
        public ResidentRef resolveCard(CardQuery query) {
          throw new AssertionError();
        }

        @Override
        public MunicipalityOfferings offerings(OfferingsQuery query) {
          throw new AssertionError();
        }

        @Override
        public IssuedDocument issue(IssueCommand command) {
          throw new AssertionError();
        }
      };

  final FakeClock clock = new FakeClock(Instant.parse("2026-11-26T01:00:00Z"));
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  // A breaker that opens when 2 of 2 calls fail, for 30 s, then lets 1 trial call through.
  final Municipality municipality =
      new Municipality("131016", UNUSED, new Isolation(DEADLINE, 2, new Isolation.Breaker(2, 2, 50f, OPEN_FOR, 1)), clock, meters);

  @AfterEach
  void close() {
    municipality.close();
  }

  /**
   * A call that hangs in the adapter, ignoring nothing: it sees the interrupt when the deadline fires.
   * The caller is answered as soon as the call is cancelled; the interrupt reaches the adapter's
   * thread a moment later, so {@link #wasInterrupted} waits for it (an event, not a duration).
   */
  final class Hang {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch interrupted = new CountDownLatch(1);
    final AtomicLong remainingAtStart = new AtomicLong(-1);

    boolean wasInterrupted() throws InterruptedException {
      return interrupted.await(30, TimeUnit.SECONDS);
    }

    boolean interruptedYet() {
      return interrupted.getCount() == 0;
    }

    CompletableFuture<String> start(Context in) {
      return async(
          () ->
              in.call(
                  () ->
                      municipality.call(
                          "issue",
                          a -> {
                            remainingAtStart.set(Context.current().getDeadline().timeRemaining(TimeUnit.MILLISECONDS));
                            entered.countDown();
                            try {
                              new CountDownLatch(1).await();
                            } catch (InterruptedException e) {
                              interrupted.countDown();
                            }
                            return "too late";
                          })));
    }
  }

  static <T> CompletableFuture<T> async(java.util.concurrent.Callable<T> work) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return work.call();
          } catch (RuntimeException e) {
            throw e;
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
  }

  static Reason reasonOf(CompletableFuture<?> f) throws InterruptedException {
    try {
      f.get();
      throw new AssertionError("the call succeeded");
    } catch (ExecutionException e) {
      return ((KofuException) e.getCause()).reason();
    }
  }

  @Test
  void theCallersLogKeysGoWithTheCallToTheWorkerThreadAndLeaveWithIt() throws Exception {
    org.slf4j.MDC.put("request_id", "r-131016-1");
    try {
      String seen = municipality.call("issue", a -> Thread.currentThread().getName() + " " + org.slf4j.MDC.get("request_id"));
      assertThat(seen).as("what the adapter logs names the request").startsWith("municipality-131016-").endsWith(" r-131016-1");
    } finally {
      org.slf4j.MDC.remove("request_id");
    }
    // A call without log keys carries none.
    assertThat(municipality.<String>call("issue", a -> String.valueOf(org.slf4j.MDC.get("request_id")))).isEqualTo("null");
  }

  /**
   * A call whose caller is already gone when it starts is aborted at once, often before its worker
   * thread ever ran: its concurrency permit must come back all the same. Before, such a task's
   * permit was lost for good; two of them filled this municipality's limit of 2, and every later
   * call was MUNICIPALITY_BUSY until a restart (seen under load: a cluster gateway refused its
   * municipality for minutes after the load ended).
   */
  @Test
  void callsAbortedBeforeTheirWorkBeganGiveTheirPermitBack() throws Exception {
    Context.CancellableContext gone = Context.current().withCancellation();
    gone.cancel(null);
    for (int i = 0; i < 200; i++) {
      try {
        gone.call(() -> municipality.<String>call("offerings", a -> "answered"));
      } catch (KofuException e) {
        assertThat(e.reason()).as("call " + i).isEqualTo(Reason.MUNICIPALITY_TIMEOUT);
      }
    }
    // Work that did begin returns its permit when it ends, on its own thread: wait for that event.
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (municipality.inFlight() > 0 && System.nanoTime() < until) {
      Thread.onSpinWait();
    }
    assertThat(municipality.inFlight()).isZero();
    String answer = municipality.call("offerings", a -> "answered");
    assertThat(answer).isEqualTo("answered");
  }

  @Test
  void aHungCallIsAbortedWhenTheFakeClockPassesItsDeadlineAndNotBefore() throws Exception {
    Hang hang = new Hang();
    CompletableFuture<String> call = hang.start(Context.current());
    hang.entered.await();
    assertThat(hang.remainingAtStart.get()).as("the adapter's context carries the deadline, on the fake ticker").isEqualTo(DEADLINE.toMillis());

    clock.forward(DEADLINE.minusMillis(1));
    assertThat(call).isNotDone();
    assertThat(hang.interruptedYet()).isFalse();
    clock.forward(Duration.ofMillis(1));

    assertThat(reasonOf(call)).isEqualTo(Reason.MUNICIPALITY_TIMEOUT);
    assertThat(hang.wasInterrupted()).as("the adapter's thread was interrupted").isTrue();
    assertThat(meters.find("kofu.municipality.calls").tag("outcome", "timeout").counter().count()).isEqualTo(1.0);
    // The caller waited exactly the deadline, as the ticker counts it.
    assertThat(meters.find("kofu.municipality.call.duration").tag("outcome", "timeout").timer().totalTime(TimeUnit.MILLISECONDS))
        .isEqualTo(DEADLINE.toMillis());
  }

  @Test
  void theCallersEarlierDeadlineOnTheSystemTickerIsCarriedOverAndItsCancellationAbandonsTheCall() throws Exception {
    // As in a gRPC server call: the caller's context has a deadline on the real ticker.
    Context.CancellableContext caller =
        Context.current().withDeadline(Deadline.after(1, TimeUnit.HOURS), clock.scheduler()).withCancellation();
    Hang hang = new Hang();
    CompletableFuture<String> call = hang.start(caller);
    hang.entered.await();
    assertThat(hang.remainingAtStart.get()).isEqualTo(DEADLINE.toMillis());

    caller.cancel(null); // the copier went away
    assertThat(reasonOf(call)).isEqualTo(Reason.MUNICIPALITY_TIMEOUT);
    assertThat(hang.wasInterrupted()).as("the adapter's thread was interrupted").isTrue();
    assertThat(meters.find("kofu.municipality.calls").tag("outcome", "cancelled").counter().count()).isEqualTo(1.0);
    assertThat(municipality.status()).isEqualTo(Municipality.Status.SERVING);
  }

  @Test
  void twoTimeoutsOpenTheCircuitUntilTheFakeClockPassesTheOpenPeriod() throws Exception {
    for (int i = 0; i < 2; i++) {
      Hang hang = new Hang();
      CompletableFuture<String> call = hang.start(Context.current());
      hang.entered.await();
      clock.forward(DEADLINE);
      assertThat(reasonOf(call)).isEqualTo(Reason.MUNICIPALITY_TIMEOUT);
    }
    assertThat(municipality.status()).isEqualTo(Municipality.Status.CIRCUIT_OPEN);
    CompletableFuture<String> refused = async(() -> municipality.call("issue", a -> "served"));
    assertThat(reasonOf(refused)).isEqualTo(Reason.MUNICIPALITY_UNAVAILABLE);

    clock.forward(OPEN_FOR.minusSeconds(1));
    assertThat(reasonOf(async(() -> municipality.call("issue", a -> "served")))).isEqualTo(Reason.MUNICIPALITY_UNAVAILABLE);
    clock.forward(Duration.ofSeconds(2));
    // Past the open period: the trial call goes through, succeeds and closes the circuit.
    String served = municipality.call("issue", a -> "served");
    assertThat(served).isEqualTo("served");
    assertThat(municipality.status()).isEqualTo(Municipality.Status.SERVING);
  }

  @Test
  void anAnswerBeforeTheDeadlineIsReturnedAndTheDeadlineNoLongerWaitsInTheScheduler() throws Exception {
    String answer = municipality.call("issue", a -> "on time");
    assertThat(answer).isEqualTo("on time");
    assertThat(clock.pendingTasks()).as("the answered call's deadline was cancelled").isZero();
    clock.forward(DEADLINE.multipliedBy(10));
    assertThat(meters.find("kofu.municipality.calls").tag("outcome", "timeout").counter()).isNull();
  }
}
