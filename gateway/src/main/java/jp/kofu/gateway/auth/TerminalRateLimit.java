package jp.kofu.gateway.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import jp.kofu.gateway.error.KofuException;
import jp.kofu.proto.type.v1.Reason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At most {@code requests} kiosk calls per {@code period} from one terminal (a token bucket that
 * refills continuously), refused with RATE_LIMITED and retry_after_ms beyond that. Per gateway,
 * not cluster-wide: a copier keeps one connection to one gateway, and the limit protects that
 * gateway's own threads and its municipalities from a copier gone wrong; counting in the journal
 * would cost a database round trip on every call. Runs after {@link TerminalAuthInterceptor}.
 */
public final class TerminalRateLimit implements ServerInterceptor {
  private static final Logger log = LoggerFactory.getLogger(TerminalRateLimit.class);

  /** Default: a copier serving residents makes a handful of calls a minute; this is far above. */
  public static final int DEFAULT_REQUESTS = 600;
  public static final Duration DEFAULT_PERIOD = Duration.ofMinutes(1);

  private final int requests;
  private final Duration period;
  private final TimeMeter time;
  /** Only authenticated terminals get a bucket, so this is bounded by the copiers that exist. */
  private final Cache<String, Bucket> buckets;
  /** Terminals warned about recently: one log line per terminal and period, not one per call. */
  private final Cache<String, Boolean> warned;

  public TerminalRateLimit(int requests, Duration period, Clock clock) {
    if (requests < 1 || period.isNegative() || period.isZero()) {
      throw new IllegalArgumentException("terminal rate limit: " + requests + " per " + period + " (expected: at least 1 per a positive period)");
    }
    this.requests = requests;
    this.period = period;
    this.time = new ClockTime(clock);
    this.buckets = Caffeine.newBuilder().maximumSize(200_000).expireAfterAccess(period.multipliedBy(2)).build();
    this.warned = Caffeine.newBuilder().maximumSize(200_000).expireAfterWrite(period).build();
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    TerminalIdentity terminal = TerminalIdentity.CURRENT.get();
    if (terminal == null) {
      throw new IllegalStateException("TerminalRateLimit must run behind TerminalAuthInterceptor");
    }
    Bucket bucket = buckets.get(terminal.id(), id -> newBucket());
    ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
    if (probe.isConsumed()) {
      return next.startCall(call, headers);
    }
    long retryMs = Math.max(1, Duration.ofNanos(probe.getNanosToWaitForRefill()).toMillis());
    if (warned.asMap().putIfAbsent(terminal.id(), Boolean.TRUE) == null) {
      log.warn("terminal {} is over its rate limit of {} calls per {} s: refusing calls", terminal, requests, period.toSeconds());
    }
    var status =
        new KofuException(
                Reason.RATE_LIMITED,
                "more than " + requests + " calls per " + period.toSeconds() + " s from this terminal",
                Map.of("retry_after_ms", Long.toString(retryMs)))
            .toStatusException();
    call.close(status.getStatus(), status.getTrailers() == null ? new Metadata() : status.getTrailers());
    return new ServerCall.Listener<>() {};
  }

  private Bucket newBucket() {
    return Bucket.builder()
        .addLimit(limit -> limit.capacity(requests).refillGreedy(requests, period))
        .withCustomTimePrecision(time)
        .build();
  }

  /** Bucket4j on the gateway's clock, so that tests move time instead of sleeping. */
  private record ClockTime(Clock clock) implements TimeMeter {
    @Override
    public long currentTimeNanos() {
      Instant now = clock.instant();
      return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    @Override
    public boolean isWallClockBased() {
      return true;
    }
  }
}
