package jp.kofu.gateway.metrics;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;

/**
 * How the gateway's registry is set up, once, before any meter is registered: latency timers get
 * fixed histogram buckets (so Prometheus can compute quantiles and SLOs across gateways), and the
 * JVM, the process and the journal's connection pool report themselves.
 */
public final class GatewayMetrics implements AutoCloseable {
  /** Buckets of every latency histogram: from a fast gRPC call to a municipality's deadline. */
  static final Duration[] LATENCY_BUCKETS = {
    Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
    Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
    Duration.ofSeconds(10), Duration.ofSeconds(30)
  };

  /** Timers that get buckets: gRPC calls (server and client side) and municipality calls. */
  static final List<String> HISTOGRAMS = List.of("grpc.server.processing.duration", "grpc.client.processing.duration", "kofu.municipality.call.duration");

  private final JvmGcMetrics gc;

  private GatewayMetrics(JvmGcMetrics gc) {
    this.gc = gc;
  }

  /**
   * Configures {@code meters} and binds the JVM, process and pool meters. Call before any other
   * meter is registered (filters apply to meters registered after them).
   *
   * @param journal the journal's data source: a Hikari pool reports connections (active, idle,
   *     pending), acquisition and usage times (a connection is held for one transaction or one
   *     query), creation and timeouts, as {@code hikaricp_*} with {@code pool="kofu-journal"}
   */
  public static GatewayMetrics bind(MeterRegistry meters, DataSource journal) {
    meters.config().meterFilter(
        new MeterFilter() {
          @Override
          public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
            if (HISTOGRAMS.contains(id.getName())) {
              return DistributionStatisticConfig.builder()
                  .serviceLevelObjectives(java.util.Arrays.stream(LATENCY_BUCKETS).mapToDouble(d -> d.toNanos()).toArray())
                  .build()
                  .merge(config);
            }
            return config;
          }
        });
    new ClassLoaderMetrics().bindTo(meters);
    new JvmMemoryMetrics().bindTo(meters);
    new JvmThreadMetrics().bindTo(meters);
    new JvmInfoMetrics().bindTo(meters);
    new ProcessorMetrics().bindTo(meters);
    new UptimeMetrics().bindTo(meters);
    new FileDescriptorMetrics().bindTo(meters);
    JvmGcMetrics gc = new JvmGcMetrics();
    gc.bindTo(meters);
    if (journal instanceof HikariDataSource hikari && hikari.getMetricRegistry() == null) {
      hikari.setMetricRegistry(meters);
    }
    return new GatewayMetrics(gc);
  }

  @Override
  public void close() {
    gc.close();
  }
}
