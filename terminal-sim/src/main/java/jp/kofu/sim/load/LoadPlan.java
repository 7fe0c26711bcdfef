package jp.kofu.sim.load;

import java.time.Duration;

/**
 * How much load, for how long.
 *
 * @param terminals simulated copiers, each with its own terminal certificate and connection
 * @param ratePerSecond arrivals per second (open model)
 * @param duration how long arrivals keep coming, measured
 * @param warmup arrivals at the same rate before, not measured (JIT, pools, caches)
 * @param poisson exponential inter-arrival times instead of a constant rate
 * @param seed makes the scenario and card choices reproducible
 * @param retryFor how long one visit keeps retrying a call that got no answer (on the next
 *     gateway) or a "not now" answer, with the same order id, before it gives up
 */
public record LoadPlan(
    int terminals, double ratePerSecond, Duration duration, Duration warmup, ScenarioMix mix, boolean poisson, long seed, Duration retryFor) {
  /** Retries for {@link #DEFAULT_RETRY_FOR}: longer than a gateway's default attempt timeout (30 s). */
  public LoadPlan(int terminals, double ratePerSecond, Duration duration, Duration warmup, ScenarioMix mix, boolean poisson, long seed) {
    this(terminals, ratePerSecond, duration, warmup, mix, poisson, seed, DEFAULT_RETRY_FOR);
  }

  public static final Duration DEFAULT_RETRY_FOR = Duration.ofSeconds(45);

  public LoadPlan {
    if (retryFor.isNegative()) {
      throw new IllegalArgumentException("retry-for: " + retryFor + " (expected: >= 0)");
    }
    if (terminals < 1) {
      throw new IllegalArgumentException("terminals: " + terminals + " (expected: >= 1)");
    }
    if (!(ratePerSecond > 0) || ratePerSecond > 100_000) {
      throw new IllegalArgumentException("rate: " + ratePerSecond + "/s (expected: 0 < rate <= 100000)");
    }
    if (warmup.isNegative()) {
      throw new IllegalArgumentException("warmup: " + warmup + " (expected: >= 0)");
    }
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("duration: " + duration + " (expected: positive)");
    }
  }
}
