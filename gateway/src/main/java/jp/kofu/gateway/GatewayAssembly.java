package jp.kofu.gateway;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import jp.kofu.gateway.auth.CardTrust;
import jp.kofu.gateway.config.ConfigException;
import jp.kofu.gateway.config.ConfigFile;
import jp.kofu.gateway.config.GatewayConfig;
import jp.kofu.gateway.config.HostPort;
import jp.kofu.gateway.config.Suggestions;
import jp.kofu.gateway.config.TrustFiles;
import jp.kofu.gateway.journal.JournalDatabases;
import jp.kofu.gateway.routing.AdapterFactories;
import jp.kofu.gateway.routing.CardDirectory;
import jp.kofu.gateway.routing.CardDirectoryFactory;
import jp.kofu.gateway.routing.Isolation;
import jp.kofu.issuer.document.PadesSigner;
import jp.kofu.issuer.document.PluginDocuments;
import jp.kofu.issuer.document.VerificationLink;
import jp.kofu.issuer.spi.AdapterContext;
import jp.kofu.issuer.spi.IssuerAdapter;
import jp.kofu.issuer.spi.document.CertificateDocuments;
import jp.kofu.pki.HeldCertificate;
import jp.kofu.storage.Database;
import jp.kofu.time.TimeSource;

/**
 * The one composition root: a running {@link Gateway} from a validated {@link GatewayConfig} and
 * nothing else. It reads only what the configuration names; it never generates a key, never
 * starts a stand-in service, never seeds a registry. Whatever would fail later is refused here,
 * before anything listens, as a {@link ConfigException} naming the key (and, through {@link
 * ConfigFile#located}, the file and line).
 *
 * <p>The development world ({@code jp.kofu.gateway.embedded.EmbeddedWorld}) is a layer on top: it
 * writes its trust material under DATA, fills the configuration in, and calls this class.
 */
public final class GatewayAssembly implements AutoCloseable {
  private final Gateway gateway;
  private final CardDirectory cardDirectory;
  private final AdapterFactories factories;
  private final FileLock journalLock;
  private final jp.kofu.trace.Tracing tracing;

  private GatewayAssembly(
      Gateway gateway, CardDirectory cardDirectory, AdapterFactories factories, FileLock journalLock, jp.kofu.trace.Tracing tracing) {
    this.gateway = gateway;
    this.cardDirectory = cardDirectory;
    this.factories = factories;
    this.journalLock = journalLock;
    this.tracing = tracing;
  }

  /**
   * What a caller other than production adds: the time (a clock, or a whole time source), services for built-in adapters, adapters
   * made by hand, a last adjustment of the builder. Production uses {@link #production()}.
   */
  public static final class Extras {
    /** The one place production's time comes from: the system clock, ticker and timer. */
    TimeSource time = TimeSource.system();
    final Map<Class<?>, Object> services = new HashMap<>();
    final List<IssuerAdapter> adapters = new ArrayList<>();
    Isolation isolation;
    Consumer<Gateway.Builder> customize = b -> {};
    ClassLoader loader = GatewayAssembly.class.getClassLoader();
    io.opentelemetry.sdk.trace.export.SpanExporter spanExporter;

    /** Where spans go when the configuration turns tracing on, instead of its OTLP endpoint (tests). */
    public Extras spanExporter(io.opentelemetry.sdk.trace.export.SpanExporter exporter) {
      this.spanExporter = exporter;
      return this;
    }

    /** Another wall clock (a shifted one: the demo, {@code --as-of}); deadlines stay on the system ticker. */
    public Extras clock(Clock clock) {
      this.time = TimeSource.system().withClock(clock);
      return this;
    }

    /** Clock, deadline ticker and scheduler at once (a test's fake clock). */
    public Extras time(TimeSource time) {
      this.time = java.util.Objects.requireNonNull(time, "time");
      return this;
    }

    public <T> Extras service(Class<T> type, T service) {
      services.put(type, service);
      return this;
    }

    public Extras adapter(IssuerAdapter adapter) {
      adapters.add(adapter);
      return this;
    }

    public Extras isolation(Isolation isolation) {
      this.isolation = isolation;
      return this;
    }

    public Extras customize(Consumer<Gateway.Builder> customize) {
      this.customize = customize;
      return this;
    }
  }

  /** Nothing added: the system clock, no services. */
  public static Extras production() {
    return new Extras();
  }

  /** Starts the gateway {@code file} describes; errors carry the file and line. */
  public static GatewayAssembly start(ConfigFile file) {
    try {
      return start(file.config(), production());
    } catch (ConfigException e) {
      throw file.located(e);
    }
  }

  /** Starts the gateway {@code config} describes. */
  public static GatewayAssembly start(GatewayConfig config, Extras extras) {
    Clock clock = extras.time.clock();
    TrustFiles files = new TrustFiles(clock);
    // 1. Everything read and checked before anything is opened or bound.
    HeldCertificate server = files.serverCertificate(config.tls());
    HeldCertificate client = files.clientCertificate(config.tls());
    jp.kofu.grpc.TlsProvider tlsProvider = config.tls().tlsProvider();
    try {
      tlsProvider.sslProvider();
    } catch (IllegalStateException e) {
      throw new ConfigException("tls.provider", e.getMessage().replaceFirst("^tls.provider: ", ""));
    }
    GatewayConfig.Trust t = config.trust();
    if (t == null) {
      throw new ConfigException("trust", "missing (expected: card-roots, card-cas, terminal-cas, municipal-cas; see docs/CONFIGURATION.md)");
    }
    var cardRoots = files.anchors("trust.card-roots", t.cardRoots(), true);
    var cardCas = files.anchors("trust.card-cas", t.cardCas(), true);
    var smartphoneCas = files.anchors("trust.smartphone-cas", t.smartphoneCas(), false);
    var terminalCas = files.anchors("trust.terminal-cas", t.terminalCas(), true);
    var municipalCas = files.anchors("trust.municipal-cas", t.municipalCas(), true);
    files.anchors("trust.issuer-servers", t.issuerServers(), false);
    if (config.secrets() == null) {
      throw new ConfigException("secrets", "missing (expected: session and journal, each with key-id and file)");
    }
    var sessionKeys = files.keyring("secrets.session", config.secrets().session());
    var journalKeys = files.keyring("secrets.journal", config.secrets().journal());
    var revocation = config.revocationSettings();
    List<String> crls = config.revocation().crls();
    for (int i = 0; i < crls.size(); i++) {
      if (crls.get(i).startsWith("file:")) {
        TrustFiles.exists("revocation.crls[" + i + "]", Path.of(java.net.URI.create(crls.get(i))));
      }
    }
    if (config.adapters().isEmpty() && extras.adapters.isEmpty()) {
      throw new ConfigException("adapters", "missing (expected: at least one issuer adapter, e.g. kind: remote)");
    }
    InetSocketAddress listen = free("listen", config.listen());
    InetSocketAddress verificationListen = free("verification.listen", config.verification().listen());
    InetSocketAddress verificationGrpcListen = free("verification.grpc-listen", config.verification().grpcListen());
    InetSocketAddress adminListen = config.admin().listen() == null ? null : free("admin.listen", config.admin().listen());
    jp.kofu.trace.TraceSettings traceSettings = config.tracing().settings();

    // 2. Opened in order, closed in reverse if a later step fails.
    List<AutoCloseable> opened = new ArrayList<>();
    FileLock lock = null;
    try {
      Database journal;
      if (config.journal().url() == null) {
        Path dir = ownerOnlyDirectory(config.data().resolve("gateway"));
        lock = lockEmbeddedJournal(dir);
        journal = JournalDatabases.openEmbedded(dir);
        opened.add(journal);
        ownerOnlyFiles(dir);
      } else {
        journal = openJournal(config);
        opened.add(journal);
      }
      // Tracing: built only when on (then closed last, after the gateway, sending the last spans).
      jp.kofu.trace.Tracing tracing = null;
      if (traceSettings.enabled()) {
        tracing =
            extras.spanExporter != null
                ? jp.kofu.trace.Tracing.start(traceSettings, extras.spanExporter, extras.time)
                : jp.kofu.trace.Tracing.start(traceSettings, extras.time);
        opened.add(tracing);
      }
      AdapterFactories factories = AdapterFactories.discover(extras.loader, config.plugins());
      opened.add(factories);
      List<IssuerAdapter> adapters = adapters(config, extras, factories, client, opened, tracing);
      CardDirectory directory;
      try {
        directory =
            CardDirectoryFactory.create(config.cardDirectory().kind(), config.cardDirectory().settings(), config.data(), extras.loader);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(e.getMessage().startsWith("card-directory") ? e.getMessage() : "card-directory.settings: " + e.getMessage());
      }
      GatewayConfig.Limits limits = config.limits();
      Gateway.Builder b =
          Gateway.builder()
              .listen(listen)
              .tlsProvider(tlsProvider)
              .serverCertificate(server)
              .terminalAnchors(terminalCas)
              .cardTrust(CardTrust.of(cardRoots, cardCas, smartphoneCas))
              .municipalAnchors(municipalCas)
              .sessionKeys(sessionKeys)
              .journalKeys(journalKeys)
              .journal(journal)
              .attemptTimeout(config.journal().attemptTimeout())
              .unconfirmedTimeout(config.journal().unconfirmedTimeout())
              .cardDirectory(directory)
              .revocation(revocation)
              .terminalRateLimit(limits.terminalRequests(), limits.terminalPeriod())
              .cardLockout(limits.lockoutFailures(), limits.lockoutWindow(), limits.lockoutDuration())
              .challengeTtl(config.sessions().challengeTtl())
              .sessionTtl(config.sessions().sessionTtl())
              .isolation(extras.isolation != null ? extras.isolation : config.isolation())
              .adminListen(adminListen)
              .readiness(config.admin().readinessInterval(), config.admin().readinessTimeout())
              .drain(config.shutdown().quietPeriod(), config.shutdown().grace())
              .edge(config.edge().toLimits())
              .verification(config.verification().validity(), config.verification().lookupsPerMinute(), verificationListen)
              .verificationListeners(verificationGrpcListen, config.verification().trustedProxies())
              .time(extras.time)
              .tracing(tracing);
      adapters.forEach(b::adapter);
      extras.adapters.forEach(b::adapter);
      extras.customize.accept(b);
      if (b.journal() != journal) {
        // A caller's customisation (tests, benchmarks) handed the gateway a journal of its own: the
        // one opened from the configuration is not used, so it is closed now, not leaked.
        opened.remove(journal);
        journal.close();
      }
      Gateway gateway = b.start();
      return new GatewayAssembly(gateway, directory, factories, lock, tracing);
    } catch (RuntimeException e) {
      for (int i = opened.size() - 1; i >= 0; i--) {
        try {
          opened.get(i).close();
        } catch (Exception suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      release(lock);
      throw e;
    }
  }

  private static List<IssuerAdapter> adapters(
      GatewayConfig config, Extras extras, AdapterFactories factories, HeldCertificate client, List<AutoCloseable> opened,
      jp.kofu.trace.Tracing tracing) {
    List<IssuerAdapter> out = new ArrayList<>();
    Map<String, String> routedBy = new LinkedHashMap<>();
    List<GatewayConfig.Adapter> configured = config.adapters();
    // Every adapter, plugins included, may lay out and sign with kofu's documents (SPI 1.1), their
    // QR codes pointing at this gateway's verification page.
    Map<Class<?>, Object> services = new HashMap<>(extras.services);
    services.putIfAbsent(
        CertificateDocuments.class,
        new PluginDocuments(new PadesSigner(extras.time.clock()), new VerificationLink(java.net.URI.create(config.verification().publicUrl()))));
    if (tracing != null) {
      services.put(jp.kofu.trace.Tracing.class, tracing); // the remote adapter's client spans
    }
    for (int i = 0; i < configured.size(); i++) {
      GatewayConfig.Adapter a = configured.get(i);
      String at = "adapters[" + i + "]";
      AdapterFactories.Found found = factories.kinds().get(a.kind());
      if (found == null) {
        throw new ConfigException(at + ".kind", "'" + a.kind() + "': no such adapter kind" + Suggestions.hint(a.kind(), factories.kinds().keySet()));
      }
      Set<String> known = found.factory().settingNames();
      if (!known.isEmpty()) {
        for (String s : new java.util.TreeSet<>(a.settings().keySet())) {
          if (!known.contains(s)) {
            throw new ConfigException(at + ".settings." + s, "not a setting of kind " + a.kind() + Suggestions.hint(s, known));
          }
        }
      }
      Map<String, String> settings = new HashMap<>(a.settings());
      if (a.kind().equals("embedded")) {
        if (!settings.containsKey("database-url")) {
          throw new ConfigException(at + ".settings.database-url", "missing (expected: the registry's JDBC URL; production opens no default database)");
        }
        settings.putIfAbsent("verification-url", config.verification().publicUrl());
      }
      if (a.kind().equals("remote")) {
        GatewayConfig.Tls tls = config.tls();
        settings.putIfAbsent("tls-provider", tls.tlsProvider().configValue());
        if (client != null && !settings.containsKey("client-certificate")) {
          settings.put("client-certificate", tls.clientCertificate().toString());
          settings.put("client-key", tls.clientKey().toString());
        }
        List<java.nio.file.Path> issuerServers = config.trust().issuerServers();
        if (issuerServers != null && issuerServers.size() == 1 && !settings.containsKey("trust")) {
          settings.put("trust", issuerServers.get(0).toString());
        }
      }
      Path dir = a.kind().equals("embedded") ? config.data().resolve("issuer") : config.data().resolve("adapters").resolve(a.kind() + "-" + i);
      IssuerAdapter adapter;
      try {
        adapter = factories.create(a.kind(), new AdapterContext(settings, dir, extras.time.clock(), services));
      } catch (ConfigException e) {
        throw e;
      } catch (RuntimeException e) {
        throw adapterError(at, e);
      }
      opened.add(adapter);
      out.add(adapter);
      for (String code : adapter.municipalityCodes()) {
        String other = routedBy.putIfAbsent(code, at);
        if (other != null) {
          throw new ConfigException(
              at + ".settings.municipalities",
              "municipality " + code + " is also routed by " + other + " (" + configured.get(Integer.parseInt(other.replaceAll("\\D", ""))).kind()
                  + "); expected: each municipality in one adapter (name the codes in 'municipalities')");
        }
      }
    }
    return out;
  }

  private static ConfigException adapterError(String at, RuntimeException e) {
    String m = String.valueOf(e.getMessage());
    java.util.regex.Matcher setting = java.util.regex.Pattern.compile("adapter settings? '([a-z0-9-]+)'[^:]*:? ?(.*)").matcher(m);
    if (setting.find()) {
      return new ConfigException(at + ".settings." + setting.group(1), setting.group(2).isEmpty() ? m : setting.group(2));
    }
    return new ConfigException(at, m);
  }

  /** The address, resolved; refused when another process already listens there. */
  private static InetSocketAddress free(String key, String hostPort) {
    InetSocketAddress unresolved = HostPort.parse(key, hostPort);
    InetSocketAddress address = new InetSocketAddress(unresolved.getHostString(), unresolved.getPort());
    if (address.isUnresolved()) {
      throw new ConfigException(key, "'" + hostPort + "': unknown host (expected: an address of this machine)");
    }
    if (address.getPort() != 0) {
      try (ServerSocket probe = new ServerSocket()) {
        probe.bind(address);
      } catch (BindException e) {
        throw new ConfigException(key, hostPort + " is in use, or not an address of this machine (" + e.getMessage() + ")");
      } catch (IOException e) {
        throw new ConfigException(key, hostPort + ": cannot listen (" + e.getMessage() + ")");
      }
    }
    return address;
  }

  /**
   * The journal the configuration names, after one quick connection: an unreachable database is
   * refused in seconds, naming journal.url, not after the pool's half-minute.
   */
  private static Database openJournal(GatewayConfig config) {
    String url = config.journal().url();
    String password;
    try {
      password = config.journalPassword();
    } catch (ConfigException e) {
      throw e;
    }
    int before = DriverManager.getLoginTimeout();
    DriverManager.setLoginTimeout(5);
    try (Connection c = DriverManager.getConnection(url, config.journal().user(), password)) {
      c.isValid(5);
    } catch (SQLException e) {
      throw new ConfigException(
          "journal.url", "cannot connect to " + withoutQuery(url) + " (" + firstLine(e.getMessage()) + (e.getSQLState() == null ? "" : ", SQLSTATE " + e.getSQLState()) + ")");
    } finally {
      DriverManager.setLoginTimeout(before);
    }
    try {
      return JournalDatabases.open(url, config.journal().user(), password);
    } catch (RuntimeException e) {
      throw new ConfigException("journal.url", "cannot open the journal at " + withoutQuery(url) + " (" + firstLine(e.getMessage()) + ")");
    }
  }

  private static String withoutQuery(String url) {
    int q = url.indexOf('?');
    return q < 0 ? url : url.substring(0, q);
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  /**
   * An embedded journal is one gateway's: a second gateway on the same directory is refused
   * (clearly, and before H2 trips over its own lock file). A cluster shares a PostgreSQL journal.
   */
  private static FileLock lockEmbeddedJournal(Path dir) {
    Path lockFile = dir.resolve("gateway.lock");
    FileChannel channel = null;
    try {
      channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock == null) {
        channel.close();
        throw inUse(dir);
      }
      return lock;
    } catch (OverlappingFileLockException e) {
      close(channel);
      throw inUse(dir);
    } catch (IOException e) {
      close(channel);
      throw new ConfigException("data", dir + ": cannot lock the embedded journal (" + e.getMessage() + ")");
    }
  }

  private static ConfigException inUse(Path dir) {
    return new ConfigException(
        "journal.url",
        "missing, and the embedded journal in " + dir + " is in use by another gateway (expected: one gateway per embedded journal; "
            + "several gateways share a PostgreSQL journal, journal.url: jdbc:postgresql://...)");
  }

  private static void close(FileChannel c) {
    if (c != null) {
      try {
        c.close();
      } catch (IOException ignored) {
        // closing after a failure
      }
    }
  }

  private static void release(FileLock lock) {
    if (lock != null) {
      try {
        lock.release();
        lock.channel().close();
      } catch (IOException ignored) {
        // the lock goes with the process anyway
      }
    }
  }

  /** Creates {@code dir} owner-only (0700): it will hold personal data or documents. */
  public static Path ownerOnlyDirectory(Path dir) {
    try {
      Files.createDirectories(dir);
      if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
      }
      return dir;
    } catch (IOException e) {
      throw new ConfigException("data", dir + ": cannot create (" + e.getMessage() + ")");
    }
  }

  /** Makes the files directly in {@code dir} owner-only (0600): the databases H2 created there. */
  public static void ownerOnlyFiles(Path dir) {
    if (!dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      return;
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
      }
    } catch (IOException e) {
      throw new ConfigException("data", dir + ": cannot restrict (" + e.getMessage() + ")");
    }
  }

  public Gateway gateway() {
    return gateway;
  }

  public CardDirectory cardDirectory() {
    return cardDirectory;
  }

  @Override
  public void close() {
    gateway.close();
    factories.close();
    release(journalLock);
    if (tracing != null) {
      tracing.close();
    }
  }
}
