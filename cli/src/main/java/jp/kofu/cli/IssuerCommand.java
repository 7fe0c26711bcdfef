package jp.kofu.cli;

import java.util.List;
import java.util.concurrent.Callable;
import jp.kofu.issuer.JapanTime;
import jp.kofu.issuer.registry.ResidentRegistry;
import jp.kofu.issuer.seed.Seeder;
import jp.kofu.pki.TrustWorld;
import jp.kofu.pki.X509;
import jp.kofu.storage.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code kofu issuer ...}: the municipality side. */
@Command(
    name = "issuer",
    mixinStandardHelpOptions = true,
    description = "The municipality side: seed synthetic municipalities into the embedded registry.",
    subcommands = {IssuerCommand.Seed.class})
final class IssuerCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  @Command(
      name = "seed",
      mixinStandardHelpOptions = true,
      description = {
        "Generates synthetic municipalities into the embedded registry.",
        "",
        "Generates synthetic municipalities: residents with Japanese names and readings, addresses",
        "from real town names, households, cards; a catalog file per municipality; the card",
        "directory feed for the gateway and the wallet index for the simulator. Appends to what",
        "is there."
      })
  static final class Seed implements Callable<Integer> {
    @Mixin DataDir data;

    @Option(names = "--municipalities", defaultValue = "1", description = "How many municipalities (the demo one, 131016, first). Default: ${DEFAULT-VALUE}.")
    int municipalities;

    @Option(names = "--residents", defaultValue = "1000", description = "Residents in all, spread evenly. Default: ${DEFAULT-VALUE}.")
    int residents;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed: the same seed makes the same people. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Override
    public Integer call() throws Exception {
      if (municipalities < 1 || residents < municipalities) {
        System.err.println("--municipalities must be >= 1 and --residents >= --municipalities");
        return 2;
      }
      TrustWorld pki = TrustWorld.openOrCreate(data.dir.resolve("pki"));
      List<String> codes = Seeder.pickMunicipalities(municipalities, seed);
      var issuerDir = data.dir.resolve("issuer");
      long started = System.nanoTime();
      try (Database db = Database.open(Database.h2FileUrl(issuerDir.resolve("registry")), "sa", "", ResidentRegistry.MIGRATIONS, 4)) {
        Seeder.Result r =
            new Seeder(new ResidentRegistry(db), issuerDir.resolve("municipalities"), issuerDir.resolve("card-directory.csv"),
                    data.dir.resolve("wallet").resolve("cards.csv"), X509.keyId(pki.cardCa().certificate()))
                .seed(codes, residents / municipalities, seed, JapanTime.date(java.time.Instant.now()));
        System.out.printf("seeded %d municipalities, %,d residents, %,d cards in %.1f s%n", codes.size(), r.residents(), r.cards(), (System.nanoTime() - started) / 1e9);
        System.out.println("  municipalities: " + String.join(" ", codes));
      }
      return 0;
    }
  }
}
