package jp.kofu.gateway.isolation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import jp.kofu.gateway.KofuWorld;
import jp.kofu.gateway.config.GatewayConfig;
import jp.kofu.gateway.routing.Isolation;
import jp.kofu.issuer.seed.Seeder;
import jp.kofu.sim.load.LoadPlan;
import jp.kofu.sim.load.LoadReport;
import jp.kofu.sim.load.LoadRunner;
import jp.kofu.sim.load.LoadTarget;
import jp.kofu.sim.load.Scenario;
import jp.kofu.sim.load.ScenarioMix;
import jp.kofu.testing.FakeClock;
import jp.kofu.testing.WholeWorld;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The misissuance detector's false positives: the load simulator runs issuances and
 * refused-resident visits while one municipality is down, then up again. A resident whose
 * municipality is down must not be "learned" as refused (their genuine document, once it is up,
 * would be reported as a misissuance); the run must end with no misissuance at all, and the
 * outage must show as what it is, not as expected refusals.
 */
@WholeWorld
class SimulatorThroughAnOutageTest {
  /** The clock stands still in this test: an opened circuit would stay open, so none opens. */
  static final Isolation.Breaker NEVER_OPENS = new Isolation.Breaker(1000, 1000, 100f, Duration.ofSeconds(1), 1);

  @TempDir Path dir;

  @Test
  void aMunicipalityOutageTeachesNothingAboutItsResidentsAndNoGenuineDocumentIsReportedAsMisissued() throws Exception {
    List<String> codes = Seeder.pickMunicipalities(2, 23);
    Files.writeString(
        dir.resolve("kofu-gateway.yaml"),
        """
        listen: 127.0.0.1:0
        data: .
        verification: {listen: 127.0.0.1:0}
        revocation: {cards: crl, timeout: 10s}
        adapters:
          - kind: embedded
            settings: {municipalities: "%s"}
        """
            .formatted(codes.get(0)));
    FakeClock clock = FakeClock.inServiceHours();
    FaultyMunicipality down = new FaultyMunicipality(codes.get(1), dir, clock);
    down.mode = FaultyMunicipality.Mode.FAIL;
    java.util.concurrent.atomic.AtomicInteger ticks = new java.util.concurrent.atomic.AtomicInteger();
    try (KofuWorld world =
        KofuWorld.embedded()
                .config(GatewayConfig.load(dir.resolve("kofu-gateway.yaml")))
                .municipalities(codes)
                .residentsEach(60)
                .clock(clock)
                .isolation(new Isolation(Duration.ofSeconds(5), 16, NEVER_OPENS))
                .adapter(down).start()) {
      ScenarioMix mix = new ScenarioMix(Map.of(Scenario.ISSUE, 6, Scenario.REFUSED_RESIDENT, 4));
      LoadPlan plan = new LoadPlan(3, 12, Duration.ofSeconds(6), Duration.ZERO, mix, false, 5, Duration.ofMillis(300));
      LoadReport report = new LoadRunner(plan, new LoadTarget(world.address(), world.pki(), world.wallet().withKeyPool(4), true)).run(line -> {
        // Down for the first three seconds of the measured run, then up again.
        if (line.startsWith("t=") && ticks.incrementAndGet() == 3) {
          down.mode = FaultyMunicipality.Mode.HEALTHY;
        }
      });
      Map<String, Long> outcomes = report.metrics().outcomes();
      System.out.println(report.text());

      assertThat(report.metrics().violations()).isEmpty();
      assertThat(report.misissued()).isFalse();
      assertThat(outcomes.keySet()).noneMatch(k -> k.contains("MISISSUANCE"));
      // The outage was seen (down, or slow past its deadline on a loaded machine), and taught
      // nothing about the residents.
      assertThat(down.calls.get()).isPositive();
      assertThat(outcomes.keySet()).anyMatch(k -> k.contains("MUNICIPALITY_"));
      assertThat(outcomes.keySet()).noneMatch(k -> k.contains("learned (MUNICIPALITY") || k.contains("learned (no offering)"));
      assertThat(outcomes.keySet()).noneMatch(k -> k.contains("as expected") && k.contains("MUNICIPALITY_UNAVAILABLE"));
      // And after it, both municipalities issued.
      assertThat(report.metrics().municipalities()).containsKeys(codes.get(0), codes.get(1));
    }
  }
}
