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
import jp.kofu.gateway.auth.CardTrust;
import jp.kofu.gateway.config.GatewayConfig;
import jp.kofu.gateway.config.HostPort;
import jp.kofu.gateway.routing.AdapterFactories;
import jp.kofu.gateway.routing.CardDirectoryFactory;
import jp.kofu.gateway.routing.FeedCardDirectory;
import jp.kofu.issuer.JapanTime;
import jp.kofu.issuer.embedded.EmbeddedIssuerAdapterFactory;
import jp.kofu.issuer.registry.ResidentRegistry;
import jp.kofu.issuer.seed.Seeder;
import jp.kofu.issuer.spi.AdapterContext;
import jp.kofu.pki.TrustWorld;
import jp.kofu.pki.ocsp.OcspResponder;
import java.util.function.BiConsumer;
import jp.kofu.pki.X509;
import jp.kofu.gateway.journal.JournalDatabases;
import jp.kofu.storage.Database;

/**
 * The embedded world, kept in a data directory:
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
  private final Gateway gateway;
  private final AdapterFactories factories;
  private final Clock clock;
  private final OcspResponder responder;
  private final jp.kofu.gateway.routing.CardDirectory cardDirectory;

  private EmbeddedWorld(
      Path dataDir, boolean temporary, TrustWorld pki, Gateway gateway, AdapterFactories factories, Clock clock,
      OcspResponder responder, jp.kofu.gateway.routing.CardDirectory cardDirectory) {
    this.dataDir = dataDir;
    this.temporary = temporary;
    this.pki = pki;
    this.gateway = gateway;
    this.factories = factories;
    this.clock = clock;
    this.responder = responder;
    this.cardDirectory = cardDirectory;
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
    Clock clock = Clock.systemUTC();
    final List<jp.kofu.issuer.spi.IssuerAdapter> extraAdapters = new java.util.ArrayList<>();
    jp.kofu.gateway.routing.Isolation isolation;
    BiConsumer<Gateway.Builder, OcspResponder> customize = (b, r) -> {};

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

    public Options clock(Clock clock) {
      this.clock = clock;
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
    InetSocketAddress listen =
        o.config != null ? resolved(HostPort.parse("listen", config.listen())) : new InetSocketAddress("127.0.0.1", o.port);
    TrustWorld pki = TrustWorld.openOrCreate(dir.resolve("pki"), o.clock);
    Path issuerDir = dir.resolve("issuer");
    Path feed = issuerDir.resolve("card-directory.csv");
    seedIfEmpty(pki, issuerDir, feed, dir.resolve("wallet").resolve("cards.csv"), o);
    AdapterFactories factories = AdapterFactories.discover(EmbeddedWorld.class.getClassLoader(), config.plugins());
    // The trust world's revocation service (J-LIS's, in production), started inside so that
    // revocation works without the user doing anything.
    OcspResponder responder = OcspResponder.start(pki, new InetSocketAddress("127.0.0.1", 0));
    jp.kofu.gateway.routing.CardDirectory directory =
        config.cardDirectory().kind().equals("feed") && config.cardDirectory().settings().isEmpty()
            ? FeedCardDirectory.fromFile(feed)
            : CardDirectoryFactory.create(
                config.cardDirectory().kind(), config.cardDirectory().settings(), dir, EmbeddedWorld.class.getClassLoader());
    GatewayConfig.Limits limits = config.limits();
    Gateway.Builder gateway =
        Gateway.builder()
            .listen(listen)
            .serverCertificate(pki.gatewayServer())
            .terminalAnchors(List.of(pki.terminalCa().certificate()))
            .cardTrust(
                CardTrust.of(
                    List.of(pki.cardRoot().certificate()),
                    List.of(pki.cardCa().certificate()),
                    List.of(pki.smartphoneCa().certificate())))
            .municipalAnchors(List.of(pki.municipalCa().certificate()))
            .secret(secret(secretFile(dir)))
            .journal(JournalDatabases.open(config))
            .attemptTimeout(config.journal().attemptTimeout())
            .unconfirmedTimeout(config.journal().unconfirmedTimeout())
            .cardDirectory(directory)
            .revocation(
                config.revocationSettings(
                    responder.ocspUri(),
                    List.of(responder.crlUri(pki.cardCa()), responder.crlUri(pki.smartphoneCa()), responder.crlUri(pki.terminalCa()))))
            .terminalRateLimit(limits.terminalRequests(), limits.terminalPeriod())
            .cardLockout(limits.lockoutFailures(), limits.lockoutWindow(), limits.lockoutDuration())
            .challengeTtl(config.sessions().challengeTtl())
            .sessionTtl(config.sessions().sessionTtl())
            .isolation(o.isolation != null ? o.isolation : config.isolation())
            .metricsListen(config.metrics().listen() == null ? null : resolved(HostPort.parse("metrics.listen", config.metrics().listen())))
            .verification(
                config.verification().validity(),
                config.verification().lookupsPerMinute(),
                o.config != null ? resolved(HostPort.parse("verification.listen", config.verification().listen())) : new InetSocketAddress("127.0.0.1", o.verificationPort))
            .verificationListeners(
                o.config != null ? resolved(HostPort.parse("verification.grpc-listen", config.verification().grpcListen())) : new InetSocketAddress("127.0.0.1", 0),
                config.verification().trustedProxies())
            .clock(o.clock);
    int n = 0;
    for (GatewayConfig.Adapter a : config.adapters()) {
      Path adapterDir = a.kind().equals(EmbeddedIssuerAdapterFactory.KIND) ? issuerDir : dir.resolve("adapters").resolve(a.kind() + "-" + n);
      Map<String, String> settings = new java.util.HashMap<>(a.settings());
      if (a.kind().equals(EmbeddedIssuerAdapterFactory.KIND)) {
        settings.putIfAbsent("verification-url", config.verification().publicUrl());
      }
      gateway.adapter(factories.create(a.kind(), new AdapterContext(settings, adapterDir, o.clock, Map.of(TrustWorld.class, pki))));
      n++;
    }
    o.extraAdapters.forEach(gateway::adapter);
    o.customize.accept(gateway, responder);
    try {
      return new EmbeddedWorld(dir, temporary, pki, gateway.start(), factories, o.clock, responder, directory);
    } catch (RuntimeException e) {
      factories.close();
      responder.close();
      throw e;
    }
  }

  private static InetSocketAddress resolved(InetSocketAddress unresolved) {
    return new InetSocketAddress(unresolved.getHostString(), unresolved.getPort());
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
      Files.createDirectories(file.getParent());
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
    return gateway;
  }

  public TrustWorld pki() {
    return pki;
  }

  /** The trust world's OCSP responder and CRL service. */
  public OcspResponder ocspResponder() {
    return responder;
  }

  /** Card → address municipality, as the gateway knows it (tests add credentials here). */
  public FeedCardDirectory cardDirectory() {
    if (cardDirectory instanceof FeedCardDirectory feed) {
      return feed;
    }
    throw new IllegalStateException("this world's card directory is of kind " + cardDirectory.getClass().getSimpleName());
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
    return gateway.address();
  }

  @Override
  public void close() {
    gateway.close();
    factories.close();
    responder.close();
    if (temporary) {
      try (Stream<Path> files = Files.walk(dataDir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        // best effort: a temporary directory
      }
    }
  }
}
