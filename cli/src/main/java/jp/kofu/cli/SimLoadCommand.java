package jp.kofu.cli;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import jp.kofu.gateway.embedded.EmbeddedWorld;
import jp.kofu.issuer.seed.Seeder;
import jp.kofu.pki.TrustWorld;
import jp.kofu.sim.card.CardWallet;
import jp.kofu.sim.load.LoadPlan;
import jp.kofu.sim.load.LoadReport;
import jp.kofu.sim.load.LoadRunner;
import jp.kofu.sim.load.LoadTarget;
import jp.kofu.sim.load.ScenarioMix;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kofu sim load}: thousands of copiers on an open-model schedule. */
@Command(
    name = "load",
    mixinStandardHelpOptions = true,
    description = {
      "Load test: many simulated copiers on an open-model arrival schedule.",
      "",
      "Requests start on schedule whether or not earlier ones have finished, and latency counts",
      "from each request's intended start (no coordinated omission). Every document received is",
      "checked (signature, municipality, binding to its card and order): a misissuance fails the",
      "run with exit status 3. Writes summary.txt, report.json and report.html to --report.",
      "Against --gateway HOST:PORT (its world in --data; repeat it for each gateway of a cluster:",
      "every copier connects to all of them and fails over), or an embedded world started",
      "in-process (seeded in --data on first use). A call that gets no answer is made again on the",
      "next gateway with the same order id, for up to --retry-for; transport failures are counted",
      "apart from refusals."
    })
final class SimLoadCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--terminals", defaultValue = "100", description = "Simulated copiers. Default: ${DEFAULT-VALUE}.")
  int terminals;

  @Option(names = "--rate", defaultValue = "20/s", paramLabel = "N/s", converter = Rate.class, description = "Arrivals per second, e.g. 50/s. Default: ${DEFAULT-VALUE}.")
  double rate;

  @Option(names = "--duration", defaultValue = "30s", description = "How long arrivals keep coming, e.g. 30s, 10m. Default: ${DEFAULT-VALUE}.")
  Duration duration;

  @Option(names = "--warmup", defaultValue = "5s", description = "Arrivals at the same rate before the measured run, not measured (JIT, pools). Default: ${DEFAULT-VALUE}.")
  Duration warmup;

  @Option(names = "--mix", paramLabel = "FILE", description = "Scenario weights, one 'scenario: weight' per line (see docs/LOAD.md). Default: mostly plain issuances with some wrong PINs, locked cards, refused residents, print failures, retries and cancellations.")
  Path mix;

  @Option(names = "--report", paramLabel = "DIR", defaultValue = "out/load", description = "Default: ${DEFAULT-VALUE}.")
  Path report;

  @Option(names = "--gateway", paramLabel = "HOST:PORT", description = "A running gateway; repeatable (the gateways of one cluster). Default: start one in-process.")
  List<InetSocketAddress> gateways = new ArrayList<>();

  @Option(names = "--retry-for", defaultValue = "45s", description = "How long a copier retries a call that got no answer (on the next gateway) or a 'not now' answer, same order id. Default: ${DEFAULT-VALUE}.")
  Duration retryFor;

  @Option(names = "--data", paramLabel = "DIR", defaultValue = "var/load", description = "The world (in-process: created and seeded here on first use). Default: ${DEFAULT-VALUE}.")
  Path data;

  @Option(names = "--municipalities", defaultValue = "4", description = "In-process world, first use: municipalities to seed. Default: ${DEFAULT-VALUE}.")
  int municipalities;

  @Option(names = "--residents", defaultValue = "3000", description = "In-process world, first use: residents to seed in all. Default: ${DEFAULT-VALUE}.")
  int residents;

  @Option(names = "--poisson", description = "Exponential inter-arrival times instead of a constant rate.")
  boolean poisson;

  @Option(names = "--seed", defaultValue = "7", description = "Makes scenario and card choices reproducible. Default: ${DEFAULT-VALUE}.")
  long seed;


  /** {@code 50/s} or {@code 50}: arrivals per second. */
  static final class Rate implements picocli.CommandLine.ITypeConverter<Double> {
    @Override
    public Double convert(String text) {
      try {
        return Double.parseDouble(text.strip().replaceFirst("\\s*/s$", ""));
      } catch (NumberFormatException e) {
        throw new picocli.CommandLine.TypeConversionException("'" + text + "' (expected: arrivals per second, e.g. 50/s)");
      }
    }
  }

  @Override
  public Integer call() throws Exception {
    LoadPlan plan;
    try {
      plan = new LoadPlan(terminals, rate, duration, warmup, mix == null ? ScenarioMix.defaults() : ScenarioMix.parse(mix), poisson, seed, retryFor);
    } catch (IllegalArgumentException e) {
      throw Errors.usage(spec.commandLine(), e.getMessage());
    }
    EmbeddedWorld world = null;
    try {
      LoadTarget target;
      if (gateways.isEmpty()) {
        System.err.println("starting an in-process world in " + data.toAbsolutePath() + " ...");
        DemoClock clock = new DemoClock(java.time.Clock.systemUTC());
        if (clock.shifted()) {
          System.err.println("  outside service hours: the in-process world runs as of the last time the service was open");
        }
        world =
            EmbeddedWorld.start(
                EmbeddedWorld.options()
                    .clock(clock)
                    .dataDir(data)
                    .municipalities(Seeder.pickMunicipalities(municipalities, seed))
                    .residentsEach(Math.max(1, residents / municipalities)));
        target = new LoadTarget(world.address(), world.pki(), CardWallet.open(world.walletDir(), world.pki()).withKeyPool(16), true);
      } else {
        TrustWorld pki = TrustWorld.openOrCreate(data.resolve("pki"));
        target = new LoadTarget(List.copyOf(gateways), pki, CardWallet.open(data.resolve("wallet"), pki).withKeyPool(16), false);
      }
      LoadReport r = new LoadRunner(plan, target).run(System.err::println);
      r.writeTo(report);
      System.out.println(r.text());
      System.out.println("report: " + report.resolve("report.html"));
      return r.misissued() ? 3 : 0;
    } finally {
      if (world != null) {
        world.close();
      }
    }
  }
}
