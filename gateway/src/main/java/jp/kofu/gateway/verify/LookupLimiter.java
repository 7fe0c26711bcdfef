package jp.kofu.gateway.verify;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A token bucket per client address: {@code perMinute} lookups a minute, as a burst or spread
 * out. What makes guessing codes hopeless (see {@link Verifications}). The table of addresses is
 * bounded: the least recently seen are forgotten first, which can only favour an address, never
 * block one wrongly. Thread-safe; time comes from the injected clock.
 */
final class LookupLimiter {
  static final int MAX_ADDRESSES = 100_000;

  private final Clock clock;
  private final double capacity;
  private final double perNano;
  private final Map<InetAddress, double[]> buckets =
      new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<InetAddress, double[]> eldest) {
          return size() > MAX_ADDRESSES;
        }
      };

  LookupLimiter(Clock clock, int perMinute) {
    this.clock = clock;
    this.capacity = perMinute;
    this.perNano = perMinute / (double) Duration.ofMinutes(1).toNanos();
  }

  /** 0 when a lookup may go ahead now (and is counted), else the milliseconds to wait. */
  synchronized long acquire(InetAddress address) {
    long now = nanos();
    double[] b = buckets.computeIfAbsent(address, a -> new double[] {capacity, now});
    b[0] = Math.min(capacity, b[0] + (now - b[1]) * perNano);
    b[1] = now;
    if (b[0] >= 1) {
      b[0] -= 1;
      return 0;
    }
    return (long) Math.ceil((1 - b[0]) / perNano / 1_000_000);
  }

  private long nanos() {
    var i = clock.instant();
    return i.getEpochSecond() * 1_000_000_000L + i.getNano();
  }
}
