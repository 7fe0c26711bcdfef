package jp.kofu.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import jp.kofu.gateway.config.GatewayConfig;
import jp.kofu.gateway.embedded.EmbeddedWorld;
import jp.kofu.gateway.routing.Isolation;
import jp.kofu.issuer.JapanTime;
import jp.kofu.issuer.embedded.EmbeddedIssuerAdapterFactory;
import jp.kofu.issuer.registry.CardRecord;
import jp.kofu.issuer.registry.Resident;
import jp.kofu.issuer.registry.ResidentRegistry;
import jp.kofu.issuer.registry.ResidentStatus;
import jp.kofu.issuer.remote.IssuerServer;
import jp.kofu.issuer.seed.Specimen;
import jp.kofu.issuer.spi.AdapterContext;
import jp.kofu.issuer.spi.IssuerAdapter;
import jp.kofu.pki.TrustWorld;
import jp.kofu.pki.X509;
import jp.kofu.pki.ocsp.OcspResponder;
import jp.kofu.sim.card.CardWallet;
import jp.kofu.sim.copier.Copier;
import jp.kofu.storage.Database;
import jp.kofu.testing.FakeClock;
import jp.kofu.testing.LeakCheck;
import jp.kofu.testing.WholeWorld;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A whole world for a test in one line — trust world, seeded municipalities, gateway on real TLS
 * sockets with its embedded issuer — started and stopped by JUnit:
 *
 * <pre>
 *   &#64;WholeWorld
 *   class SomeOverTlsTest {
 *     &#64;RegisterExtension static final KofuWorld world = KofuWorld.embedded().residentsEach(260);
 * </pre>
 *
 * A static field gives the test class one world (started before the first test, stopped after the
 * last), an instance field one world per test. The options (clock, municipalities, residents, a
 * configuration file, extra adapters, isolation, the gateway's builder) are set before it starts.
 * When the world has stopped, the extension fails the test if anything the world or the test
 * started is still there: a listening socket, a kofu thread or one that is not a daemon, or a
 * temporary directory ({@link LeakCheck}). The world's data directory ({@link #dir()}) is deleted.
 * The test class must be tagged {@link WholeWorld}, so that the build runs it with the whole-world
 * tests.
 */
public class KofuWorld implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback, AutoCloseable {
  private final EmbeddedWorld.Options options;
  private final boolean ownOptions;
  private final Path dir = Path.of(System.getProperty("java.io.tmpdir"), "kofu-world-" + UUID.randomUUID());
  private Clock clock = FakeClock.inServiceHours();
  private jp.kofu.time.TimeSource time;
  private String configYaml;
  private GatewayConfig loadedConfig;
  private List<String> municipalities = List.of(jp.kofu.issuer.seed.Seeder.DEMO_MUNICIPALITY, jp.kofu.issuer.seed.Seeder.DEMO_DOMICILE_MUNICIPALITY);
  private int residentsEach = 60;
  private long seed = 20230327L;
  private List<String> remote = List.of();
  private IssuerServer issuerServer;
  private java.util.function.Consumer<IssuerServer.Builder> issuerServerCustomize = b -> {};
  private boolean byHand;
  private boolean perClass;
  private LeakCheck.Snapshot before;
  private EmbeddedWorld world;
  private CardWallet wallet;
  private Database registryDb;
  private ResidentRegistry registry;
  private final List<Copier> copiers = new ArrayList<>();

  KofuWorld() {
    this.options = EmbeddedWorld.options();
    this.ownOptions = true;
  }

  /** A world on options made by the caller, data directory and clock included (see {@link TestWorld}). */
  KofuWorld(EmbeddedWorld.Options options) {
    this.options = options;
    this.ownOptions = false;
  }

  /** A world of the embedded defaults: the demo municipalities, 60 residents each, a clock in service hours. */
  public static KofuWorld embedded() {
    return new KofuWorld();
  }

  // ---- options (before the world starts) ----

  /**
   * The world's wall clock (default: a {@link FakeClock#inServiceHours()}); the gateway's deadlines
   * and periodic work stay on real time.
   */
  public KofuWorld clock(Clock clock) {
    notStarted();
    this.clock = clock;
    this.time = null;
    return this;
  }

  /** The world's clock and also the gateway's deadline ticker and scheduler (a {@link FakeClock}: deadlines and housekeeping move only when the test moves it). */
  public KofuWorld time(jp.kofu.time.TimeSource time) {
    notStarted();
    this.clock = time.clock();
    this.time = time;
    return this;
  }

  public KofuWorld residentsEach(int n) {
    this.residentsEach = n;
    return options(o -> o.residentsEach(n));
  }

  public KofuWorld municipalities(List<String> codes) {
    this.municipalities = List.copyOf(codes);
    return options(o -> o.municipalities(codes));
  }

  /** The synthetic population's seed. */
  public KofuWorld seed(long seed) {
    this.seed = seed;
    return options(o -> o.seed(seed));
  }

  /**
   * These of the world's municipalities are served by an issuer server of their own ({@code kofu
   * issuer serve}: mutual TLS, the world's registry) that the gateway reaches with the remote
   * adapter; the configuration names its address as {@code {issuer-server}}.
   */
  public KofuWorld servedRemotely(List<String> codes) {
    notStarted();
    this.remote = List.copyOf(codes);
    return this;
  }

  /** Adjusts the remote municipalities' issuer server before it starts (tests: its tracing). */
  public KofuWorld issuerServer(java.util.function.Consumer<IssuerServer.Builder> customize) {
    notStarted();
    this.issuerServerCustomize = customize;
    return this;
  }

  /** Where the gateway's spans go if its configuration turns tracing on (an in-memory exporter), instead of OTLP. */
  public KofuWorld spanExporter(io.opentelemetry.sdk.trace.export.SpanExporter exporter) {
    return options(o -> o.spanExporter(exporter));
  }

  /**
   * Runs as this configuration says ({@code kofu-gateway.yaml} written into {@link #dir()}; a
   * relative {@code data: .} is the world's directory).
   */
  public KofuWorld config(String yaml) {
    notStarted();
    this.configYaml = yaml;
    return this;
  }

  /** Runs as this loaded configuration says; its {@code data} directory is the world's (the test's to delete). */
  public KofuWorld config(GatewayConfig config) {
    notStarted();
    this.loadedConfig = config;
    return this;
  }

  /** An adapter of the test's own (a misbehaving municipality), routed beside the configured ones. */
  public KofuWorld adapter(IssuerAdapter adapter) {
    return options(o -> o.adapter(adapter));
  }

  public KofuWorld isolation(Isolation isolation) {
    return options(o -> o.isolation(isolation));
  }

  /** Adjusts the gateway before it starts; the world's OCSP responder is there to point revocation at. */
  public KofuWorld gateway(BiConsumer<Gateway.Builder, OcspResponder> customize) {
    return options(o -> o.gateway(customize));
  }

  private KofuWorld options(java.util.function.Consumer<EmbeddedWorld.Options> set) {
    notStarted();
    set.accept(options);
    return this;
  }

  private void notStarted() {
    if (world != null) {
      throw new IllegalStateException("the world has started (expected: options set before it starts)");
    }
  }

  // ---- lifecycle ----

  /**
   * Starts the world outside JUnit's lifecycle (a test that prepares its configuration first);
   * {@link #close()} stops it and checks for leaks.
   */
  public KofuWorld start() {
    notStarted();
    if (before == null && ownOptions) {
      before = LeakCheck.snapshot();
      byHand = true;
    }
    if (ownOptions) { // else the caller's options name the data directory and the clock
      if (time != null) {
        options.time(time);
      } else {
        options.clock(clock);
      }
      try {
        Files.createDirectories(dir);
        if (!remote.isEmpty()) {
          issuerServer = startIssuerServer();
        }
        if (loadedConfig != null) {
          options.config(loadedConfig);
        } else if (configYaml != null) {
          Path file = dir.resolve("kofu-gateway.yaml");
          Files.writeString(file, issuerServer == null ? configYaml : configYaml.replace("{issuer-server}", "127.0.0.1:" + issuerServer.port()));
          options.config(GatewayConfig.load(file));
        } else {
          options.dataDir(dir);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    try {
      world = EmbeddedWorld.start(options);
    } catch (RuntimeException e) {
      if (issuerServer != null) {
        issuerServer.close();
      }
      throw e;
    }
    wallet = CardWallet.open(world.walletDir(), world.pki());
    registryDb = Database.open(ResidentRegistry.embeddedUrl(world.dataDir().resolve("issuer")), "sa", "", ResidentRegistry.MIGRATIONS, 2);
    registry = new ResidentRegistry(registryDb);
    return this;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    perClass = true;
    begin(context);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    end();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    if (!perClass) {
      begin(context);
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (!perClass) {
      end();
    }
  }

  /** The registry seeded as {@code kofu issuer seed} does, and {@code kofu issuer serve} for the remote municipalities on it. */
  private IssuerServer startIssuerServer() {
    TrustWorld pki = TrustWorld.openOrCreate(dir.resolve("pki"), clock);
    try (Database db = Database.open(ResidentRegistry.embeddedUrl(dir.resolve("issuer")), "sa", "", ResidentRegistry.MIGRATIONS, 4)) {
      new jp.kofu.issuer.seed.Seeder(
              new ResidentRegistry(db), dir.resolve("issuer/municipalities"), dir.resolve("issuer/card-directory.csv"),
              dir.resolve("wallet/cards.csv"), X509.keyId(pki.cardCa().certificate()))
          .seed(municipalities, residentsEach, seed, JapanTime.date(clock.instant()));
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    IssuerServer.Builder b =
        IssuerServer.builder()
            .certificate(pki.issuerServer())
            .clientAnchors(List.of(pki.serviceCa().certificate()))
            .adapter(
                new EmbeddedIssuerAdapterFactory()
                    .create(new AdapterContext(Map.of("municipalities", String.join(",", remote)), dir.resolve("issuer"), clock, Map.of(TrustWorld.class, pki))));
    issuerServerCustomize.accept(b);
    return b.start();
  }

  private void begin(ExtensionContext context) {
    if (!context.getTags().contains(WholeWorld.TAG)) {
      throw new IllegalStateException(context.getDisplayName() + " starts a whole world: tag it @WholeWorld (expected: the build runs it with the whole-world tests)");
    }
    before = LeakCheck.snapshot();
    start();
  }

  private void end() {
    close();
    before.assertNothingLeaked();
  }

  /**
   * Stops the copiers, the gateway and its services, and deletes the world's directory; a world
   * started by hand ({@link #start()}) then fails if anything started since is still there.
   */
  @Override
  public void close() {
    copiers.forEach(Copier::close);
    copiers.clear();
    if (registryDb != null) {
      registryDb.close();
    }
    if (world != null) {
      world.close();
    }
    world = null;
    if (issuerServer != null) {
      issuerServer.close();
      issuerServer = null;
    }
    if (Files.exists(dir)) {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    if (byHand) {
      byHand = false;
      LeakCheck.Snapshot started = before;
      before = null;
      started.assertNothingLeaked();
    }
  }

  // ---- the running world ----

  /** The world's data directory: known before it starts (for adapters that read the world's registry), deleted when it stops. */
  public Path dir() {
    return dir;
  }

  public Clock clock() {
    return world != null ? world.clock() : clock;
  }

  /** The development world underneath (its data directory, trust world, OCSP responder). */
  public EmbeddedWorld embeddedWorld() {
    return running();
  }

  public Gateway gateway() {
    return running().gateway();
  }

  public TrustWorld pki() {
    return running().pki();
  }

  public InetSocketAddress address() {
    return running().address();
  }

  /** The card holders' side: the seeded cards and their PINs. */
  public CardWallet wallet() {
    running();
    return wallet;
  }

  /** The world's registry, to look behind the gateway. */
  public ResidentRegistry registry() {
    running();
    return registry;
  }

  private EmbeddedWorld running() {
    if (world == null) {
      throw new IllegalStateException("the world is not running (expected: used between its start and its stop)");
    }
    return world;
  }

  /** A copier with its own terminal certificate, closed with the world. */
  public synchronized Copier copier(String terminal) {
    Copier c = Copier.forWorld(address(), pki(), "test-chain", "store-1", terminal);
    copiers.add(c);
    return c;
  }

  public Resident resident(long id) {
    try {
      return registry().resident(id).orElseThrow();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every resident of the registry (to check that nobody else's data leaks into a document). */
  public List<Resident> allResidents() {
    List<Resident> out = new ArrayList<>();
    try {
      long next = new jp.kofu.issuer.seed.RegistryWriter(registry().database()).nextId("resident");
      for (long id = 1; id < next; id++) {
        registry.resident(id).ifPresent(out::add);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return out;
  }

  /** The specimen residents the world was seeded with (one per refusal, and issuable ones). */
  public List<Specimen> specimens() {
    if (!Files.exists(running().specimenIndex())) {
      return List.of(); // a world seeded without specimens
    }
    try (Stream<String> lines = Files.lines(world.specimenIndex())) {
      return lines.skip(1).map(Specimen::parse).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Specimen specimen(String reason, String note) {
    return specimens().stream()
        .filter(s -> s.reason().equals(reason) && (note == null || s.note().contains(note)))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no specimen " + reason + " " + note));
  }

  /**
   * Cards whose holders may get a certificate of residence at a store today (the world's today),
   * specimens left out.
   */
  public List<CardWallet.Entry> eligibleCards(int max) {
    LocalDate today = JapanTime.date(running().clock().instant());
    Set<Long> specimens = new HashSet<>();
    specimens().forEach(s -> specimens.add(s.residentId()));
    List<CardWallet.Entry> out = new ArrayList<>();
    for (CardWallet.Entry e : wallet().entries()) {
      if (specimens.contains(e.residentId())) {
        continue;
      }
      Resident r = resident(e.residentId());
      CardRecord card;
      try {
        card = registry.findCard(e.issuerKeyId(), e.serial()).orElseThrow();
      } catch (SQLException ex) {
        throw new IllegalStateException(ex);
      }
      if (r.status() == ResidentStatus.ACTIVE && !r.supportMeasure() && !r.gaijiPending() && r.ageOn(today) >= 15
          && !today.equals(r.movedInOn()) && !card.usableFrom().isAfter(today)) {
        out.add(e);
        if (out.size() == max) {
          break;
        }
      }
    }
    return out;
  }
}
