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
    Settlement settlement) {

  /** A configuration with only the first sections: the others take their defaults. */
  public GatewayConfig(
      String listen, Path data, Journal journal, Sessions sessions, Municipalities municipalities, List<Adapter> adapters) {
    this(listen, data, journal, sessions, municipalities, adapters, null, null, null, null, null, null, null);
  }

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
    return new GatewayConfig("127.0.0.1:8443", data, null, null, null, List.of(), null, null, null, null, null, null, null).normalized(Path.of("."));
  }

  public static GatewayConfig load(Path file) {
    GatewayConfig config;
    try {
      config = YAML.readValue(Files.readString(file), GatewayConfig.class);
    } catch (JsonMappingException e) {
      throw new ConfigException(file + ": " + e.getPathReference().replace("jp.kofu.gateway.config.", "") + ": " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new ConfigException(file + ": unreadable: " + e.getMessage());
    }
    if (config == null) {
      throw new ConfigException(file + ": empty");
    }
    try {
      return config.normalized(file.toAbsolutePath().getParent());
    } catch (ConfigException e) {
      throw new ConfigException(file + ": " + e.getMessage());
    }
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
    // An attempt makes two calls to its municipality (resolve, issue), each up to the deadline:
    // taking its order over sooner could have the municipality produce the document twice.
    if (attempt.compareTo(m.deadline().multipliedBy(2)) <= 0) {
      throw new ConfigException(
          "journal.attempt-timeout: " + Durations.format(attempt) + " (expected: longer than twice municipalities.deadline, "
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
    List<Adapter> a = new java.util.ArrayList<>(adapters == null || adapters.isEmpty() ? List.of(new Adapter("embedded", Map.of())) : adapters);
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
    return new GatewayConfig(l, d, j, s, m, List.copyOf(a), p, cd, mt, v, normalizedRevocation(base), normalizedLimits(), st);
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
    Revocation r = revocation;
    List<java.net.URI> crls = r.crls() == null ? embeddedCrls : r.crls().stream().map(java.net.URI::create).toList();
    java.net.URI ocsp = r.ocsp() == null ? embeddedOcsp : java.net.URI.create(r.ocsp());
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
