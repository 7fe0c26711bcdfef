package jp.kofu.gateway.config;

import java.util.Collection;
import java.util.Optional;

/** "Did you mean": the known name nearest to a misspelled one, if it is near enough. */
public final class Suggestions {
  private Suggestions() {}

  /** The nearest of {@code known} to {@code typed}, within a few edits. */
  public static Optional<String> nearest(String typed, Collection<String> known) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String k : known) {
      int d = distance(typed.toLowerCase(java.util.Locale.ROOT), k.toLowerCase(java.util.Locale.ROOT));
      if (d < bestDistance) {
        best = k;
        bestDistance = d;
      }
    }
    int allowed = Math.max(2, typed.length() / 3);
    return best != null && bestDistance <= allowed ? Optional.of(best) : Optional.empty();
  }

  /** " (did you mean X?)" or, with nothing near, " (expected one of: ...)". */
  public static String hint(String typed, Collection<String> known) {
    return nearest(typed, known)
        .map(k -> " (did you mean '" + k + "'?)")
        .orElseGet(() -> " (expected one of: " + String.join(", ", new java.util.TreeSet<>(known)) + ")");
  }

  /** Levenshtein distance. */
  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
