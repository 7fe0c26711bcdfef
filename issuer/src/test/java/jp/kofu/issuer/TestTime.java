package jp.kofu.issuer;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import jp.kofu.issuer.calendar.BusinessDays;

/**
 * Time for tests that issue: service hours close at 23:00 and over the new year, so a test on the
 * wall clock would fail at night. These are inside every municipality's service (and office)
 * hours whenever the tests run, and never in the future.
 */
public final class TestTime {
  private TestTime() {}

  /** 10:00 in Japan on the latest business day not after now. */
  public static Instant lastBusinessMorning() {
    return lastBusinessMorning(Instant.now());
  }

  public static Instant lastBusinessMorning(Instant now) {
    LocalDate day = JapanTime.date(now);
    Instant t = day.atTime(10, 0).atZone(JapanTime.ZONE).toInstant();
    while (t.isAfter(now) || !BusinessDays.isBusinessDay(day)) {
      day = day.minusDays(1);
      t = day.atTime(10, 0).atZone(JapanTime.ZONE).toInstant();
    }
    return t;
  }

  /**
   * A clock that runs, started at {@link #lastBusinessMorning()}: for a gateway that lives a while
   * (a child process, a world shared by a test class).
   */
  public static Clock runningInServiceHours() {
    Instant now = Instant.now();
    return Clock.offset(Clock.systemUTC(), java.time.Duration.between(now, lastBusinessMorning(now)));
  }

  /** A clock standing still at {@link #lastBusinessMorning()}. */
  public static Clock inServiceHours() {
    return Clock.fixed(lastBusinessMorning(), ZoneOffset.UTC);
  }
}
