package jp.kofu.time;

import io.grpc.Deadline;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Where time comes from, in one object: the wall clock (document and certificate validity, expiry
 * of challenges, sessions, lockouts and rate limits, service hours), the ticker that deadlines and
 * durations count on, and the scheduler that fires deadlines and periodic work. Whatever depends on
 * time reads it from here and never from {@code Instant.now()}, {@code System.nanoTime()} or a
 * timed wait of its own, so that a test replaces all three at once with a fake it moves by hand.
 *
 * <p>The three agree in a test (moving the fake moves its clock and ticker and runs what falls
 * due); in production the clock is the system's or a shifted one (the demo, {@code --as-of}) while
 * the ticker and scheduler stay the system's.
 */
public interface TimeSource {
  /** The wall clock: what time it is. */
  Clock clock();

  /** What deadlines count on ({@link Deadline#after(long, java.util.concurrent.TimeUnit, Deadline.Ticker)}) and durations are measured with. */
  Deadline.Ticker ticker();

  /**
   * Fires deadlines and periodic work. Its tasks must be short (cancel a context, hand work on to
   * a thread of their owner): one that blocks delays every deadline behind it. Shared: cancel what
   * you schedule, never shut it down.
   */
  ScheduledExecutorService scheduler();

  /** The machine's time: the UTC system clock, gRPC's system ticker, one shared timer thread. */
  static TimeSource system() {
    return SystemTime.INSTANCE;
  }

  /** This source with another wall clock (a shifted production clock); ticker and scheduler unchanged. */
  default TimeSource withClock(Clock clock) {
    Objects.requireNonNull(clock, "clock");
    Deadline.Ticker ticker = ticker();
    ScheduledExecutorService scheduler = scheduler();
    return new TimeSource() {
      @Override
      public Clock clock() {
        return clock;
      }

      @Override
      public Deadline.Ticker ticker() {
        return ticker;
      }

      @Override
      public ScheduledExecutorService scheduler() {
        return scheduler;
      }
    };
  }
}
