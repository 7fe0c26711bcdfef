package jp.kofu.sim.load;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.HdrHistogram.Recorder;

/** Everything a run measures. Thread-safe for recording; {@link #tick} is called once a second. */
public final class LoadMetrics {
  /** Up to a minute, three significant digits. */
  static final long HIGHEST_MICROS = 60_000_000L;

  private final Map<Phase, Recorder> recorders = new EnumMap<>(Phase.class);
  private final Map<Phase, Histogram> totals = new EnumMap<>(Phase.class);
  private final Map<String, Recorder> municipalityRecorders = new ConcurrentHashMap<>();
  private final Map<String, Histogram> municipalityTotals = new TreeMap<>();
  private final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
  private final LongAdder arrivals = new LongAdder();
  private final LongAdder completions = new LongAdder();
  private final LongAdder feesCharged = new LongAdder();
  private final LongAdder feesRefunded = new LongAdder();
  private final Map<String, LongAdder> transportFailures = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> retries = new ConcurrentHashMap<>();
  private final LongAdder failovers = new LongAdder();
  private final List<String> violations = java.util.Collections.synchronizedList(new ArrayList<>());
  private final List<Interval> timeline = new ArrayList<>();
  /** Per phase, the interval histograms as an HdrHistogram log (.hlog), encoded as they come. */
  private final Map<Phase, ByteArrayOutputStream> logs = new EnumMap<>(Phase.class);
  private final Map<Phase, HistogramLogWriter> logWriters = new EnumMap<>(Phase.class);
  private long lastArrivals;
  private long lastCompletions;

  /**
   * One second of the run. {@code samples} is how many documents completed end to end in it: with
   * none, the percentiles (zero) mean nothing and are not plotted.
   */
  public record Interval(
      double t, long arrivals, long completions, long inFlight, long samples, long p50, long p90, long p99, long max,
      long heapUsedBytes, long heapAfterGcBytes) {}

  private final long logBaseMillis;

  LoadMetrics() {
    long now = System.currentTimeMillis();
    logBaseMillis = now;
    for (Phase p : Phase.values()) {
      Recorder r = new Recorder(HIGHEST_MICROS, 3);
      recorders.put(p, r);
      totals.put(p, new Histogram(HIGHEST_MICROS, 3));
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      HistogramLogWriter w = new HistogramLogWriter(new PrintStream(bytes, true, StandardCharsets.UTF_8));
      w.outputComment("kofu sim load: " + p.label() + ", values in microseconds");
      w.outputLogFormatVersion();
      w.setBaseTime(now);
      w.outputBaseTime(now);
      w.outputStartTime(now);
      w.outputLegend();
      logs.put(p, bytes);
      logWriters.put(p, w);
      r.getIntervalHistogram(); // starts the first interval now, as the log says
    }
  }

  void arrival() {
    arrivals.increment();
  }

  void record(Phase phase, long nanos) {
    recorders.get(phase).recordValue(Math.min(HIGHEST_MICROS, Math.max(0, nanos / 1000)));
  }

  void recordMunicipality(String code, long nanos) {
    municipalityRecorders.computeIfAbsent(code, c -> new Recorder(HIGHEST_MICROS, 3)).recordValue(Math.min(HIGHEST_MICROS, Math.max(0, nanos / 1000)));
  }

  /** An arrival finished with this outcome (e.g. "ok", "refused UNDER_AGE", "error UNAVAILABLE ..."). */
  void outcome(String key) {
    outcomes.computeIfAbsent(key, k -> new LongAdder()).increment();
    completions.increment();
  }

  void charged(int yen) {
    feesCharged.add(yen);
  }

  void refunded(int yen) {
    feesRefunded.add(yen);
  }

  /** A call that failed without an answer from a gateway (by gRPC code). */
  void transportFailure(String label) {
    transportFailures.computeIfAbsent(label, k -> new LongAdder()).increment();
  }

  /** A terminal moved to the next gateway after a transport failure. */
  void failover() {
    failovers.increment();
  }

  /** A "not now" answer (journal unavailable, order in progress, ...) that the copier retried. */
  void retryLater(String label) {
    retries.computeIfAbsent(label, k -> new LongAdder()).increment();
  }

  void violation(String description) {
    violations.add(description);
  }

  /** Folds the last second into the totals and the timeline; returns it. */
  synchronized Interval tick(double t) {
    Histogram complete = null;
    for (Phase p : Phase.values()) {
      Histogram h = recorders.get(p).getIntervalHistogram();
      totals.get(p).add(h);
      // Max values in the log in milliseconds, as HdrHistogram's tools expect.
      logWriters.get(p).outputIntervalHistogram(
          (h.getStartTimeStamp() - logBaseMillis) / 1e3, (h.getEndTimeStamp() - logBaseMillis) / 1e3, h, 1e3);
      if (p == Phase.COMPLETE) {
        complete = h;
      }
    }
    municipalityRecorders.forEach(
        (code, r) -> municipalityTotals.computeIfAbsent(code, c -> new Histogram(HIGHEST_MICROS, 3)).add(r.getIntervalHistogram()));
    long a = arrivals.sum();
    long c = completions.sum();
    Interval i =
        new Interval(
            t, a - lastArrivals, c - lastCompletions, a - c, complete.getTotalCount(),
            complete.getValueAtPercentile(50), complete.getValueAtPercentile(90), complete.getValueAtPercentile(99),
            complete.getMaxValue(), heapUsed(), heapAfterGc());
    lastArrivals = a;
    lastCompletions = c;
    timeline.add(i);
    return i;
  }

  private static long heapUsed() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /** Old-generation occupancy after the last collection: the figure that shows a leak. */
  private static long heapAfterGc() {
    long max = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null
          && (pool.getName().contains("Old") || pool.getName().contains("Tenured"))) {
        max = Math.max(max, pool.getCollectionUsage().getUsed());
      }
    }
    return max;
  }

  /**
   * The phase's HdrHistogram log so far (one interval per second, values in microseconds, max
   * in ms), readable by HistogramLogReader, HistogramLogAnalyzer and HdrHistogram's plotter.
   */
  public synchronized String hlog(Phase phase) {
    return logs.get(phase).toString(StandardCharsets.UTF_8);
  }

  public Map<Phase, Histogram> totals() {
    return totals;
  }

  public Map<String, Histogram> municipalities() {
    return municipalityTotals;
  }

  public Map<String, Long> outcomes() {
    Map<String, Long> out = new TreeMap<>();
    outcomes.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  /** Calls that failed without an answer, by gRPC code: never counted as refusals. */
  public Map<String, Long> transportFailures() {
    return sums(transportFailures);
  }

  /** "Not now" answers that were retried, by code and reason. */
  public Map<String, Long> retries() {
    return sums(retries);
  }

  public long failovers() {
    return failovers.sum();
  }

  private static Map<String, Long> sums(Map<String, LongAdder> adders) {
    Map<String, Long> out = new TreeMap<>();
    adders.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  public long arrivals() {
    return arrivals.sum();
  }

  public long completions() {
    return completions.sum();
  }

  public long feesCharged() {
    return feesCharged.sum();
  }

  public long feesRefunded() {
    return feesRefunded.sum();
  }

  public List<String> violations() {
    synchronized (violations) {
      return List.copyOf(violations);
    }
  }

  public synchronized List<Interval> timeline() {
    return List.copyOf(timeline);
  }
}
