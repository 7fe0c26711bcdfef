package jp.kofu.gateway.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import jp.kofu.gateway.auth.CardLockout;
import jp.kofu.gateway.auth.TerminalRateLimit;
import jp.kofu.gateway.revocation.RevocationSettings;

/**
 * {@code kofu-gateway.yaml}: everything a gateway process needs that is not a default. Paths are
 * relative to the file's directory. Example (all optional but {@code data}):
 *
 * <pre>
 * listen: 127.0.0.1:8443
 * data: var                      # the development world: pki/, gateway/, issuer/, wallet/
 * journal:                       # default: the embedded H2 in DATA/gateway/journal
 *   url: jdbc:postgresql://db/kofu
 *   user: kofu
 *   password-file: /run/secrets/journal   # never the password itself in the file
 *   attempt-timeout: 30s         # an attempt silent this long is dead: a retry takes its order over
 *   unconfirmed-timeout: 30m     # issued but unconfirmed this long: voided and refunded
 * settlement:
 *   commission-per-document-yen: 120      # the store chain's commission per printed copy
 * sessions:
 *   challenge-ttl: 2m
 *   session-ttl: 15m
 * municipalities:
 *   deadline: 10s                # per call to a municipality
 *   concurrency: 64              # calls in flight per municipality
 *   breaker: {window: 20, minimum-calls: 10, failure-rate: 50, open-for: 30s, half-open-calls: 3}
 * adapters:                      # default: one embedded adapter on DATA/issuer
 *   - kind: embedded
 *     settings: {catalog: var/issuer/municipalities}
 * plugins: plugins               # issuer-adapter plugin jars (default: none)
 * card-directory:                # default: the feed DATA/issuer/card-directory.csv
 *   kind: feed
 *   settings: {files: var/issuer/card-directory.csv}
 * metrics:                       # default: off
 *   listen: 127.0.0.1:9464       # Prometheus text format at http://127.0.0.1:9464/metrics
 * verification:                  # the public verification page and JSON API; plain HTTP: put TLS in front
 *   listen: 127.0.0.1:8480
 *   grpc-listen: 127.0.0.1:8444  # kofu.verify.v1, TLS without client certificates (default: listen's host, 8444)
 *   trusted-proxies: [10.0.0.0/8] # whose X-Forwarded-For / Forwarded client address is rate-limited (default: none)
 *   public-url: https://verify.example.jp   # what the documents' QR codes point to
 *   validity: 90d                # how long after issuance a code is answered
 *   lookups-per-minute: 30       # per client address, gRPC and HTTP together
 * revocation:                    # default: cards by OCSP, all against the embedded responder
 *   cards: ocsp                  # or crl
 *   max-staleness: 5m            # older revocation information is not used: fail closed
 *   crl-refresh: 1m
 *   crls: [http://127.0.0.1:8889/crl/terminal-ca.crl, var/pki/card/user-ca/crl.pem]
 *   ocsp: http://127.0.0.1:8889/ocsp
 *   timeout: 2s
 *   ocsp-cache-size: 10000
 * tracing:                       # default: off (no SDK, no interceptor); docs/OPERATIONS.md "Trace"
 *   enabled: true
 *   endpoint: http://otel-collector:4318/v1/traces   # OTLP over HTTP (protobuf)
 *   sampling-ratio: 0.1          # new traces recorded; a sampled caller's traceparent is always followed
 * limits:
 *   terminal-requests: 600       # per terminal-period, per gateway: RATE_LIMITED beyond
 *   terminal-period: 1m
 *   lockout-failures: 5          # failed card authentications within lockout-window lock the
 *   lockout-window: 10m          # card out for lockout-duration, cluster-wide: CARD_LOCKED_OUT
 *   lockout-duration: 15m
 * </pre>
 */
public record GatewayConfig(
    String listen,
    Path data,
    Journal journal,
    Sessions sessions,
    Municipalities municipalities,
    List<Adapter> adapters,
    Path plugins,
    @JsonProperty("card-directory") CardDirectory cardDirectory,
    Metrics metrics,
    Verification verification,
    Revocation revocation,
    Limits limits,
    Settlement settlement,
    Tls tls,
    Trust trust,
    Secrets secrets,
    Admin admin,
    Shutdown shutdown,
    Edge edge,
    Logging logging,
    Tracing tracing) {

  /** A configuration with only the first sections: the others take their defaults. */
  public GatewayConfig(
      String listen, Path data, Journal journal, Sessions sessions, Municipalities municipalities, List<Adapter> adapters) {
    this(listen, data, journal, sessions, municipalities, adapters, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
  }

  /**
   * The gateway's own TLS identity: its server certificate (PEM {@code certificate} with its chain,
   * PEM {@code key}; or one {@code pkcs12} file with {@code pkcs12-password-file}), and the client
   * certificate it shows to remote issuer servers ({@code client-certificate}, {@code client-key}),
   * and the TLS implementation of its listeners and of its channels to issuer servers ({@code
   * provider}: {@code auto}, the default, {@code jdk} or {@code openssl}; see {@link
   * jp.kofu.grpc.TlsProvider}).
   */
  public record Tls(
      Path certificate,
      Path key,
      Path pkcs12,
      @JsonProperty("pkcs12-password-file") Path pkcs12PasswordFile,
      @JsonProperty("client-certificate") Path clientCertificate,
      @JsonProperty("client-key") Path clientKey,
      String provider) {
    /** The identity alone; the provider is {@code auto}. */
    public Tls(Path certificate, Path key, Path pkcs12, Path pkcs12PasswordFile, Path clientCertificate, Path clientKey) {
      this(certificate, key, pkcs12, pkcs12PasswordFile, clientCertificate, clientKey, null);
    }

    /** {@code provider}, checked: a misspelt value is refused naming {@code tls.provider}. */
    public jp.kofu.grpc.TlsProvider tlsProvider() {
      try {
        return jp.kofu.grpc.TlsProvider.parse(provider);
      } catch (IllegalArgumentException e) {
        throw new ConfigException("tls.provider", e.getMessage());
      }
    }
  }

  /**
   * Trust anchors per role, each a list of PEM files: the card roots and the card-issuing CAs under
   * them, the smartphone-credential CAs, the store-terminal CAs (copiers' mTLS), the municipal
   * signing CAs (documents), and the CAs of remote issuer servers' certificates.
   */
  public record Trust(
      @JsonProperty("card-roots") List<Path> cardRoots,
      @JsonProperty("card-cas") List<Path> cardCas,
      @JsonProperty("smartphone-cas") List<Path> smartphoneCas,
      @JsonProperty("terminal-cas") List<Path> terminalCas,
      @JsonProperty("municipal-cas") List<Path> municipalCas,
      @JsonProperty("issuer-servers") List<Path> issuerServers) {}

  /**
   * The gateway's two secrets, kept apart: {@code session} keys challenges and session tokens,
   * {@code journal} keys the journal's hash chain and its card pseudonyms.
   */
  public record Secrets(SecretKey session, SecretKey journal) {}

  /**
   * One secret: its id, and where its bytes are ({@code file}, owner-only; or {@code value}, base64,
   * accepted only from the environment), and the older keys still accepted when verifying
   * ({@code previous}: rotation without downtime).
   */
  public record SecretKey(@JsonProperty("key-id") String keyId, Path file, String value, List<SecretKey> previous) {}

  /**
   * Verification anyone can do (kofu.verify.v1, and the HTTP page on {@code listen}).
   *
   * @param publicUrl the base of the links in the documents' QR codes; default the HTTP listen
   *     address
   */
  public record Verification(
      String listen,
      @JsonProperty("public-url") String publicUrl,
      Duration validity,
      @JsonProperty("lookups-per-minute") Integer lookupsPerMinute,
      @JsonProperty("grpc-listen") String grpcListen,
      @JsonProperty("trusted-proxies") List<String> trustedProxies) {
    /** The gRPC listener's default port (TLS, no client certificate). */
    public static final int GRPC_PORT = 8444;
  }

  /**
   * The journal database (null url means the embedded default) and its timeouts: after
   * {@code attemptTimeout} a silent attempt on an order is presumed dead and a retry may take the
   * order over; after {@code unconfirmedTimeout} an issued document never confirmed is voided and
   * refunded, and an order never issued is voided as abandoned.
   */
  public record Journal(
      String url,
      String user,
      @JsonProperty("password-file") Path passwordFile,
      Duration attemptTimeout,
      Duration unconfirmedTimeout) {}

  /** Daily settlement: what a store chain earns for each copy it printed (yen). */
  public record Settlement(Integer commissionPerDocumentYen) {}

  public record Sessions(
      @JsonProperty("challenge-ttl") Duration challengeTtl, @JsonProperty("session-ttl") Duration sessionTtl) {}

  public record Municipalities(Duration deadline, Integer concurrency, Breaker breaker) {}

  /** Each municipality's circuit breaker; see {@link jp.kofu.gateway.routing.Isolation.Breaker}. */
  public record Breaker(
      Integer window,
      @JsonProperty("minimum-calls") Integer minimumCalls,
      @JsonProperty("failure-rate") Float failureRate,
      @JsonProperty("open-for") Duration openFor,
      @JsonProperty("half-open-calls") Integer halfOpenCalls) {
    jp.kofu.gateway.routing.Isolation.Breaker toIsolation() {
      return new jp.kofu.gateway.routing.Isolation.Breaker(window, minimumCalls, failureRate, openFor, halfOpenCalls);
    }
  }

  /** The card directory: its kind (a {@link jp.kofu.gateway.routing.CardDirectoryFactory}'s) and settings. */
  public record CardDirectory(String kind, Map<String, String> settings) {}

  /** Where metrics are served in the Prometheus text format; null listen means off. */
  public record Metrics(String listen) {}

  /**
   * How revocation is checked. Null {@code crls} or {@code ocsp} mean the embedded responder's
   * (DATA's trust world); after {@link #load} every CRL source is an absolute URI.
   */
  public record Revocation(
      String cards,
      @JsonProperty("max-staleness") Duration maxStaleness,
      @JsonProperty("crl-refresh") Duration crlRefresh,
      List<String> crls,
      String ocsp,
      Duration timeout,
      @JsonProperty("ocsp-cache-size") Integer ocspCacheSize) {}

  /** The per-terminal rate limit and the per-card lockout. */
  public record Limits(
      @JsonProperty("terminal-requests") Integer terminalRequests,
      @JsonProperty("terminal-period") Duration terminalPeriod,
      @JsonProperty("lockout-failures") Integer lockoutFailures,
      @JsonProperty("lockout-window") Duration lockoutWindow,
      @JsonProperty("lockout-duration") Duration lockoutDuration) {}

  /**
   * The admin HTTP port: {@code GET /livez}, {@code /readyz}, {@code /metrics}. Off when {@code
   * listen} is null (and {@code metrics.listen}, its former name, is too). Readiness is checked every
   * {@code readinessInterval}; a check silent for {@code readinessTimeout} fails.
   */
  public record Admin(
      String listen,
      @JsonProperty("readiness-interval") Duration readinessInterval,
      @JsonProperty("readiness-timeout") Duration readinessTimeout) {}

  /**
   * How the gateway stops on SIGTERM: NOT_SERVING at once, still serving for {@code quietPeriod}
   * (load balancers and clients move away), then a graceful shutdown in which calls in flight get
   * {@code grace} before they are cancelled (their orders are then released in the journal).
   */
  public record Shutdown(@JsonProperty("quiet-period") Duration quietPeriod, Duration grace) {}

  /** The gRPC listener's limits; see {@link jp.kofu.gateway.edge.EdgeLimits}. */
  public record Edge(
      @JsonProperty("max-connection-age") Duration maxConnectionAge,
      @JsonProperty("max-connection-age-grace") Duration maxConnectionAgeGrace,
      @JsonProperty("max-concurrent-calls-per-connection") Integer maxConcurrentCallsPerConnection,
      @JsonProperty("max-rst-frames-per-window") Integer maxRstFramesPerWindow,
      @JsonProperty("rst-window") Duration rstWindow,
      @JsonProperty("permit-keep-alive-time") Duration permitKeepAliveTime,
      @JsonProperty("max-connection-idle") Duration maxConnectionIdle,
      @JsonProperty("max-in-flight-issuances") Integer maxInFlightIssuances,
      @JsonProperty("call-threads") Integer callThreads) {
    /** The limits the gateway is built with. */
    public jp.kofu.gateway.edge.EdgeLimits toLimits() {
      return new jp.kofu.gateway.edge.EdgeLimits(
          maxConnectionAge, maxConnectionAgeGrace, maxConcurrentCallsPerConnection, maxRstFramesPerWindow, rstWindow,
          permitKeepAliveTime, maxConnectionIdle, maxInFlightIssuances, callThreads);
    }
  }

  /**
   * The log format: {@code json} (one JSON object a line) or {@code text} (for people); null: as
   * the process was started ({@code KOFU_LOG_FORMAT}, {@code -Dkofu.log.format}; JSON by default).
   */
  public record Logging(String format) {}

  private Admin normalizedAdmin(Metrics formerName) {
    Admin a = admin == null ? new Admin(null, null, null) : admin;
    if (a.listen() != null && formerName.listen() != null) {
      throw new ConfigException("admin.listen and metrics.listen: both set (expected: admin.listen only; metrics.listen is its former name)");
    }
    String listen = a.listen() != null ? a.listen() : formerName.listen();
    if (listen != null) {
      HostPort.parse(a.listen() != null ? "admin.listen" : "metrics.listen", listen);
    }
    return new Admin(
        listen,
        positive("admin.readiness-interval", a.readinessInterval() == null ? Duration.ofSeconds(2) : a.readinessInterval()),
        positive("admin.readiness-timeout", a.readinessTimeout() == null ? Duration.ofSeconds(2) : a.readinessTimeout()));
  }

  private Shutdown normalizedShutdown() {
    Shutdown sd = shutdown == null ? new Shutdown(null, null) : shutdown;
    Duration quiet = sd.quietPeriod() == null ? Duration.ZERO : sd.quietPeriod();
    if (quiet.isNegative()) {
      throw new ConfigException("shutdown.quiet-period: " + quiet + " (expected: 0s or more)");
    }
    return new Shutdown(quiet, positive("shutdown.grace", sd.grace() == null ? Duration.ofSeconds(10) : sd.grace()));
  }

  private Edge normalizedEdge() {
    jp.kofu.gateway.edge.EdgeLimits d = jp.kofu.gateway.edge.EdgeLimits.DEFAULTS;
    Edge e = edge == null ? new Edge(null, null, null, null, null, null, null, null, null) : edge;
    Edge out =
        new Edge(
            positive("edge.max-connection-age", e.maxConnectionAge() == null ? d.maxConnectionAge() : e.maxConnectionAge()),
            positive("edge.max-connection-age-grace", e.maxConnectionAgeGrace() == null ? d.maxConnectionAgeGrace() : e.maxConnectionAgeGrace()),
            e.maxConcurrentCallsPerConnection() == null ? d.maxConcurrentCallsPerConnection() : e.maxConcurrentCallsPerConnection(),
            e.maxRstFramesPerWindow() == null ? d.maxRstFramesPerWindow() : e.maxRstFramesPerWindow(),
            positive("edge.rst-window", e.rstWindow() == null ? d.rstWindow() : e.rstWindow()),
            positive("edge.permit-keep-alive-time", e.permitKeepAliveTime() == null ? d.permitKeepAliveTime() : e.permitKeepAliveTime()),
            positive("edge.max-connection-idle", e.maxConnectionIdle() == null ? d.maxConnectionIdle() : e.maxConnectionIdle()),
            e.maxInFlightIssuances() == null ? d.maxInFlightIssuances() : e.maxInFlightIssuances(),
            e.callThreads() == null ? d.callThreads() : e.callThreads());
    try {
      out.toLimits();
    } catch (IllegalArgumentException ex) {
      throw new ConfigException("edge." + ex.getMessage());
    }
    return out;
  }

  private Logging normalizedLogging() {
    if (logging == null || logging.format() == null) {
      return new Logging(null);
    }
    String f = logging.format().strip().toLowerCase(java.util.Locale.ROOT);
    if (!f.equals("json") && !f.equals("text")) {
      throw new ConfigException("logging.format: '" + logging.format() + "' (expected: json or text)");
    }
    return new Logging(f);
  }

  /**
   * Tracing (off unless {@code enabled: true}): OpenTelemetry spans of the gRPC calls and the
   * municipality calls, exported over OTLP/HTTP to {@code endpoint}; see {@link
   * jp.kofu.trace.TraceSettings} and docs/OPERATIONS.md, "Trace".
   */
  public record Tracing(
      Boolean enabled,
      String endpoint,
      @JsonProperty("service-name") String serviceName,
      @JsonProperty("sampling-ratio") Double samplingRatio,
      Map<String, String> headers,
      @JsonProperty("export-timeout") Duration exportTimeout,
      @JsonProperty("instance-id") String instanceId) {
    /** The gateway's service name unless the section names another. */
    public static final String SERVICE_NAME = "kofu-gateway";

    /** The settings, checked; a problem names its key ({@code tracing.sampling-ratio}). */
    public jp.kofu.trace.TraceSettings settings() {
      try {
        return jp.kofu.trace.TraceSettings.of(enabled, endpoint, serviceName, SERVICE_NAME, samplingRatio, headers, exportTimeout, instanceId);
      } catch (jp.kofu.trace.TraceSettings.Invalid e) {
        throw new ConfigException("tracing." + e.setting(), e.problem());
      }
    }
  }

  private Tracing normalizedTracing() {
    Tracing t = tracing == null ? new Tracing(null, null, null, null, null, null, null) : tracing;
    jp.kofu.trace.TraceSettings checked = t.settings();
    return new Tracing(
        checked.enabled(), checked.endpoint().toString(), checked.serviceName(), checked.samplingRatio(), checked.headers(),
        checked.exportTimeout(), checked.instanceId());
  }

  /** One issuer adapter: its kind (a factory's), and its settings as strings. */
  public record Adapter(String kind, Map<String, String> settings) {}

  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory())
          .registerModule(new SimpleModule().addDeserializer(Duration.class, new Durations.Deserializer()))
          .setPropertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  /** The defaults: the development world in {@code data}. */
  public static GatewayConfig defaults(Path data) {
    return new GatewayConfig("127.0.0.1:8443", data, null, null, null, List.of(), null, null, null, null, null, null, null, null, null, null, null, null, null, null, null)
        .normalized(Path.of("."));
  }

  /** Reads and validates {@code file}, with the environment's {@code KOFU_*} overrides (see {@link ConfigFile}). */
  public static GatewayConfig load(Path file) {
    return ConfigFile.load(file).config();
  }

  static ObjectMapper yaml() {
    return YAML;
  }

  /** Fills defaults, resolves paths against {@code base}, validates. */
  GatewayConfig normalized(Path base) {
    if (data == null) {
      throw new ConfigException("data: missing (expected: the data directory, e.g. var)");
    }
    Path d = base.resolve(data).normalize();
    String l = listen == null ? "127.0.0.1:8443" : listen;
    HostPort.parse("listen", l);
    Sessions s = sessions == null ? new Sessions(null, null) : sessions;
    s = new Sessions(
        positive("sessions.challenge-ttl", s.challengeTtl() == null ? Duration.ofMinutes(2) : s.challengeTtl()),
        positive("sessions.session-ttl", s.sessionTtl() == null ? Duration.ofMinutes(15) : s.sessionTtl()));
    Municipalities m = municipalities == null ? new Municipalities(null, null, null) : municipalities;
    m = new Municipalities(
        positive("municipalities.deadline", m.deadline() == null ? Duration.ofSeconds(10) : m.deadline()),
        m.concurrency() == null ? 64 : m.concurrency(),
        breaker(m.breaker()));
    if (m.concurrency() < 1 || m.concurrency() > 10_000) {
      throw new ConfigException("municipalities.concurrency: " + m.concurrency() + " (expected: 1..10000)");
    }
    Journal j = journal == null ? new Journal(null, null, null, null, null) : journal;
    Duration attempt = positive("journal.attempt-timeout", j.attemptTimeout() == null ? Duration.ofSeconds(30) : j.attemptTimeout());
    // An attempt makes one call to its municipality (SPI 1.1: issue resolves the card), up to the
    // deadline: taking its order over sooner could have the municipality produce the document twice.
    if (attempt.compareTo(m.deadline()) <= 0) {
      throw new ConfigException(
          "journal.attempt-timeout: " + Durations.format(attempt) + " (expected: longer than municipalities.deadline, "
              + Durations.format(m.deadline()) + ")");
    }
    Duration unconfirmed =
        positive("journal.unconfirmed-timeout", j.unconfirmedTimeout() == null ? Duration.ofMinutes(30) : j.unconfirmedTimeout());
    // A copier confirms within its session; voiding sooner would refund documents still printing.
    if (unconfirmed.compareTo(s.sessionTtl()) <= 0) {
      throw new ConfigException(
          "journal.unconfirmed-timeout: " + Durations.format(unconfirmed) + " (expected: longer than sessions.session-ttl, "
              + Durations.format(s.sessionTtl()) + ")");
    }
    j = new Journal(j.url(), j.user(), j.passwordFile() == null ? null : base.resolve(j.passwordFile()).normalize(), attempt, unconfirmed);
    Settlement st = settlement == null || settlement.commissionPerDocumentYen() == null ? new Settlement(0) : settlement;
    if (st.commissionPerDocumentYen() < 0 || st.commissionPerDocumentYen() > 100_000) {
      throw new ConfigException(
          "settlement.commission-per-document-yen: " + st.commissionPerDocumentYen() + " (expected: 0..100000)");
    }
    // No adapter named: none (the production gateway refuses that; the development world adds
    // its embedded one).
    List<Adapter> a = new java.util.ArrayList<>(adapters == null ? List.of() : adapters);
    for (int i = 0; i < a.size(); i++) {
      if (a.get(i).kind() == null || a.get(i).kind().isBlank()) {
        throw new ConfigException("adapters[" + i + "].kind: missing");
      }
      if (a.get(i).settings() == null) {
        a.set(i, new Adapter(a.get(i).kind(), Map.of()));
      }
    }
    Path p = plugins == null ? null : base.resolve(plugins).normalize();
    CardDirectory cd = cardDirectory == null ? new CardDirectory("feed", Map.of()) : cardDirectory;
    if (cd.kind() == null || cd.kind().isBlank()) {
      throw new ConfigException("card-directory.kind: missing (expected: e.g. feed)");
    }
    cd = new CardDirectory(cd.kind(), cd.settings() == null ? Map.of() : Map.copyOf(cd.settings()));
    Metrics mt = metrics == null ? new Metrics(null) : metrics;
    if (mt.listen() != null) {
      HostPort.parse("metrics.listen", mt.listen());
    }

    Verification v = verification == null ? new Verification(null, null, null, null, null, null) : verification;
    String vListen = v.listen() == null ? "127.0.0.1:8480" : v.listen();
    HostPort.parse("verification.listen", vListen);
    String publicUrl = v.publicUrl() == null ? "http://" + vListen : v.publicUrl();
    if (!publicUrl.matches("https?://[^\\s?#]+")) {
      throw new ConfigException("verification.public-url: '" + publicUrl + "' (expected: an http or https URL without query)");
    }
    int lookups = v.lookupsPerMinute() == null ? 30 : v.lookupsPerMinute();
    if (lookups < 1 || lookups > 100_000) {
      throw new ConfigException("verification.lookups-per-minute: " + lookups + " (expected: 1..100000)");
    }
    v = new Verification(
        vListen, publicUrl, positive("verification.validity", v.validity() == null ? Duration.ofDays(90) : v.validity()), lookups,
        verificationGrpcListen(v.grpcListen(), vListen), trustedProxies(v.trustedProxies()));
    Admin ad = normalizedAdmin(mt);
    return new GatewayConfig(
        l, d, j, s, m, List.copyOf(a), p, cd, mt, v, normalizedRevocation(base), normalizedLimits(), st,
        normalizedTls(base), normalizedTrust(base), normalizedSecrets(base), ad, normalizedShutdown(), normalizedEdge(), normalizedLogging(),
        normalizedTracing());
  }

  private Tls normalizedTls(Path base) {
    if (tls == null) {
      return null;
    }
    return new Tls(
        resolve(base, tls.certificate()), resolve(base, tls.key()), resolve(base, tls.pkcs12()),
        resolve(base, tls.pkcs12PasswordFile()), resolve(base, tls.clientCertificate()), resolve(base, tls.clientKey()), tls.provider());
  }

  private Trust normalizedTrust(Path base) {
    if (trust == null) {
      return null;
    }
    return new Trust(
        resolve(base, trust.cardRoots()), resolve(base, trust.cardCas()), resolve(base, trust.smartphoneCas()),
        resolve(base, trust.terminalCas()), resolve(base, trust.municipalCas()), resolve(base, trust.issuerServers()));
  }

  private Secrets normalizedSecrets(Path base) {
    if (secrets == null) {
      return null;
    }
    return new Secrets(secretKey("secrets.session", secrets.session(), base, true), secretKey("secrets.journal", secrets.journal(), base, true));
  }

  private static SecretKey secretKey(String field, SecretKey k, Path base, boolean current) {
    if (k == null) {
      return null;
    }
    if (k.keyId() == null || !k.keyId().matches("[A-Za-z0-9._-]{1,64}")) {
      throw new ConfigException(field + ".key-id: " + (k.keyId() == null ? "missing" : "'" + k.keyId() + "'") + " (expected: 1..64 of A-Z a-z 0-9 . _ -)");
    }
    if ((k.file() == null) == (k.value() == null)) {
      throw new ConfigException(
          field + ".file: " + (k.file() == null ? "missing" : "given beside a value") + " (expected: exactly one of file: PATH or the value from the environment)");
    }
    if (!current && k.previous() != null && !k.previous().isEmpty()) {
      throw new ConfigException(field + ".previous: nested (expected: older keys only at the first level)");
    }
    List<SecretKey> older = new java.util.ArrayList<>();
    if (k.previous() != null) {
      for (int i = 0; i < k.previous().size(); i++) {
        SecretKey o = secretKey(field + ".previous[" + i + "]", k.previous().get(i), base, false);
        if (o == null) {
          throw new ConfigException(field + ".previous[" + i + "]: empty (expected: key-id and file)");
        }
        if (o.keyId().equals(k.keyId()) || older.stream().anyMatch(x -> x.keyId().equals(o.keyId()))) {
          throw new ConfigException(field + ".previous[" + i + "].key-id: '" + o.keyId() + "' used twice (expected: a key id per key)");
        }
        older.add(o);
      }
    }
    return new SecretKey(k.keyId(), resolve(base, k.file()), k.value(), List.copyOf(older));
  }

  private static Path resolve(Path base, Path p) {
    return p == null ? null : base.resolve(p).normalize();
  }

  private static List<Path> resolve(Path base, List<Path> ps) {
    return ps == null ? null : ps.stream().map(p -> resolve(base, p)).toList();
  }

  /** This configuration with {@code tls}, {@code trust} and {@code secrets} replaced (the development world fills them in). */
  public GatewayConfig withTrustMaterial(Tls tls, Trust trust, Secrets secrets) {
    return new GatewayConfig(
        listen, data, journal, sessions, municipalities, adapters, plugins, cardDirectory, metrics, verification, revocation, limits,
        settlement, tls, trust, secrets, admin, shutdown, edge, logging, tracing);
  }

  /** This configuration with other adapters and card directory. */
  public GatewayConfig withAdapters(List<Adapter> adapters, CardDirectory cardDirectory) {
    return new GatewayConfig(
        listen, data, journal, sessions, municipalities, List.copyOf(adapters), plugins, cardDirectory, metrics, verification, revocation,
        limits, settlement, tls, trust, secrets, admin, shutdown, edge, logging, tracing);
  }

  /** This configuration listening elsewhere (the kiosk gRPC port, the verification page). */
  public GatewayConfig withListen(String listen, String verificationListen) {
    Verification v =
        new Verification(
            verificationListen, verification.publicUrl(), verification.validity(), verification.lookupsPerMinute(),
            verificationListen.endsWith(":0") ? verificationListen.substring(0, verificationListen.lastIndexOf(':')) + ":0" : verification.grpcListen(),
            verification.trustedProxies());
    return new GatewayConfig(
        listen, data, journal, sessions, municipalities, adapters, plugins, cardDirectory, metrics, v, revocation, limits, settlement, tls,
        trust, secrets, admin, shutdown, edge, logging, tracing);
  }

  /** This configuration with revocation sources filled in where it names none. */
  public GatewayConfig withRevocationSources(java.net.URI ocsp, List<java.net.URI> crls) {
    Revocation r =
        new Revocation(
            revocation.cards(), revocation.maxStaleness(), revocation.crlRefresh(),
            revocation.crls() != null ? revocation.crls() : crls.stream().map(java.net.URI::toString).toList(),
            revocation.ocsp() != null ? revocation.ocsp() : ocsp.toString(),
            revocation.timeout(), revocation.ocspCacheSize());
    return new GatewayConfig(
        listen, data, journal, sessions, municipalities, adapters, plugins, cardDirectory, metrics, verification, r, limits, settlement, tls,
        trust, secrets, admin, shutdown, edge, logging, tracing);
  }

  /**
   * verification.grpc-listen, by default the HTTP page's host on port 8444 — or on any free port
   * when the page asks for one (port 0, as tests do).
   */
  private static String verificationGrpcListen(String grpcListen, String httpListen) {
    String g = grpcListen;
    if (g == null) {
      int colon = httpListen.lastIndexOf(':');
      String host = httpListen.substring(0, colon);
      g = host + ":" + (httpListen.endsWith(":0") ? 0 : Verification.GRPC_PORT);
    }
    HostPort.parse("verification.grpc-listen", g);
    return g;
  }

  private static List<String> trustedProxies(List<String> proxies) {
    List<String> out = proxies == null ? List.of() : List.copyOf(proxies);
    try {
      jp.kofu.gateway.verify.ClientAddresses.trusting(out);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("verification.trusted-proxies: " + e.getMessage());
    }
    return out;
  }

  private static Breaker breaker(Breaker b) {
    jp.kofu.gateway.routing.Isolation.Breaker defaults = jp.kofu.gateway.routing.Isolation.Breaker.defaults();
    Breaker in = b == null ? new Breaker(null, null, null, null, null) : b;
    Breaker out =
        new Breaker(
            in.window() == null ? defaults.window() : in.window(),
            in.minimumCalls() == null ? defaults.minimumCalls() : in.minimumCalls(),
            in.failureRate() == null ? defaults.failureRatePercent() : in.failureRate(),
            positive("municipalities.breaker.open-for", in.openFor() == null ? defaults.openFor() : in.openFor()),
            in.halfOpenCalls() == null ? defaults.halfOpenCalls() : in.halfOpenCalls());
    try {
      out.toIsolation();
    } catch (IllegalArgumentException e) {
      throw new ConfigException("municipalities." + e.getMessage());
    }
    return out;
  }

  /** The isolation every municipality gets. */
  public jp.kofu.gateway.routing.Isolation isolation() {
    return new jp.kofu.gateway.routing.Isolation(municipalities.deadline(), municipalities.concurrency(), municipalities.breaker().toIsolation());
  }

  private Revocation normalizedRevocation(Path base) {
    Revocation r = revocation == null ? new Revocation(null, null, null, null, null, null, null) : revocation;
    String cards = r.cards() == null ? "ocsp" : r.cards().strip().toLowerCase(java.util.Locale.ROOT);
    if (!cards.equals("ocsp") && !cards.equals("crl")) {
      throw new ConfigException("revocation.cards: '" + r.cards() + "' (expected: ocsp or crl)");
    }
    Duration staleness = positive("revocation.max-staleness", r.maxStaleness() == null ? RevocationSettings.DEFAULT_MAX_STALENESS : r.maxStaleness());
    Duration refresh = positive("revocation.crl-refresh", r.crlRefresh() == null ? RevocationSettings.DEFAULT_CRL_REFRESH : r.crlRefresh());
    if (refresh.compareTo(staleness) >= 0) {
      throw new ConfigException("revocation.crl-refresh: " + refresh + " (expected: shorter than max-staleness " + staleness + ")");
    }
    List<String> crls = null;
    if (r.crls() != null) {
      crls = new java.util.ArrayList<>();
      for (String c : r.crls()) {
        crls.add(source("revocation.crls", c, base));
      }
      if (crls.isEmpty()) {
        throw new ConfigException("revocation.crls: empty (expected: at least the terminal CA's CRL, or leave it out)");
      }
    }
    String ocsp = r.ocsp() == null ? null : source("revocation.ocsp", r.ocsp(), null);
    int cache = r.ocspCacheSize() == null ? RevocationSettings.DEFAULT_OCSP_CACHE_SIZE : r.ocspCacheSize();
    if (cache < 0 || cache > 10_000_000) {
      throw new ConfigException("revocation.ocsp-cache-size: " + cache + " (expected: 0..10000000)");
    }
    return new Revocation(
        cards, staleness, refresh, crls, ocsp, positive("revocation.timeout", r.timeout() == null ? RevocationSettings.DEFAULT_TIMEOUT : r.timeout()), cache);
  }

  /** An http(s) URL as it is, or a path (resolved against {@code base}) as a file URI. */
  private static String source(String field, String value, Path base) {
    String v = value.strip();
    if (v.startsWith("http://") || v.startsWith("https://")) {
      try {
        java.net.URI u = new java.net.URI(v);
        if (u.getHost() == null) {
          throw new java.net.URISyntaxException(v, "no host");
        }
        return u.toString();
      } catch (java.net.URISyntaxException e) {
        throw new ConfigException(field + ": '" + v + "' (expected: a URL such as http://127.0.0.1:8889/ocsp)");
      }
    }
    if (base == null) {
      throw new ConfigException(field + ": '" + v + "' (expected: an http or https URL)");
    }
    return base.resolve(v.startsWith("file:") ? java.nio.file.Path.of(java.net.URI.create(v)).toString() : v).normalize().toUri().toString();
  }

  private Limits normalizedLimits() {
    Limits l = limits == null ? new Limits(null, null, null, null, null) : limits;
    int requests = l.terminalRequests() == null ? TerminalRateLimit.DEFAULT_REQUESTS : l.terminalRequests();
    if (requests < 1) {
      throw new ConfigException("limits.terminal-requests: " + requests + " (expected: at least 1)");
    }
    int failures = l.lockoutFailures() == null ? CardLockout.DEFAULT_LIMIT : l.lockoutFailures();
    if (failures < 1) {
      throw new ConfigException("limits.lockout-failures: " + failures + " (expected: at least 1)");
    }
    return new Limits(
        requests,
        positive("limits.terminal-period", l.terminalPeriod() == null ? TerminalRateLimit.DEFAULT_PERIOD : l.terminalPeriod()),
        failures,
        positive("limits.lockout-window", l.lockoutWindow() == null ? CardLockout.DEFAULT_WINDOW : l.lockoutWindow()),
        positive("limits.lockout-duration", l.lockoutDuration() == null ? CardLockout.DEFAULT_LOCKOUT : l.lockoutDuration()));
  }

  /**
   * The revocation settings, with the embedded responder's OCSP URL and CRLs where the file names
   * none.
   */
  public RevocationSettings revocationSettings(java.net.URI embeddedOcsp, List<java.net.URI> embeddedCrls) {
    return withRevocationSources(embeddedOcsp, embeddedCrls).revocationSettings();
  }

  /** The revocation settings; ConfigException when the configuration names no sources. */
  public RevocationSettings revocationSettings() {
    Revocation r = revocation;
    if (r.crls() == null) {
      throw new ConfigException("revocation.crls: missing (expected: the CRLs of the terminal CAs and card CAs, URLs or files)");
    }
    if (r.ocsp() == null && r.cards().equals("ocsp")) {
      throw new ConfigException("revocation.ocsp: missing (expected: the card OCSP responder's URL, or cards: crl)");
    }
    List<java.net.URI> crls = r.crls().stream().map(java.net.URI::create).toList();
    java.net.URI ocsp = r.ocsp() == null ? null : java.net.URI.create(r.ocsp());
    return new RevocationSettings(
        r.cards().equals("crl") ? RevocationSettings.Mode.CRL : RevocationSettings.Mode.OCSP,
        r.maxStaleness(), r.crlRefresh(), crls, ocsp, r.timeout(), r.ocspCacheSize());
  }

  private static Duration positive(String field, Duration d) {
    if (d.isNegative() || d.isZero()) {
      throw new ConfigException(field + ": " + d + " (expected: a positive duration such as 10s)");
    }
    return d;
  }

  /** The journal's password, read from its file; null when none is configured. */
  public String journalPassword() {
    if (journal.passwordFile() == null) {
      return null;
    }
    try {
      return Files.readString(journal.passwordFile()).strip();
    } catch (IOException e) {
      throw new ConfigException("journal.password-file: unreadable: " + e.getMessage());
    }
  }
}
