package jp.kofu.sim.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** What a run measured, and its three renderings: text, JSON, HTML with plots. */
public final class LoadReport {
  private static final double[] PERCENTILES = {50, 90, 99, 99.9, 100};

  private final LoadPlan plan;
  private final boolean inProcess;
  private final LoadMetrics metrics;
  private final long elapsedNanos;
  private final boolean drained;

  LoadReport(LoadPlan plan, boolean inProcess, LoadMetrics metrics, long elapsedNanos, boolean drained) {
    this.plan = plan;
    this.inProcess = inProcess;
    this.metrics = metrics;
    this.elapsedNanos = elapsedNanos;
    this.drained = drained;
  }

  public LoadMetrics metrics() {
    return metrics;
  }

  /** No misissuance, and every arrival accounted for. */
  public boolean misissued() {
    return !metrics.violations().isEmpty();
  }

  public double throughputPerSecond() {
    return metrics.totals().get(Phase.COMPLETE).getTotalCount() / (elapsedNanos / 1e9);
  }

  public String text() {
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "kofu load: %d copiers, %.1f arrivals/s (%s), %s, %d arrivals in %.1f s%n",
        plan.terminals(), plan.ratePerSecond(), plan.poisson() ? "Poisson" : "constant", plan.duration(), metrics.arrivals(), elapsedNanos / 1e9));
    s.append(String.format(Locale.ROOT, "documents issued and verified: %d (%.1f/s); fees charged %,d yen, refunded %,d yen%n",
        metrics.totals().get(Phase.COMPLETE).getTotalCount(), throughputPerSecond(), metrics.feesCharged(), metrics.feesRefunded()));
    if (!drained) {
      s.append("WARNING: requests were still running 60 s after the last arrival; they are counted as not completed\n");
    }
    s.append("\nlatency, ms          count      p50      p90      p99    p99.9      max\n");
    for (Phase p : Phase.values()) {
      Histogram h = metrics.totals().get(p);
      s.append(String.format(Locale.ROOT, "%-20s %6d", shortLabel(p), h.getTotalCount()));
      for (double q : PERCENTILES) {
        s.append(String.format(Locale.ROOT, " %8.1f", h.getValueAtPercentile(q) / 1e3));
      }
      s.append('\n');
    }
    s.append("\nend to end by municipality, ms  count      p50      p99      max\n");
    for (Map.Entry<String, Histogram> e : metrics.municipalities().entrySet()) {
      Histogram h = e.getValue();
      s.append(String.format(Locale.ROOT, "%-31s %6d %8.1f %8.1f %8.1f%n", e.getKey(), h.getTotalCount(),
          h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(99) / 1e3, h.getMaxValue() / 1e3));
    }
    s.append("\noutcomes\n");
    metrics.outcomes().forEach((k, v) -> s.append(String.format(Locale.ROOT, "  %7d  %s%n", v, k)));
    s.append(String.format(Locale.ROOT, "%ntransport failures (no answer from a gateway; retried on another, never counted as refusals): %d, failovers %d%n",
        metrics.transportFailures().values().stream().mapToLong(Long::longValue).sum(), metrics.failovers()));
    metrics.transportFailures().forEach((k, n) -> s.append(String.format(Locale.ROOT, "  %7d  %s%n", n, k)));
    s.append("retried \"not now\" answers\n");
    metrics.retries().forEach((k, n) -> s.append(String.format(Locale.ROOT, "  %7d  %s%n", n, k)));
    List<String> v = metrics.violations();
    s.append(v.isEmpty() ? "\nmisissuance detector: every document was signed by the municipality asked and bound to its card and order\n"
        : "\nMISISSUANCE DETECTED (" + v.size() + "):\n  " + String.join("\n  ", v.subList(0, Math.min(20, v.size()))) + "\n");
    return s.toString();
  }

  private static String shortLabel(Phase p) {
    return switch (p) {
      case AUTHENTICATE -> "authenticate";
      case OFFERINGS -> "offerings";
      case FIRST_BYTE -> "first byte";
      case ISSUE -> "complete issue";
      case COMPLETE -> "end to end*";
    };
  }

  public String json() throws IOException {
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = json.createObjectNode();
    ObjectNode p = root.putObject("plan");
    p.put("terminals", plan.terminals());
    p.put("rate_per_second", plan.ratePerSecond());
    p.put("duration_seconds", plan.duration().toMillis() / 1e3);
    p.put("arrivals", plan.poisson() ? "poisson" : "constant");
    ObjectNode mix = p.putObject("mix");
    plan.mix().weights().forEach((k, w) -> mix.put(k.key(), w));
    root.put("elapsed_seconds", elapsedNanos / 1e9);
    root.put("arrivals", metrics.arrivals());
    root.put("throughput_per_second", throughputPerSecond());
    root.put("fees_charged_yen", metrics.feesCharged());
    root.put("fees_refunded_yen", metrics.feesRefunded());
    root.put("gateway_in_process", inProcess);
    ObjectNode latency = root.putObject("latency_ms");
    for (Phase ph : Phase.values()) {
      latency.set(ph.name().toLowerCase(Locale.ROOT), histogram(json, metrics.totals().get(ph)));
    }
    ObjectNode byMunicipality = root.putObject("end_to_end_by_municipality_ms");
    metrics.municipalities().forEach((k, h) -> byMunicipality.set(k, histogram(json, h)));
    ObjectNode outcomes = root.putObject("outcomes");
    metrics.outcomes().forEach(outcomes::put);
    ObjectNode transport = root.putObject("transport_failures");
    metrics.transportFailures().forEach(transport::put);
    root.put("failovers", metrics.failovers());
    ObjectNode retried = root.putObject("retried");
    metrics.retries().forEach(retried::put);
    ArrayNode violations = root.putArray("misissuance");
    metrics.violations().forEach(violations::add);
    ArrayNode timeline = root.putArray("timeline");
    for (LoadMetrics.Interval i : metrics.timeline()) {
      ObjectNode t = timeline.addObject();
      t.put("t", i.t());
      t.put("arrivals", i.arrivals());
      t.put("completions", i.completions());
      t.put("in_flight", i.inFlight());
      t.put("samples", i.samples());
      if (i.samples() > 0) {
        t.put("p50_ms", i.p50() / 1e3);
        t.put("p90_ms", i.p90() / 1e3);
        t.put("p99_ms", i.p99() / 1e3);
        t.put("max_ms", i.max() / 1e3);
      } else {
        // No document completed in this second: no latency, rather than a false 0 ms.
        t.putNull("p50_ms");
        t.putNull("p90_ms");
        t.putNull("p99_ms");
        t.putNull("max_ms");
      }
      t.put("heap_used_mb", i.heapUsedBytes() / 1048576.0);
      t.put("heap_after_gc_mb", i.heapAfterGcBytes() / 1048576.0);
    }
    return json.writeValueAsString(root);
  }

  private static ObjectNode histogram(ObjectMapper json, Histogram h) {
    ObjectNode n = json.createObjectNode();
    n.put("count", h.getTotalCount());
    n.put("mean", h.getMean() / 1e3);
    for (double q : PERCENTILES) {
      n.put(q == 100 ? "max" : "p" + (q == Math.rint(q) ? String.valueOf((int) q) : String.valueOf(q)), h.getValueAtPercentile(q) / 1e3);
    }
    return n;
  }

  public String html() {
    StringBuilder h = new StringBuilder();
    h.append("<!doctype html><html lang=en><meta charset=utf-8><title>kofu load report</title>")
        .append("<style>body{font:14px system-ui,sans-serif;margin:2em;max-width:1100px}pre{background:#f6f6f6;padding:1em;overflow:auto}")
        .append("h2{margin-top:2em}svg{background:#fff;border:1px solid #ddd}.legend span{margin-right:1.5em}</style>")
        .append("<h1>kofu load report</h1><pre>").append(escape(text())).append("</pre>")
        .append("<p>* end to end counts from each request's <em>intended</em> start on the open-model schedule, so queueing ")
        .append("behind a stall is included (no coordinated omission).</p>");
    List<LoadMetrics.Interval> t = metrics.timeline();
    h.append("<h2>End-to-end latency over time (per second)</h2>");
    h.append("<p>Seconds in which no document completed have no latency: the lines break there instead of ")
        .append("dropping to 0 ms (a lone second is a dot).</p>");
    h.append(lineChart(t, List.of(latency("p50", "#1f77b4", i -> i.p50() / 1e3), latency("p90", "#2ca02c", i -> i.p90() / 1e3),
        latency("p99", "#d62728", i -> i.p99() / 1e3), latency("max", "#999", i -> i.max() / 1e3)), "ms"));
    h.append("<h2>Throughput over time</h2>");
    h.append(lineChart(t, List.of(new Series("arrivals/s", "#1f77b4", i -> i.arrivals()), new Series("completions/s", "#ff7f0e", i -> i.completions()),
        new Series("in flight", "#9467bd", i -> i.inFlight())), "per second"));
    h.append("<h2>Heap").append(inProcess ? " (gateway and simulator share this JVM)" : " (of the simulator: the gateway runs elsewhere)").append("</h2>");
    h.append(lineChart(t, List.of(new Series("used", "#8c564b", i -> i.heapUsedBytes() / 1048576.0),
        new Series("old gen after GC", "#d62728", i -> i.heapAfterGcBytes() / 1048576.0)), "MiB"));
    h.append("<h2>Latency by percentile</h2>").append(percentileChart());
    h.append("</html>");
    return h.toString();
  }

  /** A line; {@code present} says in which seconds it has a value at all. */
  private record Series(
      String name, String color, java.util.function.ToDoubleFunction<LoadMetrics.Interval> value,
      java.util.function.Predicate<LoadMetrics.Interval> present) {
    Series(String name, String color, java.util.function.ToDoubleFunction<LoadMetrics.Interval> value) {
      this(name, color, value, i -> true);
    }
  }

  /** A latency line: only the seconds in which something completed. */
  private static Series latency(String name, String color, java.util.function.ToDoubleFunction<LoadMetrics.Interval> value) {
    return new Series(name, color, value, i -> i.samples() > 0);
  }

  // Chart geometry: room on the left for the y tick labels, above the plot for the unit, below
  // for the x tick labels and the x unit, on the right for the last x tick label.
  private static final int LEFT = 64;
  private static final int RIGHT = 28;
  private static final int TOP = 26;
  private static final int BOTTOM = 40;

  private static String lineChart(List<LoadMetrics.Interval> t, List<Series> series, String unit) {
    int w = 1000;
    int hgt = 300;
    double maxX = t.isEmpty() ? 1 : Math.max(1, t.get(t.size() - 1).t());
    double maxY = 1e-9;
    for (Series s : series) {
      for (LoadMetrics.Interval i : t) {
        if (s.present().test(i)) {
          maxY = Math.max(maxY, s.value().applyAsDouble(i));
        }
      }
    }
    maxY = niceCeiling(maxY);
    double plotW = w - LEFT - RIGHT;
    double plotH = hgt - TOP - BOTTOM;
    StringBuilder svg = new StringBuilder();
    svg.append("<svg xmlns='http://www.w3.org/2000/svg' width='").append(w).append("' height='").append(hgt).append("' viewBox='0 0 ").append(w).append(' ').append(hgt).append("'>");
    axes(svg, w, hgt, maxY, unit);
    double step = niceStep(maxX / 6);
    for (double v = 0; v <= maxX + 1e-9; v += step) {
      double x = LEFT + plotW * v / maxX;
      svg.append(String.format(Locale.ROOT, "<line x1='%.1f' y1='%d' x2='%.1f' y2='%d' stroke='#333'/>", x, hgt - BOTTOM, x, hgt - BOTTOM + 4));
      svg.append(String.format(Locale.ROOT, "<text x='%.1f' y='%d' font-size='11' text-anchor='middle'>%s</text>", x, hgt - BOTTOM + 16, format(v)));
    }
    svg.append(String.format(Locale.ROOT, "<text x='%d' y='%d' font-size='11' text-anchor='end'>time, s</text>", w - RIGHT, hgt - 6));
    for (Series s : series) {
      List<String> run = new ArrayList<>();
      for (LoadMetrics.Interval i : t) {
        if (!s.present().test(i)) {
          segment(svg, s.color(), run);
          continue;
        }
        double x = LEFT + plotW * i.t() / maxX;
        double y = TOP + plotH - plotH * s.value().applyAsDouble(i) / maxY;
        run.add(String.format(Locale.ROOT, "%.1f,%.1f", x, y));
      }
      segment(svg, s.color(), run);
    }
    svg.append("</svg><div class=legend>");
    for (Series s : series) {
      svg.append("<span style='color:").append(s.color()).append("'>&#9632; ").append(s.name()).append("</span>");
    }
    return svg.append("</div>").toString();
  }

  /** A run of consecutive points: a line, or a dot when it is one point. Empties the run. */
  private static void segment(StringBuilder svg, String color, List<String> run) {
    if (run.size() == 1) {
      String[] xy = run.get(0).split(",");
      svg.append("<circle cx='").append(xy[0]).append("' cy='").append(xy[1]).append("' r='2' fill='").append(color).append("'/>");
    } else if (run.size() > 1) {
      svg.append("<polyline fill='none' stroke='").append(color).append("' stroke-width='1.5' points='")
          .append(String.join(" ", run)).append("'/>");
    }
    run.clear();
  }

  /** Latency against percentile on the usual log scale (0, 90, 99, 99.9, 99.99 evenly spaced). */
  private String percentileChart() {
    int w = 1000;
    int hgt = 320;
    String[] colors = {"#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#d62728"};
    double maxY = 1e-9;
    for (Phase p : Phase.values()) {
      maxY = Math.max(maxY, metrics.totals().get(p).getMaxValue() / 1e3);
    }
    maxY = niceCeiling(maxY);
    double maxX = 5; // log10(1/(1-p)) up to 99.999
    StringBuilder svg = new StringBuilder();
    svg.append("<svg xmlns='http://www.w3.org/2000/svg' width='").append(w).append("' height='").append(hgt).append("'>");
    axes(svg, w, hgt, maxY, "ms");
    double plotW = w - LEFT - RIGHT;
    double plotH = hgt - TOP - BOTTOM;
    String[] ticks = {"0%", "90%", "99%", "99.9%", "99.99%", "99.999%"};
    for (int k = 0; k <= 5; k++) {
      double x = LEFT + plotW * k / maxX;
      svg.append(String.format(Locale.ROOT, "<line x1='%.1f' y1='%d' x2='%.1f' y2='%d' stroke='#333'/>", x, hgt - BOTTOM, x, hgt - BOTTOM + 4));
      svg.append(String.format(Locale.ROOT, "<text x='%.0f' y='%d' font-size='11' text-anchor='middle'>%s</text>", x, hgt - BOTTOM + 16, ticks[k]));
    }
    svg.append(String.format(Locale.ROOT, "<text x='%d' y='%d' font-size='11' text-anchor='end'>percentile</text>", w - RIGHT, hgt - 6));
    int c = 0;
    StringBuilder legend = new StringBuilder("<div class=legend>");
    for (Phase p : Phase.values()) {
      Histogram h = metrics.totals().get(p);
      if (h.getTotalCount() == 0) {
        c++;
        continue;
      }
      svg.append("<polyline fill='none' stroke='").append(colors[c]).append("' stroke-width='1.5' points='");
      for (int k = 0; k <= 100; k++) {
        double xr = maxX * k / 100.0;
        double pct = 100 * (1 - Math.pow(10, -xr));
        double x = LEFT + plotW * xr / maxX;
        double y = TOP + plotH - plotH * (h.getValueAtPercentile(pct) / 1e3) / maxY;
        svg.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
      }
      svg.append("'/>");
      legend.append("<span style='color:").append(colors[c]).append("'>&#9632; ").append(p.label()).append("</span>");
      c++;
    }
    return svg.append("</svg>").append(legend).append("</div>").toString();
  }

  /** The frame, the y grid with its labels, and the y unit above the labels. */
  private static void axes(StringBuilder svg, int w, int hgt, double maxY, String yUnit) {
    double plotH = hgt - TOP - BOTTOM;
    svg.append(String.format(Locale.ROOT, "<line x1='%d' y1='%d' x2='%d' y2='%d' stroke='#333'/>", LEFT, hgt - BOTTOM, w - RIGHT, hgt - BOTTOM));
    svg.append(String.format(Locale.ROOT, "<line x1='%d' y1='%d' x2='%d' y2='%d' stroke='#333'/>", LEFT, TOP, LEFT, hgt - BOTTOM));
    for (int k = 0; k <= 4; k++) {
      double v = maxY * k / 4;
      double y = TOP + plotH - plotH * k / 4.0;
      if (k > 0) {
        svg.append(String.format(Locale.ROOT, "<line x1='%d' y1='%.1f' x2='%d' y2='%.1f' stroke='#eee'/>", LEFT + 1, y, w - RIGHT, y));
      }
      svg.append(String.format(Locale.ROOT, "<text x='%d' y='%.1f' font-size='11' text-anchor='end'>%s</text>", LEFT - 6, y + 4, format(v)));
    }
    svg.append(String.format(Locale.ROOT, "<text x='%d' y='%d' font-size='11' text-anchor='start'>%s</text>", LEFT - 6, TOP - 12, yUnit));
  }

  /** 1, 2, 5 × a power of ten, at least {@code v}. */
  private static double niceStep(double v) {
    if (v <= 0) {
      return 1;
    }
    double magnitude = Math.pow(10, Math.floor(Math.log10(v)));
    for (double step : new double[] {1, 2, 5, 10}) {
      if (step * magnitude >= v) {
        return step * magnitude;
      }
    }
    return 10 * magnitude;
  }

  private static String format(double v) {
    return v >= 100 || v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
  }

  private static double niceCeiling(double v) {
    double magnitude = Math.pow(10, Math.floor(Math.log10(v)));
    for (double step : new double[] {1, 2, 2.5, 5, 10}) {
      if (step * magnitude >= v) {
        return step * magnitude;
      }
    }
    return 10 * magnitude;
  }

  /** The file name of a phase's HdrHistogram log. */
  public static String hlogName(Phase p) {
    return (p == Phase.COMPLETE ? "end-to-end" : p.name().toLowerCase(Locale.ROOT).replace('_', '-')) + ".hlog";
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  /**
   * Writes summary.txt, report.json, report.html and, per phase, an HdrHistogram log of its
   * per-second histograms ({@code end-to-end.hlog}, {@code authenticate.hlog}, ...) into {@code dir}.
   */
  public void writeTo(Path dir) throws IOException {
    Files.createDirectories(dir);
    for (Phase p : Phase.values()) {
      Files.writeString(dir.resolve(hlogName(p)), metrics.hlog(p), StandardCharsets.US_ASCII);
    }
    Files.writeString(dir.resolve("summary.txt"), text(), StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("report.json"), json(), StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("report.html"), html(), StandardCharsets.UTF_8);
  }
}
