package jp.kofu.time;

import io.grpc.Deadline;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/** The machine's time ({@link TimeSource#system()}). */
final class SystemTime implements TimeSource {
  static final SystemTime INSTANCE = new SystemTime();

  private SystemTime() {}

  /** Created on first use, a daemon that lives as long as the process (as gRPC's own timer does). */
  private static final class Timer {
    static final ScheduledThreadPoolExecutor EXECUTOR = create();

    private static ScheduledThreadPoolExecutor create() {
      ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().daemon().name("kofu-timer").factory());
      // Deadlines are mostly cancelled (the call answered in time): do not keep them queued.
      e.setRemoveOnCancelPolicy(true);
      return e;
    }
  }

  @Override
  public Clock clock() {
    return Clock.systemUTC();
  }

  @Override
  public Deadline.Ticker ticker() {
    return Deadline.getSystemTicker();
  }

  @Override
  public ScheduledExecutorService scheduler() {
    return Timer.EXECUTOR;
  }
}
