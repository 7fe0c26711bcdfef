package jp.kofu.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import jp.kofu.gateway.routing.Isolation;
import jp.kofu.gateway.routing.Municipality;
import jp.kofu.issuer.spi.CardQuery;
import jp.kofu.issuer.spi.CardRef;
import jp.kofu.issuer.spi.IssuanceRefusedException;
import jp.kofu.issuer.spi.IssueCommand;
import jp.kofu.issuer.spi.IssuedDocument;
import jp.kofu.issuer.spi.IssuerAdapter;
import jp.kofu.issuer.spi.MunicipalityOfferings;
import jp.kofu.issuer.spi.OfferingsQuery;
import jp.kofu.issuer.spi.Relation;
import jp.kofu.issuer.spi.ResidentRef;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What fencing a municipality costs a call: the same trivial adapter call made directly and through
 * {@link Municipality} (circuit breaker, bulkhead, a virtual thread, a deadline context, metrics).
 * The difference is the isolation's overhead per municipality call; an issuance makes two.
 *
 * <pre>
 * ./mvnw -q -pl bench -am package -DskipTests
 * java -cp "bench/target/classes:$(cat bench/target/classpath.txt)" org.openjdk.jmh.Main MunicipalityCallBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@Threads(4)
public class MunicipalityCallBenchmark {
  private static final CardQuery QUERY =
      new CardQuery("131016", new CardRef("1a2b3c", "00".repeat(32), CardRef.CredentialKind.CARD), Relation.ADDRESS, Instant.EPOCH);

  /** Answers at once: only the path to it is measured. */
  private static final IssuerAdapter ADAPTER =
      new IssuerAdapter() {
        private final ResidentRef ref = new ResidentRef("handle", null);

        @Override
        public Set<String> municipalityCodes() {
          return Set.of("131016");
        }

        @Override
        public ResidentRef resolveCard(CardQuery query) {
          return ref;
        }

        @Override
        public MunicipalityOfferings offerings(OfferingsQuery query) {
          throw new UnsupportedOperationException();
        }

        @Override
        public IssuedDocument issue(IssueCommand command) {
          throw new UnsupportedOperationException();
        }
      };

  private Municipality municipality;
  private Municipality traced;
  private jp.kofu.trace.Tracing tracing;

  @Setup(Level.Trial)
  public void setUp() {
    municipality =
        new Municipality(
            "131016", ADAPTER, new Isolation(Duration.ofSeconds(10), 64, Isolation.Breaker.defaults()), jp.kofu.time.TimeSource.system(), new SimpleMeterRegistry());
    // Tracing on, every trace sampled (no parent here: each call is a new trace), spans batched to
    // an exporter that drops them: what making and queueing a municipality call's span costs.
    tracing =
        jp.kofu.trace.Tracing.start(
            jp.kofu.trace.TraceSettings.of(true, null, "bench", "bench", 1.0, null, null, null),
            new io.opentelemetry.sdk.trace.export.SpanExporter() {
              @Override
              public io.opentelemetry.sdk.common.CompletableResultCode export(java.util.Collection<io.opentelemetry.sdk.trace.data.SpanData> spans) {
                return io.opentelemetry.sdk.common.CompletableResultCode.ofSuccess();
              }

              @Override
              public io.opentelemetry.sdk.common.CompletableResultCode flush() {
                return io.opentelemetry.sdk.common.CompletableResultCode.ofSuccess();
              }

              @Override
              public io.opentelemetry.sdk.common.CompletableResultCode shutdown() {
                return io.opentelemetry.sdk.common.CompletableResultCode.ofSuccess();
              }
            });
    traced =
        new Municipality(
                "131016", ADAPTER, new Isolation(Duration.ofSeconds(10), 64, Isolation.Breaker.defaults()), jp.kofu.time.TimeSource.system(),
                new SimpleMeterRegistry())
            .traced(tracing.tracer());
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    municipality.close();
    traced.close();
    tracing.close();
  }

  @Benchmark
  public ResidentRef direct() throws IssuanceRefusedException {
    return ADAPTER.resolveCard(QUERY);
  }

  @Benchmark
  public ResidentRef throughMunicipality() throws IssuanceRefusedException {
    return municipality.call("resolve", a -> a.resolveCard(QUERY));
  }

  /** The same with tracing on: the municipality call's span (tracing off is {@link #throughMunicipality}). */
  @Benchmark
  public ResidentRef throughMunicipalityTraced() throws IssuanceRefusedException {
    return traced.call("resolve", a -> a.resolveCard(QUERY));
  }
}
