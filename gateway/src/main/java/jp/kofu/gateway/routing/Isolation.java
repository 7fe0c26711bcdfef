package jp.kofu.gateway.routing;

import java.time.Duration;

/**
 * How each municipality is fenced off from the others: every municipality gets its own instance of
 * each of these, so a slow, failing or hung one exhausts only its own.
 *
 * @param deadline each call to the municipality; past it the call is interrupted and the request
 *     aborted as a whole (MUNICIPALITY_TIMEOUT)
 * @param concurrency calls in flight; more are refused at once (MUNICIPALITY_BUSY). A permit is
 *     returned when the adapter's work really ends, not when the caller gives up, so a hung
 *     municipality fills its own limit and then fails fast instead of piling up threads
 * @param breaker when the municipality is failing, stop asking it for a while (MUNICIPALITY_UNAVAILABLE)
 */
public record Isolation(Duration deadline, int concurrency, Breaker breaker) {
  public Isolation {
    if (deadline.isNegative() || deadline.isZero()) {
      throw new IllegalArgumentException("deadline: " + deadline + " (expected: positive)");
    }
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency: " + concurrency + " (expected: >= 1)");
    }
  }

  /**
   * The circuit breaker (resilience4j, count-based window). Refusals are answers and count as
   * successes; failures and timeouts count against the municipality; a copier that went away counts
   * for nothing.
   *
   * @param window the last calls considered
   * @param minimumCalls calls needed before the failure rate means anything
   * @param failureRatePercent the rate (1..100) at or above which the circuit opens
   * @param openFor how long an open circuit refuses before letting trial calls through (half-open)
   * @param halfOpenCalls trial calls in the half-open state; their failure rate closes or reopens
   */
  public record Breaker(int window, int minimumCalls, float failureRatePercent, Duration openFor, int halfOpenCalls) {
    public Breaker {
      if (window < 1 || minimumCalls < 1 || halfOpenCalls < 1) {
        throw new IllegalArgumentException("breaker: window, minimum-calls and half-open-calls must be >= 1");
      }
      if (failureRatePercent <= 0 || failureRatePercent > 100) {
        throw new IllegalArgumentException("breaker.failure-rate: " + failureRatePercent + " (expected: 1..100)");
      }
      if (openFor.isNegative() || openFor.isZero()) {
        throw new IllegalArgumentException("breaker.open-for: " + openFor + " (expected: positive)");
      }
    }

    public static Breaker defaults() {
      return new Breaker(20, 10, 50f, Duration.ofSeconds(30), 3);
    }
  }

  public static Isolation defaults() {
    return new Isolation(Duration.ofSeconds(10), 64, Breaker.defaults());
  }
}
