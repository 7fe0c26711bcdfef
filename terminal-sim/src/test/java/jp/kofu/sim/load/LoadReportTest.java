package jp.kofu.sim.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.FileInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadReportTest {
  private static final LoadPlan PLAN = new LoadPlan(2, 10, Duration.ofSeconds(4), Duration.ZERO, ScenarioMix.defaults(), false, 1);

  /** Four seconds: documents completed in the first, second and fourth; none in the third. */
  private static LoadReport runWithAnEmptySecond() {
    LoadMetrics m = new LoadMetrics();
    long[][] perSecond = {{20_000, 30_000, 40_000}, {25_000, 35_000}, {}, {50_000}};
    for (int s = 0; s < perSecond.length; s++) {
      for (long micros : perSecond[s]) {
        m.arrival();
        m.record(Phase.COMPLETE, micros * 1000);
        m.outcome("ok");
      }
      m.tick(s + 1);
    }
    return new LoadReport(PLAN, true, m, 4_000_000_000L, true);
  }

  @Test
  void aSecondWithoutCompletionsHasNoLatencyInsteadOfZero() throws Exception {
    LoadReport report = runWithAnEmptySecond();

    JsonNode timeline = new ObjectMapper().readTree(report.json()).get("timeline");
    assertThat(timeline.get(2).get("samples").asLong()).isZero();
    assertThat(timeline.get(2).get("p50_ms").isNull()).isTrue();
    assertThat(timeline.get(1).get("p50_ms").asDouble()).isBetween(24.9, 25.1);

    // The latency chart (the first svg): each percentile line breaks at the third second, so it
    // is a line over the first two seconds and a dot at the fourth, and no point sits on 0 ms.
    String html = report.html();
    String latencyChart = html.substring(html.indexOf("<svg"), html.indexOf("</svg>"));
    assertThat(count(latencyChart, "<polyline")).isEqualTo(4);
    assertThat(count(latencyChart, "<circle")).isEqualTo(4);
    double zeroY = 300 - 40; // the x axis: TOP + plot height
    Matcher points = Pattern.compile("points='([^']*)'").matcher(latencyChart);
    while (points.find()) {
      for (String xy : points.group(1).split(" ")) {
        assertThat(Double.parseDouble(xy.split(",")[1])).isLessThan(zeroY);
      }
    }
  }

  @Test
  void axisLabelsStayInsideTheChartAndApartFromEachOther() {
    String html = runWithAnEmptySecond().html();
    Matcher svg = Pattern.compile("<svg[^>]*width='(\\d+)' height='(\\d+)'[^>]*>(.*?)</svg>").matcher(html);
    int charts = 0;
    while (svg.find()) {
      charts++;
      int w = Integer.parseInt(svg.group(1));
      int h = Integer.parseInt(svg.group(2));
      // Every label's box (11 px type, about 7 px a character) inside the picture, and no two
      // labels' boxes overlapping.
      List<double[]> boxes = new ArrayList<>();
      Matcher text = Pattern.compile("<text x='([\\d.]+)' y='([\\d.]+)' font-size='11' text-anchor='(\\w+)'>([^<]*)</text>").matcher(svg.group(3));
      while (text.find()) {
        double x = Double.parseDouble(text.group(1));
        double y = Double.parseDouble(text.group(2));
        double width = 7 * text.group(4).length();
        double x0 = switch (text.group(3)) {
          case "end" -> x - width;
          case "middle" -> x - width / 2;
          default -> x;
        };
        double[] box = {x0, y - 10, x0 + width, y + 2};
        assertThat(box[0]).as(text.group(4)).isGreaterThanOrEqualTo(0);
        assertThat(box[2]).as(text.group(4)).isLessThanOrEqualTo(w);
        assertThat(box[1]).as(text.group(4)).isGreaterThanOrEqualTo(0);
        assertThat(box[3]).as(text.group(4)).isLessThanOrEqualTo(h);
        for (double[] other : boxes) {
          boolean apart = box[2] <= other[0] || other[2] <= box[0] || box[3] <= other[1] || other[3] <= box[1];
          assertThat(apart).as("label " + text.group(4) + " overlaps another").isTrue();
        }
        boxes.add(box);
      }
      assertThat(boxes).hasSizeGreaterThan(5);
    }
    assertThat(charts).isEqualTo(4);
  }

  @Test
  void writesAnHdrHistogramLogPerPhaseThatHdrHistogramReadsBack(@TempDir Path dir) throws Exception {
    runWithAnEmptySecond().writeTo(dir);

    Path log = dir.resolve("end-to-end.hlog");
    assertThat(log).exists();
    Histogram all = new Histogram(LoadMetrics.HIGHEST_MICROS, 3);
    int intervals = 0;
    try (FileInputStream in = new FileInputStream(log.toFile())) {
      HistogramLogReader reader = new HistogramLogReader(in);
      for (EncodableHistogram h; (h = reader.nextIntervalHistogram()) != null; ) {
        all.add((Histogram) h);
        intervals++;
      }
    }
    assertThat(intervals).isEqualTo(4);
    assertThat(all.getTotalCount()).isEqualTo(6);
    assertThat(all.getMaxValue()).isBetween(49_900L, 50_100L);
    assertThat(Files.readString(log)).contains("#[StartTime: ").contains("\"StartTimestamp\",\"Interval_Length\"");
    for (Phase p : Phase.values()) {
      assertThat(dir.resolve(LoadReport.hlogName(p))).exists();
    }
  }

  private static int count(String s, String what) {
    int n = 0;
    for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
      n++;
    }
    return n;
  }
}
