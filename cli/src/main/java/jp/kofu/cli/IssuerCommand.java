package jp.kofu.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import jp.kofu.issuer.JapanTime;
import jp.kofu.issuer.embedded.EmbeddedIssuerAdapterFactory;
import jp.kofu.issuer.registry.ResidentRegistry;
import jp.kofu.issuer.remote.IssuerServer;
import jp.kofu.issuer.seed.Seeder;
import jp.kofu.issuer.spi.AdapterContext;
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
    description = "The municipality side: seed synthetic municipalities; serve them as a remote issuer server.",
    subcommands = {IssuerCommand.Seed.class, IssuerCommand.Serve.class})
final class IssuerCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** Where the embedded registry is: the development H2 under DATA/issuer, or a database URL. */
  static final class Registry {
    @Option(names = "--database-url", paramLabel = "URL", description = "The registry database (jdbc:postgresql:... or jdbc:h2:...). Default: the H2 file under DATA/issuer.")
    String url;

    @Option(names = "--database-user", paramLabel = "USER", description = "Its user.")
    String user;

    @Option(names = "--database-password-file", paramLabel = "FILE", description = "A file holding its password (never the password itself).")
    Path passwordFile;

    Database open(Path issuerDir, int pool) throws IOException {
      if (url == null) {
        return Database.open(ResidentRegistry.embeddedUrl(issuerDir), "sa", "", ResidentRegistry.MIGRATIONS, pool);
      }
      String password = passwordFile == null ? null : Files.readString(passwordFile).strip();
      return Database.open(url, user, password, ResidentRegistry.MIGRATIONS, pool);
    }

    Map<String, String> settings() {
      Map<String, String> s = new LinkedHashMap<>();
      if (url != null) {
        s.put("database-url", url);
      }
      if (user != null) {
        s.put("database-user", user);
      }
      if (passwordFile != null) {
        s.put("database-password-file", passwordFile.toString());
      }
      return s;
    }
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
        "is there. The same --seed and --municipalities always pick the same municipalities."
      })
  static final class Seed implements Callable<Integer> {
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Mixin DataDir data;

    @picocli.CommandLine.ArgGroup(exclusive = false)
    Registry registry = new Registry();

    @Option(names = "--municipalities", defaultValue = "1", description = "How many municipalities (the demo one, 131016, first). Default: ${DEFAULT-VALUE}.")
    int municipalities;

    @Option(names = "--residents", defaultValue = "1000", description = "Residents in all, spread evenly. Default: ${DEFAULT-VALUE}.")
    int residents;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed: the same seed makes the same people. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Override
    public Integer call() throws Exception {
      if (municipalities < 1 || residents < municipalities) {
        throw Errors.usage(spec.commandLine(), "--municipalities " + municipalities + " --residents " + residents
            + " (expected: --municipalities >= 1 and --residents >= --municipalities)");
      }
      TrustWorld pki = TrustWorld.openOrCreate(data.dir.resolve("pki"));
      List<String> codes = Seeder.pickMunicipalities(municipalities, seed);
      var issuerDir = data.dir.resolve("issuer");
      long started = System.nanoTime();
      try (Database db = registry.open(issuerDir, 4)) {
        Seeder.Result r =
            new Seeder(new ResidentRegistry(db), issuerDir.resolve("municipalities"), issuerDir.resolve("card-directory.csv"),
                    data.dir.resolve("wallet").resolve("cards.csv"), X509.keyId(pki.cardCa().certificate()))
                .seed(codes, residents / municipalities, seed, JapanTime.date(java.time.Instant.now()));
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf(
            "seeded %d municipalities, %,d residents, %,d cards in %.1f s (%,.0f residents/s)%n",
            codes.size(), r.residents(), r.cards(), seconds, r.residents() / seconds);
        System.out.printf("  generating %.1f s, writing to the registry %.1f s%n", r.generateNanos() / 1e9, r.insertNanos() / 1e9);
        System.out.println("  municipalities: " + String.join(" ", codes));
      }
      return 0;
    }
  }

  @Command(
      name = "serve",
      mixinStandardHelpOptions = true,
      description = {
        "Runs a municipality's issuer server (kofu.issuer.v1) until Ctrl-C.",
        "",
        "Serves the embedded registry's municipalities (or those named with --municipalities) over",
        "gRPC with mutual TLS, as a municipality's own server or a vendor's shared cloud would: the",
        "server certificate is DATA/pki/service/issuer, and only clients with a certificate of the",
        "service CA named 'kofu gateway client' (the gateway's) may call. Point a gateway at it",
        "with an adapter of kind 'remote' (see README.md, 'Municipalities')."
      })
  static final class Serve implements Callable<Integer> {
    @Mixin DataDir data;

    @picocli.CommandLine.ArgGroup(exclusive = false)
    Registry registry = new Registry();

    @Option(names = "--listen", defaultValue = "127.0.0.1:9443", paramLabel = "HOST:PORT", description = "Where to listen. Default: ${DEFAULT-VALUE}.")
    InetSocketAddress listen;

    @Option(names = "--municipalities", split = ",", paramLabel = "CODE", description = "The codes to serve (comma-separated). Default: every municipality of the catalog.")
    List<String> municipalities;

    @Override
    public Integer call() throws Exception {
      InetSocketAddress address = listen;
      TrustWorld pki = TrustWorld.openOrCreate(data.dir.resolve("pki"));
      Path issuerDir = data.dir.resolve("issuer");
      Map<String, String> settings = registry.settings();
      if (municipalities != null && !municipalities.isEmpty()) {
        settings.put("municipalities", String.join(",", municipalities));
      }
      var adapter =
          new EmbeddedIssuerAdapterFactory()
              .create(new AdapterContext(settings, issuerDir, Clock.systemUTC(), Map.of(TrustWorld.class, pki)));
      if (adapter.municipalityCodes().isEmpty()) {
        adapter.close();
        System.err.println("kofu issuer serve: no municipalities to serve: seed some first (./kofu issuer seed)");
        return Errors.FAILED;
      }
      IssuerServer server =
          IssuerServer.builder()
              .listen(address)
              .certificate(pki.issuerServer())
              .clientAnchors(List.of(pki.serviceCa().certificate()))
              .adapter(adapter)
              .start();
      Runtime.getRuntime().addShutdownHook(new Thread(server::close, "kofu-issuer-shutdown"));
      System.out.println(
          "kofu issuer server listening on " + server.address() + " for " + adapter.municipalityCodes().size() + " municipalities; Ctrl-C stops it");
      System.out.println("  municipalities: " + String.join(" ", adapter.municipalityCodes().stream().sorted().toList()));
      server.awaitTermination();
      return 0;
    }
  }
}
