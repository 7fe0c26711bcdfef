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
 */
public record LoadPlan(
    int terminals, double ratePerSecond, Duration duration, Duration warmup, ScenarioMix mix, boolean poisson, long seed) {
  public LoadPlan {
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
