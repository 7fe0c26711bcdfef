package jp.kofu.sim.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Relative weights of the scenarios. A mix file has one {@code scenario: weight} per line, e.g.
 *
 * <pre>
 * # the default mix
 * issue: 80
 * wrong-pin: 4
 * locked-card: 1
 * refused-resident: 5
 * print-failure: 4
 * retry: 4
 * cancel: 2
 * </pre>
 */
public record ScenarioMix(Map<Scenario, Integer> weights) {
  public ScenarioMix {
    weights = Map.copyOf(weights);
    if (weights.values().stream().mapToInt(Integer::intValue).sum() <= 0) {
      throw new IllegalArgumentException("mix: the weights sum to 0 (expected: at least one positive weight)");
    }
  }

  public static ScenarioMix defaults() {
    Map<Scenario, Integer> w = new EnumMap<>(Scenario.class);
    w.put(Scenario.ISSUE, 80);
    w.put(Scenario.WRONG_PIN, 4);
    w.put(Scenario.LOCKED_CARD, 1);
    w.put(Scenario.REFUSED_RESIDENT, 5);
    w.put(Scenario.PRINT_FAILURE, 4);
    w.put(Scenario.RETRY, 4);
    w.put(Scenario.CANCEL, 2);
    return new ScenarioMix(w);
  }

  public static ScenarioMix only(Scenario s) {
    return new ScenarioMix(Map.of(s, 1));
  }

  public static ScenarioMix parse(Path file) {
    Map<Scenario, Integer> w = new EnumMap<>(Scenario.class);
    try {
      int n = 0;
      for (String line : Files.readAllLines(file)) {
        n++;
        String l = line.replaceAll("#.*", "").strip();
        if (l.isEmpty()) {
          continue;
        }
        String[] kv = l.split(":", 2);
        if (kv.length != 2) {
          throw new IllegalArgumentException(file + ":" + n + ": expected 'scenario: weight'");
        }
        int weight;
        try {
          weight = Integer.parseInt(kv[1].strip());
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(file + ":" + n + ": weight '" + kv[1].strip() + "' (expected: a whole number >= 0)");
        }
        if (weight < 0) {
          throw new IllegalArgumentException(file + ":" + n + ": weight " + weight + " (expected: >= 0)");
        }
        try {
          w.put(Scenario.fromKey(kv[0].strip()), weight);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(file + ":" + n + ": " + e.getMessage());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new ScenarioMix(w);
  }

  public Scenario pick(RandomGenerator random) {
    int total = weights.values().stream().mapToInt(Integer::intValue).sum();
    int r = random.nextInt(total);
    for (Scenario s : Scenario.values()) {
      int w = weights.getOrDefault(s, 0);
      if (r < w) {
        return s;
      }
      r -= w;
    }
    throw new IllegalStateException();
  }
}
