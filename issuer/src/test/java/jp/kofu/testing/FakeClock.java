package jp.kofu.testing;

import io.grpc.Deadline;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RunnableScheduledFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import jp.kofu.issuer.JapanTime;
import jp.kofu.issuer.calendar.BusinessDays;
import jp.kofu.time.TimeSource;

/**
 * The one test clock (in the manner of grpc-java's {@code FakeClock}): a {@link Clock}, the
 * {@link Deadline.Ticker} deadlines count on, and a {@link ScheduledExecutorService} whose tasks
 * run when the test moves time on. Nothing moves unless the test says so: {@link #forward} moves
 * clock and ticker together and runs, on the caller's thread and in order of due time, every task
 * that falls due (deadlines fire, periodic work runs, a breaker's open period ends), so that a test
 * of a deadline or an expiry never sleeps.
 *
 * <p>Hand it to a gateway or a world whole ({@code time(clock)}), or as a plain {@link Clock}
 * where only the wall time matters. {@link #set} moves the wall clock alone, as an adjustment of
 * the machine's clock would: deadlines and scheduled tasks keep counting on the ticker.
 *
 * <p>Tasks never run inside {@code schedule} or {@code execute}, only in {@link #forward} or
 * {@link #runDueTasks}: as with a real timer, the scheduling thread goes on first.
 *
 * <p>A deadline on this ticker must not meet one on the system ticker (gRPC refuses to compare
 * them): give a gateway this fake's ticker only when its adapters make no gRPC calls of their own
 * with deadlines ({@code remote} does).
 */
public final class FakeClock extends Clock implements TimeSource {
  private final Object lock = new Object();
  private final PriorityQueue<Task<?>> tasks = new PriorityQueue<>();
  private final Scheduler scheduler = new Scheduler();
  private final Deadline.Ticker ticker =
      new Deadline.Ticker() {
        @Override
        public long nanoTime() {
          synchronized (lock) {
            return nanos;
          }
        }
      };
  private Instant now;
  private long nanos;
  private long sequence;

  public FakeClock(Instant start) {
    this.now = Objects.requireNonNull(start, "start");
  }

  /**
   * Standing at 10:00 in Japan on the latest business day not after now: inside every
   * municipality's service hours (and office hours) whenever the tests run, and never in the
   * future, so that certificates made on this clock are valid by the wall clock too.
   */
  public static FakeClock inServiceHours() {
    return new FakeClock(lastBusinessMorning());
  }

  /**
   * A clock that runs with the machine's, started at {@link #lastBusinessMorning()}: for a world
   * that must live in real time (a child process, a cluster, real gRPC deadlines between
   * processes). Only the wall time is shifted; deadlines there are real ones.
   */
  public static Clock runningInServiceHours() {
    Instant real = Instant.now();
    return Clock.offset(Clock.systemUTC(), Duration.between(real, lastBusinessMorning(real)));
  }

  /** 10:00 in Japan on the latest business day not after now. */
  public static Instant lastBusinessMorning() {
    return lastBusinessMorning(Instant.now());
  }

  /** 10:00 in Japan on the latest business day not after {@code now}. */
  public static Instant lastBusinessMorning(Instant now) {
    LocalDate day = JapanTime.date(now);
    Instant t = day.atTime(10, 0).atZone(JapanTime.ZONE).toInstant();
    while (t.isAfter(now) || !BusinessDays.isBusinessDay(day)) {
      day = day.minusDays(1);
      t = day.atTime(10, 0).atZone(JapanTime.ZONE).toInstant();
    }
    return t;
  }

  /** Moves clock and ticker on by {@code d} and runs what falls due; returns how many tasks ran. */
  public int forward(Duration d) {
    if (d.isNegative()) {
      throw new IllegalArgumentException("forward: " + d + " (expected: not negative; set() moves the wall clock back)");
    }
    // Step from due time to due time, so that each task sees the time it was due at, and a task
    // scheduled by another within the interval runs too.
    long target;
    synchronized (lock) {
      target = nanos + d.toNanos();
    }
    int ran = 0;
    while (true) {
      synchronized (lock) {
        Task<?> next = tasks.peek();
        long step = next != null && next.due <= target ? Math.max(next.due, nanos) : target;
        now = now.plusNanos(step - nanos);
        nanos = step;
      }
      ran += runDueTasks();
      synchronized (lock) {
        if (nanos == target && (tasks.isEmpty() || tasks.peek().due > target)) {
          return ran;
        }
      }
    }
  }

  /** Sets the wall clock alone (deadlines and scheduled tasks count on the ticker and do not move). */
  public void set(Instant instant) {
    synchronized (lock) {
      now = Objects.requireNonNull(instant, "instant");
    }
  }

  /**
   * Moves the wall clock alone back by {@code d}: undoes a {@link #forward} so that a world shared
   * by a test class stays at its moment (certificates made on it must not be from the future).
   */
  public void back(Duration d) {
    synchronized (lock) {
      now = now.minus(d);
    }
  }

  /** Runs the tasks due now, in order of due time; returns how many ran. */
  public int runDueTasks() {
    int ran = 0;
    while (true) {
      Task<?> task;
      synchronized (lock) {
        task = tasks.peek();
        if (task == null || task.due > nanos) {
          return ran;
        }
        tasks.poll();
      }
      task.runAt();
      ran++;
    }
  }

  /** Tasks waiting for their time (cancelled ones leave at once). */
  public int pendingTasks() {
    synchronized (lock) {
      return tasks.size();
    }
  }

  /** How long until the next task is due, or null when none waits. */
  public Duration untilNextTask() {
    synchronized (lock) {
      Task<?> next = tasks.peek();
      return next == null ? null : Duration.ofNanos(Math.max(0, next.due - nanos));
    }
  }

  @Override
  public Instant instant() {
    synchronized (lock) {
      return now;
    }
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  /** The same fake time seen in another zone. */
  @Override
  public Clock withZone(ZoneId zone) {
    FakeClock fake = this;
    return new Clock() {
      @Override
      public Instant instant() {
        return fake.instant();
      }

      @Override
      public ZoneId getZone() {
        return zone;
      }

      @Override
      public Clock withZone(ZoneId other) {
        return fake.withZone(other);
      }
    };
  }

  @Override
  public Clock clock() {
    return this;
  }

  @Override
  public Deadline.Ticker ticker() {
    return ticker;
  }

  @Override
  public ScheduledExecutorService scheduler() {
    return scheduler;
  }

  @Override
  public String toString() {
    return "FakeClock[" + instant() + "]";
  }

  private <V> Task<V> enqueue(Task<V> task) {
    synchronized (lock) {
      tasks.add(task);
    }
    return task;
  }

  private long dueAfter(long delay, TimeUnit unit) {
    synchronized (lock) {
      return nanos + Math.max(0, unit.toNanos(delay));
    }
  }

  /** A task waiting for the fake time; periodic ones requeue themselves after each run. */
  private final class Task<V> extends FutureTask<V> implements RunnableScheduledFuture<V> {
    private final long period; // 0 once; > 0 fixed rate; < 0 fixed delay
    private final long seq;
    private long due;

    Task(Callable<V> work, long due, long period) {
      super(work);
      this.due = due;
      this.period = period;
      synchronized (lock) {
        this.seq = sequence++;
      }
    }

    void runAt() {
      if (period == 0) {
        run();
      } else if (runAndReset()) {
        synchronized (lock) {
          due = period > 0 ? due + period : nanos - period;
          tasks.add(this);
        }
      }
    }

    @Override
    public boolean isPeriodic() {
      return period != 0;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      boolean cancelled = super.cancel(mayInterruptIfRunning);
      synchronized (lock) {
        tasks.remove(this);
      }
      return cancelled;
    }

    @Override
    public long getDelay(TimeUnit unit) {
      synchronized (lock) {
        return unit.convert(due - nanos, TimeUnit.NANOSECONDS);
      }
    }

    @Override
    public int compareTo(Delayed other) {
      if (other instanceof Task<?> t) {
        int byDue = Long.compare(due, t.due);
        return byDue != 0 ? byDue : Long.compare(seq, t.seq);
      }
      return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
    }
  }

  /** The scheduler view: runs nothing until the fake time reaches it. Shared, so never shut down. */
  private final class Scheduler extends AbstractExecutorService implements ScheduledExecutorService {
    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
      return enqueue(new Task<>(Executors.callable(command, null), dueAfter(delay, unit), 0));
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
      return enqueue(new Task<>(callable, dueAfter(delay, unit), 0));
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
      if (period <= 0) {
        throw new IllegalArgumentException("period: " + period + " (expected: > 0)");
      }
      return enqueue(new Task<>(Executors.callable(command, null), dueAfter(initialDelay, unit), unit.toNanos(period)));
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
      if (delay <= 0) {
        throw new IllegalArgumentException("delay: " + delay + " (expected: > 0)");
      }
      return enqueue(new Task<>(Executors.callable(command, null), dueAfter(initialDelay, unit), -unit.toNanos(delay)));
    }

    /** Runs at the next {@link #forward} or {@link #runDueTasks}, never inline. */
    @Override
    public void execute(Runnable command) {
      schedule(command, 0, TimeUnit.NANOSECONDS);
    }

    @Override
    public void shutdown() {
      throw new UnsupportedOperationException("the fake clock's scheduler is shared: cancel what you scheduled instead");
    }

    @Override
    public List<Runnable> shutdownNow() {
      throw new UnsupportedOperationException("the fake clock's scheduler is shared: cancel what you scheduled instead");
    }

    @Override
    public boolean isShutdown() {
      return false;
    }

    @Override
    public boolean isTerminated() {
      return false;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
      throw new UnsupportedOperationException("the fake clock's scheduler never terminates");
    }
  }
}
