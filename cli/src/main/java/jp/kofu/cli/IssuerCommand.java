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
        "with an adapter of kind 'remote' (see README.md, 'Municipalities').",
        "",
        "In production, --certificate, --key, --client-ca and --signers name the server's own",
        "PKI and the municipalities' signing keys instead (docs/OPERATIONS.md)."
      })
  static final class Serve implements Callable<Integer> {
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Mixin DataDir data;

    @picocli.CommandLine.ArgGroup(exclusive = false, heading = "%nTracing (off unless --trace-endpoint is given; docs/OPERATIONS.md, \"Trace\"):%n")
    Trace trace;

    /** The same tracing options as the gateway's tracing: section. */
    static final class Trace {
      @Option(names = "--trace-endpoint", required = true, paramLabel = "URL", description = "Turns tracing on: a collector's OTLP/HTTP traces URL, e.g. http://collector:4318/v1/traces.")
      String endpoint;

      @Option(names = "--trace-service-name", paramLabel = "NAME", description = "The spans' service.name. Default: kofu-issuer.")
      String serviceName;

      @Option(names = "--trace-sampling-ratio", paramLabel = "0..1", description = "Share of new traces recorded; a gateway's sampled traceparent is always followed. Default: 1.")
      Double samplingRatio;

      @Option(names = "--trace-header", paramLabel = "NAME=VALUE", description = "An HTTP header of each export request; repeatable.")
      Map<String, String> headers;

      @Option(names = "--trace-instance-id", paramLabel = "ID", description = "The spans' service.instance.id. Default: a random UUID.")
      String instanceId;

      jp.kofu.trace.TraceSettings settings(picocli.CommandLine cmd) {
        try {
          return jp.kofu.trace.TraceSettings.of(true, endpoint, serviceName, "kofu-issuer", samplingRatio, headers, null, instanceId);
        } catch (IllegalArgumentException e) {
          throw Errors.usage(cmd, "--trace-" + e.getMessage());
        }
      }
    }

    @picocli.CommandLine.ArgGroup(exclusive = false)
    Registry registry = new Registry();

    @Option(names = "--listen", defaultValue = "127.0.0.1:9443", paramLabel = "HOST:PORT", description = "Where to listen. Default: ${DEFAULT-VALUE}.")
    InetSocketAddress listen;

    @Option(names = "--municipalities", split = ",", paramLabel = "CODE", description = "The codes to serve (comma-separated). Default: every municipality of the catalog.")
    List<String> municipalities;

    @picocli.CommandLine.ArgGroup(exclusive = false, heading = "%nProduction (nothing from DATA/pki; no key is generated):%n")
    Production production;

    /** The server's own PKI, as a municipality or its vendor runs it: no development trust world. */
    static final class Production {
      @Option(names = "--certificate", required = true, paramLabel = "PEM", description = "The server's TLS certificate, with its chain.")
      Path certificate;

      @Option(names = "--key", required = true, paramLabel = "PEM", description = "Its private key (owner-only).")
      Path key;

      @Option(names = "--client-ca", required = true, paramLabel = "PEM", description = "A CA of the gateways' client certificates; repeatable.")
      List<Path> clientCas;

      @Option(names = "--client-name", paramLabel = "CN", description = "Subject CN a gateway's client certificate must have; repeatable. Default: kofu gateway client.")
      List<String> clientNames = List.of("kofu gateway client");

      @Option(names = "--signers", required = true, paramLabel = "DIR", description = "The municipalities' signing keys: CODE/cert.pem and CODE/key.pem each.")
      Path signers;

      @Option(names = "--catalog", paramLabel = "DIR", description = "The municipality files. Default: DATA/issuer/municipalities.")
      Path catalog;

      @Option(names = "--tsa-url", paramLabel = "URL", description = "An RFC 3161 time-stamping authority (PAdES B-T). Default: none (B-B).")
      String tsaUrl;

      @Option(names = "--verification-url", paramLabel = "URL", description = "The public verification page the documents' QR codes point to.")
      String verificationUrl;
    }

    @Override
    public Integer call() throws Exception {
      // Checked before anything is opened or created.
      jp.kofu.trace.TraceSettings traceSettings = trace == null ? null : trace.settings(spec.commandLine());
      InetSocketAddress address = listen;
      Path issuerDir = data.dir.resolve("issuer");
      Map<String, String> settings = registry.settings();
      if (municipalities != null && !municipalities.isEmpty()) {
        settings.put("municipalities", String.join(",", municipalities));
      }
      TrustWorld pki = null;
      jp.kofu.pki.HeldCertificate certificate;
      List<java.security.cert.X509Certificate> clientAnchors = new java.util.ArrayList<>();
      if (production == null) {
        pki = TrustWorld.openOrCreate(data.dir.resolve("pki"));
        certificate = pki.issuerServer();
        clientAnchors.add(pki.serviceCa().certificate());
      } else {
        List<java.security.cert.X509Certificate> chain = jp.kofu.pki.Pem.certificates(production.certificate);
        if (chain.isEmpty()) {
          throw new IllegalArgumentException(production.certificate + ": no certificate (expected: PEM, the server's certificate first)");
        }
        certificate = new jp.kofu.pki.HeldCertificate(
            chain.get(0), jp.kofu.pki.Pem.keyPair(production.key, chain.get(0).getPublicKey()), chain.subList(1, chain.size()));
        for (Path ca : production.clientCas) {
          clientAnchors.addAll(jp.kofu.pki.Pem.certificates(ca));
        }
        settings.put("signers", production.signers.toString());
        if (production.catalog != null) {
          settings.put("catalog", production.catalog.toString());
        }
        if (production.tsaUrl != null) {
          settings.put("tsa-url", production.tsaUrl);
        }
        if (production.verificationUrl != null) {
          settings.put("verification-url", production.verificationUrl);
        }
      }
      var adapter =
          new EmbeddedIssuerAdapterFactory()
              .create(new AdapterContext(settings, issuerDir, Clock.systemUTC(), pki == null ? Map.of() : Map.of(TrustWorld.class, pki)));
      if (adapter.municipalityCodes().isEmpty()) {
        adapter.close();
        System.err.println("kofu issuer serve: no municipalities to serve: seed some first (./kofu issuer seed)");
        return Errors.FAILED;
      }
      jp.kofu.trace.Tracing tracing = traceSettings == null ? null : jp.kofu.trace.Tracing.start(traceSettings);
      IssuerServer server;
      try {
        server =
            IssuerServer.builder()
                .tracing(tracing)
                .listen(address)
                .certificate(certificate)
                .clientAnchors(clientAnchors)
                .allowedClients(production == null ? java.util.Set.of(IssuerServer.DEVELOPMENT_GATEWAY_CLIENT) : java.util.Set.copyOf(production.clientNames))
                .adapter(adapter)
                .start();
      } catch (RuntimeException e) {
        if (tracing != null) {
          tracing.close();
        }
        throw e;
      }
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    server.close();
                    if (tracing != null) {
                      tracing.close(); // the last spans
                    }
                  },
                  "kofu-issuer-shutdown"));
      System.out.println(
          "kofu issuer server listening on " + server.address() + " for " + adapter.municipalityCodes().size() + " municipalities; Ctrl-C stops it");
      System.out.println("  municipalities: " + String.join(" ", adapter.municipalityCodes().stream().sorted().toList()));
      server.awaitTermination();
      return 0;
    }
  }
}
