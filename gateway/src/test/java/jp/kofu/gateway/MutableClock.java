package jp.kofu.gateway;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/** A clock tests move by hand: expiry and deadlines without sleeping. */
public final class MutableClock extends Clock {
  private final AtomicReference<Instant> now;

  public MutableClock(Instant start) {
    this.now = new AtomicReference<>(start);
  }

  /**
   * 10:00 in Japan on the latest business day not after now: inside every municipality's service
   * hours (and office hours), whenever the tests run, and never in the future, so that
   * certificates made on this clock are valid by the wall clock too.
   */
  public static MutableClock inServiceHours() {
    return new MutableClock(lastBusinessMorning(Instant.now()));
  }

  public static Instant lastBusinessMorning(Instant now) {
    return jp.kofu.issuer.TestTime.lastBusinessMorning(now);
  }

  public void set(Instant instant) {
    now.set(instant);
  }

  public void advance(Duration d) {
    now.updateAndGet(i -> i.plus(d));
  }

  @Override
  public Instant instant() {
    return now.get();
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException();
  }
}
