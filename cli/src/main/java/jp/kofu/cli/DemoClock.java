package jp.kofu.cli;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import jp.kofu.issuer.JapanTime;
import jp.kofu.issuer.catalog.ServiceHours;
import jp.kofu.issuer.spi.CertificateType;

/**
 * The demo's one clock (production code, not a test clock: the demo runs a real gateway whose
 * deadlines, timers and TLS need real time to pass): the wall clock, set back to the last moment of service when the demo runs
 * outside the national service hours (at night, or from 29 December to 3 January), so that it
 * shows issued certificates at any hour; and moved on purpose once, to show what a copier is told
 * outside the hours.
 */
final class DemoClock extends Clock {
  private final Clock wall;
  private volatile Duration offset;

  DemoClock(Clock wall) {
    this.wall = wall;
    Instant now = wall.instant();
    this.offset = Duration.between(now, lastOpen(now));
  }

  /** What a demo run may take at most; it must not cross the closing time. */
  private static final Duration RUN = Duration.ofMinutes(15);

  /**
   * {@code now} when the service stays open for a whole run from then; else a moment before the
   * last closing from which it does.
   */
  static Instant lastOpen(Instant now) {
    if (ServiceHours.DEFAULT.isOpen(CertificateType.RESIDENCE, now)
        && ServiceHours.DEFAULT.isOpen(CertificateType.RESIDENCE, now.plus(RUN))) {
      return now;
    }
    LocalDate day = JapanTime.date(now);
    while (true) {
      Instant candidate = day.atTime(ServiceHours.DEFAULT_CLOSE.minus(RUN)).atZone(JapanTime.ZONE).toInstant();
      if (!candidate.isAfter(now) && ServiceHours.DEFAULT.isOpen(CertificateType.RESIDENCE, candidate)) {
        return candidate;
      }
      day = day.minusDays(1);
    }
  }

  /** Whether the demo runs at another time than the wall clock's. */
  boolean shifted() {
    return !offset.isZero();
  }

  /** Runs {@code work} as if it were {@code at}, then returns to the demo's time. */
  <T> T at(Instant at, java.util.function.Supplier<T> work) {
    Duration saved = offset;
    offset = Duration.between(wall.instant(), at);
    try {
      return work.get();
    } finally {
      offset = saved;
    }
  }

  @Override
  public Instant instant() {
    return wall.instant().plus(offset);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("the demo clock is UTC");
  }
}
