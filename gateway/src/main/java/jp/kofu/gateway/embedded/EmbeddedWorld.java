package jp.kofu.gateway.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import jp.kofu.gateway.Gateway;
import jp.kofu.gateway.GatewayAssembly;
import jp.kofu.gateway.config.GatewayConfig;
import jp.kofu.gateway.routing.FeedCardDirectory;
import jp.kofu.issuer.JapanTime;
import jp.kofu.issuer.embedded.EmbeddedIssuerAdapterFactory;
import jp.kofu.issuer.registry.ResidentRegistry;
import jp.kofu.issuer.seed.Seeder;
import jp.kofu.pki.TrustWorld;
import jp.kofu.pki.ocsp.OcspResponder;
import java.util.function.BiConsumer;
import jp.kofu.pki.X509;
import jp.kofu.storage.Database;

/**
 * The development world: the layer on top of the production {@link GatewayAssembly}. It makes
 * (or reuses) a trust world and a seeded registry in a data directory, starts the stand-in OCSP
 * responder and CRL service, fills the configuration in with their files and addresses, and starts
 * the gateway through the same root as production. Nothing here is on the production path.
 *
 * <p>The data directory:
 *
 * <pre>
 *   DATA/pki/                    the development trust world (PEM); its OCSP responder and CRLs
 *                                are served on a free loopback port while the world runs
 *   DATA/issuer/                 registry (H2), municipalities/*.yaml, card-directory.csv
 *   DATA/gateway/                journal (H2), secret.key
 *   DATA/wallet/cards.csv        the seeded cards' serials and PINs (the card holders' side)
 * </pre>
 *
 * Whatever is missing is generated on first start; the demo municipality is seeded when its
 * registry is empty.
 */
public final class EmbeddedWorld implements AutoCloseable {
  private final Path dataDir;
  private final boolean temporary;
  private final TrustWorld pki;
  private final GatewayAssembly assembly;
  private final Clock clock;
  private final OcspResponder responder;

  private EmbeddedWorld(Path dataDir, boolean temporary, TrustWorld pki, GatewayAssembly assembly, Clock clock, OcspResponder responder) {
    this.dataDir = dataDir;
    this.temporary = temporary;
    this.pki = pki;
    this.assembly = assembly;
    this.clock = clock;
    this.responder = responder;
  }

  /** The world's one clock (gateway, adapters, trust world). */
  public Clock clock() {
    return clock;
  }

  /** Options; the defaults make the demo world. */
  public static final class Options {
    Path dataDir;
    GatewayConfig config;
    int port = 0;
    int verificationPort = 0;
    List<String> municipalities = List.of(Seeder.DEMO_MUNICIPALITY, Seeder.DEMO_DOMICILE_MUNICIPALITY);
    int residentsEach = 60;
    long seed = 20230327L;
    jp.kofu.time.TimeSource time = jp.kofu.time.TimeSource.system();
    Clock clock = time.clock();
    final List<jp.kofu.issuer.spi.IssuerAdapter> extraAdapters = new java.util.ArrayList<>();
    jp.kofu.gateway.routing.Isolation isolation;
    BiConsumer<Gateway.Builder, OcspResponder> customize = (b, r) -> {};
    io.opentelemetry.sdk.trace.export.SpanExporter spanExporter;

    /** Where spans go if the configuration turns tracing on (tests: an in-memory exporter), instead of OTLP. */
    public Options spanExporter(io.opentelemetry.sdk.trace.export.SpanExporter exporter) {
      this.spanExporter = exporter;
      return this;
    }

    /**
     * Adjusts the gateway before it starts (tests: revocation settings, limits); the world's OCSP
     * responder is there to point revocation at.
     */
    public Options gateway(BiConsumer<Gateway.Builder, OcspResponder> customize) {
      this.customize = customize;
      return this;
    }

    public Options dataDir(Path dir) {
      this.dataDir = dir;
      return this;
    }

    /** Run as this configuration file says (listen address, journal, adapters, limits). */
    public Options config(GatewayConfig config) {
      this.config = config;
      this.dataDir = config.data();
      return this;
    }

    public Options port(int port) {
      this.port = port;
      return this;
    }

    /** The verification page's port (0: any free one). */
    public Options verificationPort(int port) {
      this.verificationPort = port;
      return this;
    }

    public Options municipalities(List<String> codes) {
      this.municipalities = List.copyOf(codes);
      return this;
    }

    public Options residentsEach(int n) {
      this.residentsEach = n;
      return this;
    }

    public Options seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** The world's wall clock (the gateway's deadlines and periodic work stay on real time). */
    public Options clock(Clock clock) {
      this.time = jp.kofu.time.TimeSource.system().withClock(clock);
      this.clock = clock;
      return this;
    }

    /** The world's clock, and the gateway's deadline ticker and scheduler (a test's fake clock). */
    public Options time(jp.kofu.time.TimeSource time) {
      this.time = time;
      this.clock = time.clock();
      return this;
    }

    /** An adapter made by the caller, routed beside the configured ones (tests' misbehaving municipalities). */
    public Options adapter(jp.kofu.issuer.spi.IssuerAdapter adapter) {
      this.extraAdapters.add(adapter);
      return this;
    }

    /** Each municipality's limit, deadline and breaker, instead of the configuration's. */
    public Options isolation(jp.kofu.gateway.routing.Isolation isolation) {
      this.isolation = isolation;
      return this;
    }
  }

  public static Options options() {
    return new Options();
  }

  /** A fresh world in a temporary directory, deleted on close: tests' one line. */
  public static EmbeddedWorld startTemporary() {
    return start(options());
  }

  public static EmbeddedWorld start(Options o) {
    boolean temporary = o.dataDir == null;
    Path dir;
    try {
      dir = temporary ? Files.createTempDirectory("kofu-world-") : Files.createDirectories(o.dataDir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    GatewayConfig config = o.config != null ? o.config : GatewayConfig.defaults(dir);
    if (o.config == null) {
      config = config.withListen("127.0.0.1:" + o.port, "127.0.0.1:" + o.verificationPort);
    }
    TrustWorld pki = TrustWorld.openOrCreate(dir.resolve("pki"), o.clock);
    Path issuerDir = GatewayAssembly.ownerOnlyDirectory(dir.resolve("issuer"));
    Path feed = issuerDir.resolve("card-directory.csv");
    config = developmentAdapters(config, issuerDir, feed);
    if (usesDevelopmentRegistry(config, issuerDir)) {
      seedIfEmpty(pki, issuerDir, feed, dir.resolve("wallet").resolve("cards.csv"), o);
      GatewayAssembly.ownerOnlyFiles(issuerDir);
    }
    config = developmentTrust(config, pki, secretFile(dir));
    // The trust world's revocation service (J-LIS's, in production), started inside so that
    // revocation works without the user doing anything; unless the configuration names the
    // sources itself (several gateways of one world sharing one responder, as a cluster test does).
    GatewayConfig.Revocation named = config.revocation();
    OcspResponder responder = null;
    if (named.crls() == null || (named.ocsp() == null && !"crl".equals(named.cards()))) {
      responder = OcspResponder.start(pki, new InetSocketAddress("127.0.0.1", 0));
      config =
          config.withRevocationSources(
              responder.ocspUri(), List.of(responder.crlUri(pki.cardCa()), responder.crlUri(pki.smartphoneCa()), responder.crlUri(pki.terminalCa())));
    }
    OcspResponder started = responder;
    GatewayAssembly.Extras extras =
        GatewayAssembly.production().time(o.time).service(TrustWorld.class, pki).isolation(o.isolation).customize(b -> o.customize.accept(b, started));
    extras.spanExporter(o.spanExporter);
    o.extraAdapters.forEach(extras::adapter);
    try {
      GatewayAssembly assembly = GatewayAssembly.start(config, extras);
      return new EmbeddedWorld(dir, temporary, pki, assembly, o.clock, responder);
    } catch (RuntimeException e) {
      if (responder != null) {
        responder.close();
      }
      throw e;
    }
  }

  /** Without adapters named: one embedded adapter on DATA/issuer; embedded ones without a database get DATA/issuer's H2. */
  private static GatewayConfig developmentAdapters(GatewayConfig config, Path issuerDir, Path feed) {
    List<GatewayConfig.Adapter> adapters = new java.util.ArrayList<>();
    for (GatewayConfig.Adapter a : config.adapters().isEmpty() ? List.of(new GatewayConfig.Adapter(EmbeddedIssuerAdapterFactory.KIND, Map.of())) : config.adapters()) {
      if (a.kind().equals(EmbeddedIssuerAdapterFactory.KIND) && !a.settings().containsKey("database-url")) {
        Map<String, String> settings = new java.util.HashMap<>(a.settings());
        settings.put("database-url", ResidentRegistry.embeddedUrl(issuerDir));
        a = new GatewayConfig.Adapter(a.kind(), settings);
      }
      adapters.add(a);
    }
    GatewayConfig.CardDirectory directory = config.cardDirectory();
    if (directory.kind().equals("feed") && directory.settings().isEmpty()) {
      directory = new GatewayConfig.CardDirectory("feed", Map.of("files", feed.toString()));
    }
    return config.withAdapters(adapters, directory);
  }

  private static boolean usesDevelopmentRegistry(GatewayConfig config, Path issuerDir) {
    // The world's own H2 file, whatever options follow it (AUTO_SERVER for a shared registry).
    String url = jp.kofu.storage.Database.h2FileUrl(issuerDir.resolve("registry"));
    return config.adapters().stream().map(a -> a.settings().get("database-url")).anyMatch(u -> u != null && u.startsWith(url));
  }

  /** The trust world's files, and the world's one secret, where the configuration names none. */
  private static GatewayConfig developmentTrust(GatewayConfig config, TrustWorld pki, Path secretFile) {
    secret(secretFile);
    pki.gatewayServer();
    pki.gatewayClient();
    Path p = pki.directory();
    GatewayConfig.Tls tls =
        config.tls() != null
            ? config.tls()
            : new GatewayConfig.Tls(
                p.resolve("service/gateway/cert.pem"), p.resolve("service/gateway/key.pem"), null, null,
                p.resolve("service/gateway-client/cert.pem"), p.resolve("service/gateway-client/key.pem"));
    GatewayConfig.Trust trust =
        config.trust() != null
            ? config.trust()
            : new GatewayConfig.Trust(
                List.of(cert(pki, pki.cardRoot())), List.of(cert(pki, pki.cardCa())), List.of(cert(pki, pki.smartphoneCa())),
                List.of(cert(pki, pki.terminalCa())), List.of(cert(pki, pki.municipalCa())), List.of(cert(pki, pki.serviceCa())));
    // One secret for both purposes, as the world has always kept it: journals and tokens made by
    // earlier versions stay valid.
    GatewayConfig.SecretKey one = new GatewayConfig.SecretKey("development", secretFile, null, List.of());
    GatewayConfig.Secrets secrets = config.secrets() != null ? config.secrets() : new GatewayConfig.Secrets(one, one);
    return config.withTrustMaterial(tls, trust, secrets);
  }

  private static Path cert(TrustWorld pki, jp.kofu.pki.CertificateAuthority ca) {
    return pki.directoryOf(ca).resolve("cert.pem");
  }

  private static void seedIfEmpty(TrustWorld pki, Path issuerDir, Path feed, Path wallet, Options o) {
    try (Database db = Database.open(ResidentRegistry.embeddedUrl(issuerDir), "sa", "", ResidentRegistry.MIGRATIONS, 2)) {
      ResidentRegistry registry = new ResidentRegistry(db);
      if (registry.countResidents(o.municipalities.get(0)) > 0) {
        return;
      }
      new Seeder(registry, issuerDir.resolve("municipalities"), feed, wallet, X509.keyId(pki.cardCa().certificate()))
          .withSpecimens(wallet.resolveSibling("specimens.csv"))
          .seed(o.municipalities, o.residentsEach, o.seed, JapanTime.date(o.clock.instant()));
    } catch (SQLException e) {
      throw new IllegalStateException("cannot seed the embedded registry: SQLSTATE " + e.getSQLState(), e);
    }
  }

  /** Where the world in {@code dataDir} keeps the cluster secret (sessions, journal keys). */
  public static Path secretFile(Path dataDir) {
    return dataDir.resolve("gateway").resolve("secret.key");
  }

  /** The cluster secret, generated on first use (32 random bytes, owner-only). */
  static byte[] secret(Path file) {
    try {
      if (Files.exists(file)) {
        return Files.readAllBytes(file);
      }
      GatewayAssembly.ownerOnlyDirectory(file.getParent());
      byte[] secret = new byte[32];
      new SecureRandom().nextBytes(secret);
      Files.write(file, secret);
      if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      }
      return secret;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Gateway gateway() {
    return assembly.gateway();
  }

  public TrustWorld pki() {
    return pki;
  }

  /** The trust world's OCSP responder and CRL service; null where the configuration named its own revocation sources. */
  public OcspResponder ocspResponder() {
    return responder;
  }

  /** Card → address municipality, as the gateway knows it (tests add credentials here). */
  public FeedCardDirectory cardDirectory() {
    if (assembly.cardDirectory() instanceof FeedCardDirectory feed) {
      return feed;
    }
    throw new IllegalStateException("this world's card directory is of kind " + assembly.cardDirectory().getClass().getSimpleName());
  }

  public Path dataDir() {
    return dataDir;
  }

  /** The card holders' side: serials and PINs of the seeded cards. */
  public Path walletIndex() {
    return dataDir.resolve("wallet").resolve("cards.csv");
  }

  public Path walletDir() {
    return dataDir.resolve("wallet");
  }

  /** The specimen residents seeded with the world (one per refusal; see Seeder.withSpecimens). */
  public Path specimenIndex() {
    return walletDir().resolve("specimens.csv");
  }

  public InetSocketAddress address() {
    return assembly.gateway().address();
  }

  @Override
  public void close() {
    assembly.close();
    if (responder != null) {
      responder.close();
    }
    if (temporary) {
      try (Stream<Path> files = Files.walk(dataDir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        // best effort: a temporary directory
      }
    }
  }
}
