package jp.kofu.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Context;
import io.grpc.Deadline;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import jp.kofu.issuer.JapanTime;
import org.junit.jupiter.api.Test;

class FakeClockTest {
  static final Instant T0 = Instant.parse("2026-11-26T01:00:00Z");

  @Test
  void forwardMovesClockAndTickerTogetherAndSetMovesTheWallClockAlone() {
    FakeClock clock = new FakeClock(T0);
    long t = clock.ticker().nanoTime();
    clock.forward(Duration.ofSeconds(90));
    assertThat(clock.instant()).isEqualTo(T0.plusSeconds(90));
    assertThat(clock.ticker().nanoTime() - t).isEqualTo(TimeUnit.SECONDS.toNanos(90));
    clock.set(T0.minusSeconds(3600));
    assertThat(clock.instant()).isEqualTo(T0.minusSeconds(3600));
    assertThat(clock.ticker().nanoTime() - t).isEqualTo(TimeUnit.SECONDS.toNanos(90));
    assertThatThrownBy(() -> clock.forward(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void tasksRunWhenTheirTimeComesInOrderSeeingTheTimeTheyWereDueAt() {
    FakeClock clock = new FakeClock(T0);
    List<String> ran = new ArrayList<>();
    clock.scheduler().schedule(() -> ran.add("b@" + clock.instant()), 2, TimeUnit.SECONDS);
    clock.scheduler().schedule(() -> ran.add("a@" + clock.instant()), 1, TimeUnit.SECONDS);
    ScheduledFuture<?> never = clock.scheduler().schedule(() -> ran.add("cancelled"), 1, TimeUnit.SECONDS);
    clock.scheduler().execute(() -> ran.add("now"));
    never.cancel(false);
    assertThat(ran).as("nothing runs inline").isEmpty();
    assertThat(clock.pendingTasks()).isEqualTo(3);

    assertThat(clock.forward(Duration.ofMillis(1500))).isEqualTo(2);
    assertThat(ran).containsExactly("now", "a@" + T0.plusSeconds(1));
    assertThat(clock.untilNextTask()).isEqualTo(Duration.ofMillis(500));
    clock.forward(Duration.ofSeconds(10));
    assertThat(ran).containsExactly("now", "a@" + T0.plusSeconds(1), "b@" + T0.plusSeconds(2));
    assertThat(clock.instant()).isEqualTo(T0.plusMillis(11_500));
    assertThat(clock.untilNextTask()).isNull();
  }

  @Test
  void periodicTasksRunOncePerPeriodPassedAndATaskScheduledByATaskRunsInTheSameForward() {
    FakeClock clock = new FakeClock(T0);
    List<Instant> ticks = new ArrayList<>();
    List<Instant> chained = new ArrayList<>();
    ScheduledFuture<?> every = clock.scheduler().scheduleWithFixedDelay(() -> ticks.add(clock.instant()), 0, 1, TimeUnit.MINUTES);
    clock.scheduler().schedule(() -> clock.scheduler().schedule(() -> chained.add(clock.instant()), 30, TimeUnit.SECONDS), 30, TimeUnit.SECONDS);
    clock.forward(Duration.ofMinutes(3));
    assertThat(ticks).containsExactly(T0, T0.plusSeconds(60), T0.plusSeconds(120), T0.plusSeconds(180));
    assertThat(chained).containsExactly(T0.plusSeconds(60));
    every.cancel(false);
    clock.forward(Duration.ofMinutes(3));
    assertThat(ticks).hasSize(4);
    assertThat(clock.pendingTasks()).isZero();
  }

  @Test
  void aGrpcDeadlineOnItsTickerFiresWhenTimeIsForwardedAndNotBefore() {
    FakeClock clock = new FakeClock(T0);
    Context.CancellableContext scope =
        Context.current().withDeadline(Deadline.after(2, TimeUnit.SECONDS, clock.ticker()), clock.scheduler());
    clock.forward(Duration.ofMillis(1999));
    assertThat(scope.isCancelled()).isFalse();
    assertThat(scope.getDeadline().timeRemaining(TimeUnit.MILLISECONDS)).isEqualTo(1);
    clock.forward(Duration.ofMillis(1));
    assertThat(scope.isCancelled()).isTrue();
    assertThat(scope.cancellationCause()).isInstanceOf(TimeoutException.class);
  }

  @Test
  void theServiceHoursMorningIsTenOClockOnTheLastBusinessDayNotAfterNow() {
    // Thursday 26 November 2026, 15:00 JST: the same morning. 05:00: the morning before.
    assertThat(FakeClock.lastBusinessMorning(jst(2026, 11, 26, 15))).isEqualTo(jst(2026, 11, 26, 10));
    assertThat(FakeClock.lastBusinessMorning(jst(2026, 11, 27, 5))).isEqualTo(jst(2026, 11, 26, 10));
    // Sunday 29 November: Friday. 2 January 2027 (年末年始): 28 December.
    assertThat(FakeClock.lastBusinessMorning(jst(2026, 11, 29, 12))).isEqualTo(jst(2026, 11, 27, 10));
    assertThat(FakeClock.lastBusinessMorning(jst(2027, 1, 2, 12))).isEqualTo(jst(2026, 12, 28, 10));
    assertThat(FakeClock.inServiceHours().instant()).isBeforeOrEqualTo(Instant.now());
  }

  static Instant jst(int y, int mo, int d, int h) {
    return LocalDateTime.of(y, mo, d, h, 0).atZone(JapanTime.ZONE).toInstant();
  }
}
