package jp.kofu.gateway;

import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import jp.kofu.gateway.auth.CardAuthenticator;
import jp.kofu.gateway.auth.CardLockout;
import jp.kofu.gateway.auth.TerminalRateLimit;
import jp.kofu.gateway.auth.TerminalTrustManager;
import jp.kofu.gateway.journal.CardFailures;
import jp.kofu.proto.LocalizedErrors;
import jp.kofu.proto.StrictRequests;
import jp.kofu.gateway.revocation.Revocation;
import jp.kofu.gateway.revocation.RevocationSettings;
import jp.kofu.gateway.auth.CardTrust;
import jp.kofu.gateway.auth.Challenges;
import jp.kofu.gateway.auth.Hmac;
import jp.kofu.gateway.auth.SessionService;
import jp.kofu.gateway.auth.SessionTokens;
import jp.kofu.gateway.auth.TerminalAuthInterceptor;
import jp.kofu.gateway.issuance.DocumentCheck;
import jp.kofu.gateway.issuance.IssuanceService;
import jp.kofu.gateway.journal.IssuanceJournal;
import jp.kofu.gateway.journal.Reconciler;
import jp.kofu.gateway.kiosk.KioskService;
import jp.kofu.gateway.metrics.MetricsEndpoint;
import jp.kofu.gateway.routing.CardDirectory;
import jp.kofu.gateway.routing.Isolation;
import jp.kofu.gateway.routing.Municipality;
import jp.kofu.gateway.routing.MunicipalityRouter;
import jp.kofu.issuer.reference.LocalGovernmentCodes;
import jp.kofu.issuer.spi.IssuerAdapter;
import jp.kofu.pki.HeldCertificate;
import jp.kofu.gateway.verify.VerificationGrpcService;
import jp.kofu.gateway.verify.VerificationHttpServer;
import jp.kofu.gateway.verify.Verifications;
import jp.kofu.proto.kiosk.v1.KioskServiceGrpc;
import jp.kofu.proto.verify.v1.VerificationServiceGrpc;
import jp.kofu.storage.Database;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running gateway: gRPC over Netty with TLS (copiers authenticate with client certificates),
 * the kiosk service, health and reflection. {@link #close} shuts down gracefully: health turns
 * NOT_SERVING, new calls are refused, calls in flight get {@code shutdownGrace} to finish.
 */
public final class Gateway implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Gateway.class);

  /** Larger requests are refused by the transport: a card certificate is at most 4 KiB. */
  public static final int MAX_INBOUND_MESSAGE_BYTES = 64 * 1024;

  public static final int MAX_INBOUND_METADATA_BYTES = 8 * 1024;

  /** Health-service name of a municipality's status: this prefix and its code. */
  public static final String MUNICIPALITY_HEALTH_PREFIX = "kofu.municipality.";

  private final Server server;
  private final HealthStatusManager health;
  private final IssuanceJournal journal;
  private final Database journalDatabase;
  private final List<IssuerAdapter> adapters;
  private final Map<String, Municipality> municipalities;
  private final ExecutorService executor;
  private final ScheduledExecutorService housekeeping;
  private final Duration shutdownGrace;
  private final IssuanceService issuance;
  private final Reconciler reconciler;
  private final MeterRegistry meters;
  private final MetricsEndpoint metricsEndpoint;
  private final Verifications verifications;
  private final VerificationHttpServer verificationPage;
  private final Revocation revocation;

  private Gateway(Builder b) throws IOException {
    Clock clock = b.clock;
    this.journalDatabase = Objects.requireNonNull(b.journalDatabase, "journalDatabase");
    this.journal = new IssuanceJournal(journalDatabase, IssuanceJournal.chainKey(b.secret));
    this.reconciler = new Reconciler(journal, clock, b.unconfirmedTimeout);
    this.adapters = List.copyOf(b.adapters);
    this.shutdownGrace = b.shutdownGrace;
    this.meters = b.meters != null ? b.meters : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Isolation isolation =
        b.isolation != null ? b.isolation : new Isolation(b.municipalityDeadline, b.municipalityConcurrency, Isolation.Breaker.defaults());
    Map<String, Municipality> served = new LinkedHashMap<>();
    for (IssuerAdapter adapter : adapters) {
      for (String code : adapter.municipalityCodes()) {
        if (served.containsKey(code)) {
          throw new IllegalArgumentException("municipality " + code + " is served by two adapters");
        }
        served.put(code, new Municipality(code, adapter, isolation, clock, meters));
      }
    }
    this.municipalities = served;
    MunicipalityRouter router = new MunicipalityRouter(LocalGovernmentCodes.bundled(), served);
    Hmac challengeKey = new Hmac(b.secret, "challenge");
    Hmac sessionKey = new Hmac(b.secret, "session");
    Hmac cardKey = new Hmac(b.secret, "journal-card");
    this.issuance =
        new IssuanceService(clock, router, journal, cardKey, new DocumentCheck(b.municipalAnchors), b.attemptTimeout);
    List<X509Certificate> cardIssuers = b.cardTrust.issuers().stream().map(CardTrust.IssuingCa::certificate).toList();
    this.revocation = Revocation.start(b.revocation, cardIssuers, b.terminalAnchors, clock);
    CardLockout lockout =
        new CardLockout(new CardFailures(journalDatabase), issuance::cardKey, clock, b.lockoutLimit, b.lockoutWindow, b.lockoutDuration);
    SessionService sessions =
        new SessionService(
            new Challenges(challengeKey, clock, b.challengeTtl),
            new CardAuthenticator(b.cardTrust, clock),
            new SessionTokens(sessionKey, clock, b.sessionTtl),
            journal,
            b.cardDirectory,
            clock,
            revocation,
            lockout);
    this.verifications = new Verifications(journal, clock, b.verificationValidity, b.verificationLookupsPerMinute);
    this.health = new HealthStatusManager();
    this.executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("gateway-call-", 0).factory());
    TerminalTrustManager terminalTrust = new TerminalTrustManager(b.terminalAnchors, clock);
    SslContext tls =
        GrpcSslContexts.configure(
                SslContextBuilder.forServer(
                    b.serverCertificate.privateKey(), b.serverCertificate.chain().toArray(X509Certificate[]::new)))
            .trustManager(terminalTrust)
            // OPTIONAL: health checks and reflection need no client certificate; every kiosk call
            // is refused without one (TerminalAuthInterceptor).
            .clientAuth(ClientAuth.OPTIONAL)
            .build();
    Server started;
    try {
      started =
          NettyServerBuilder.forAddress(b.listen)
              .sslContext(tls)
              .executor(executor)
              .maxInboundMessageSize(MAX_INBOUND_MESSAGE_BYTES)
              .maxInboundMetadataSize(MAX_INBOUND_METADATA_BYTES)
              .permitKeepAliveTime(20, TimeUnit.SECONDS)
              .maxConnectionIdle(5, TimeUnit.MINUTES)
              // Requests are decoded strictly (StrictRequests), then the terminal is identified and
              // checked against its CRL, then rate-limited, then served.
              .addService(
                  ServerInterceptors.intercept(
                      StrictRequests.wrap(
                          ServerInterceptors.intercept(
                              new KioskService(sessions, issuance),
                              new TerminalRateLimit(b.terminalRequests, b.terminalPeriod, clock),
                              new TerminalAuthInterceptor(terminalTrust, revocation))),
                      new LocalizedErrors()))
              .addService(ServerInterceptors.intercept(StrictRequests.wrap(VerificationGrpcService.definition(verifications)), new LocalizedErrors()))
              .addService(health.getHealthService())
              // Reflection in both versions: v1, and v1alpha for tools that speak only it (grpcui,
              // older Postman).
              .addService(ProtoReflectionServiceV1.newInstance())
              .addService(reflectionV1alpha())
              .build()
              .start();
    } catch (IOException | RuntimeException e) {
      revocation.close();
      throw e;
    }
    this.server = started;
    health.setStatus("", HealthCheckResponse.ServingStatus.SERVING);
    health.setStatus(KioskServiceGrpc.SERVICE_NAME, HealthCheckResponse.ServingStatus.SERVING);
    // Each municipality's own status: "kofu.municipality.CODE" is NOT_SERVING while its circuit is open.
    for (Municipality m : served.values()) {
      String service = MUNICIPALITY_HEALTH_PREFIX + m.code();
      health.setStatus(service, HealthCheckResponse.ServingStatus.SERVING);
      m.onStatusChange(
          st -> health.setStatus(
              service,
              st == Municipality.Status.CIRCUIT_OPEN ? HealthCheckResponse.ServingStatus.NOT_SERVING : HealthCheckResponse.ServingStatus.SERVING));
    }
    this.metricsEndpoint =
        b.metricsListen != null && meters instanceof PrometheusMeterRegistry prometheus ? MetricsEndpoint.start(b.metricsListen, prometheus) : null;
    health.setStatus(VerificationServiceGrpc.SERVICE_NAME, HealthCheckResponse.ServingStatus.SERVING);
    VerificationHttpServer page = null;
    if (b.verificationListen != null) {
      try {
        page = VerificationHttpServer.start(verifications, b.verificationListen);
      } catch (RuntimeException e) {
        server.shutdownNow();
        throw e;
      }
    }
    this.verificationPage = page;
    this.housekeeping = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("gateway-housekeeping").factory());
    housekeeping.scheduleWithFixedDelay(
        () -> {
          try {
            journal.purgeExpired(clock.instant());
            lockout.purge();
          } catch (RuntimeException e) {
            log.warn("journal housekeeping failed: {}", e.getMessage());
          }
        },
        1,
        1,
        TimeUnit.MINUTES);
    // At start too: issuances left open by a gateway that died are settled without waiting.
    long reconcileEveryMs = Math.max(1000, Math.min(b.unconfirmedTimeout.toMillis() / 4, 60_000));
    housekeeping.scheduleWithFixedDelay(
        () -> {
          try {
            reconciler.run();
          } catch (RuntimeException e) {
            log.warn("journal reconciliation failed: {}", e.getMessage());
          }
        },
        0,
        reconcileEveryMs,
        TimeUnit.MILLISECONDS);
    InetSocketAddress listening = address();
    log.info("gateway listening on {} serving {} municipalities", listening, served.size());
  }

  public static Builder builder() {
    return new Builder();
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) server.getListenSockets().get(0);
  }

  public int port() {
    return address().getPort();
  }

  public IssuanceJournal journal() {
    return journal;
  }

  /** Voids and refunds what was never confirmed; runs by itself, and on demand (tests, tools). */
  public Reconciler reconciler() {
    return reconciler;
  }

  public Map<String, Municipality> municipalities() {
    return municipalities;
  }

  /** The gateway's meters (a Prometheus registry unless the builder was given another). */
  public MeterRegistry meters() {
    return meters;
  }

  /** Where metrics are served, or null when they are not. */
  public InetSocketAddress metricsAddress() {
    return metricsEndpoint == null ? null : metricsEndpoint.address();
  }

  public Verifications verifications() {
    return verifications;
  }

  /** Where the verification page listens, or null when it was not started. */
  public InetSocketAddress verificationAddress() {
    return verificationPage == null ? null : verificationPage.address();
  }

  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }

  @Override
  public void close() {
    jp.kofu.grpc.GracefulStop.stop(server, health, shutdownGrace, log);
    if (verificationPage != null) {
      verificationPage.close();
    }
    housekeeping.shutdownNow();
    executor.shutdownNow();
    revocation.close();
    for (Municipality m : municipalities.values()) {
      m.close();
    }
    for (IssuerAdapter a : adapters) {
      try {
        a.close();
      } catch (RuntimeException e) {
        log.warn("closing an issuer adapter: {}", e.getMessage());
      }
    }
    if (metricsEndpoint != null) {
      metricsEndpoint.close();
    }
    journalDatabase.close();
    log.info("gateway stopped");
  }

  /** Everything a gateway needs; the defaults suit development. */
  public static final class Builder {
    private InetSocketAddress listen = new InetSocketAddress("127.0.0.1", 0);
    private HeldCertificate serverCertificate;
    private List<X509Certificate> terminalAnchors = List.of();
    private CardTrust cardTrust;
    private List<X509Certificate> municipalAnchors = List.of();
    private byte[] secret;
    private Database journalDatabase;
    private final List<IssuerAdapter> adapters = new ArrayList<>();
    private CardDirectory cardDirectory;
    private Clock clock = Clock.systemUTC();
    private Duration challengeTtl = Duration.ofMinutes(2);
    private Duration sessionTtl = Duration.ofMinutes(15);
    private Duration municipalityDeadline = Duration.ofSeconds(10);
    private int municipalityConcurrency = 64;
    private Duration attemptTimeout = Duration.ofSeconds(30);
    private Duration unconfirmedTimeout = Duration.ofMinutes(30);
    private Isolation isolation;
    private MeterRegistry meters;
    private InetSocketAddress metricsListen;
    private Duration shutdownGrace = Duration.ofSeconds(10);
    private Duration verificationValidity = Duration.ofDays(90);
    private int verificationLookupsPerMinute = 30;
    private InetSocketAddress verificationListen;

    /**
     * Verification by code: how long after issuance a code is answered, how many lookups a
     * minute one address may make, and where the HTTP page listens (null: gRPC only).
     */
    public Builder verification(Duration validity, int lookupsPerMinute, InetSocketAddress httpListen) {
      this.verificationValidity = Objects.requireNonNull(validity, "validity");
      this.verificationLookupsPerMinute = lookupsPerMinute;
      this.verificationListen = httpListen;
      return this;
    }
    private RevocationSettings revocation;
    private int terminalRequests = TerminalRateLimit.DEFAULT_REQUESTS;
    private Duration terminalPeriod = TerminalRateLimit.DEFAULT_PERIOD;
    private int lockoutLimit = CardLockout.DEFAULT_LIMIT;
    private Duration lockoutWindow = CardLockout.DEFAULT_WINDOW;
    private Duration lockoutDuration = CardLockout.DEFAULT_LOCKOUT;

    public Builder listen(InetSocketAddress listen) {
      this.listen = listen;
      return this;
    }

    public Builder serverCertificate(HeldCertificate c) {
      this.serverCertificate = c;
      return this;
    }

    public Builder terminalAnchors(List<X509Certificate> anchors) {
      this.terminalAnchors = List.copyOf(anchors);
      return this;
    }

    public Builder cardTrust(CardTrust trust) {
      this.cardTrust = trust;
      return this;
    }

    public Builder municipalAnchors(List<X509Certificate> anchors) {
      this.municipalAnchors = List.copyOf(anchors);
      return this;
    }

    /** The cluster's shared secret (at least 32 bytes): challenges, sessions, journal card keys. */
    public Builder secret(byte[] secret) {
      this.secret = secret.clone();
      return this;
    }

    public Builder journal(Database database) {
      this.journalDatabase = database;
      return this;
    }

    public Builder adapter(IssuerAdapter adapter) {
      this.adapters.add(adapter);
      return this;
    }

    public Builder cardDirectory(CardDirectory directory) {
      this.cardDirectory = directory;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    public Builder challengeTtl(Duration d) {
      this.challengeTtl = d;
      return this;
    }

    public Builder sessionTtl(Duration d) {
      this.sessionTtl = d;
      return this;
    }

    public Builder municipalityDeadline(Duration d) {
      this.municipalityDeadline = d;
      return this;
    }

    public Builder municipalityConcurrency(int n) {
      this.municipalityConcurrency = n;
      return this;
    }

    /** Each municipality's limit, deadline and breaker (replaces municipalityDeadline/Concurrency). */
    public Builder isolation(Isolation isolation) {
      this.isolation = isolation;
      return this;
    }

    /** Where meters go; default a Prometheus registry of the gateway's own. */
    public Builder meters(MeterRegistry meters) {
      this.meters = meters;
      return this;
    }

    /** Serve metrics (Prometheus text) on this address; default: not served. */
    public Builder metricsListen(InetSocketAddress listen) {
      this.metricsListen = listen;
      return this;
    }

    public Builder attemptTimeout(Duration d) {
      this.attemptTimeout = d;
      return this;
    }

    /** Issued but unconfirmed this long: voided and refunded. Longer than {@link #sessionTtl}. */
    public Builder unconfirmedTimeout(Duration d) {
      this.unconfirmedTimeout = d;
      return this;
    }

    public Builder shutdownGrace(Duration d) {
      this.shutdownGrace = d;
      return this;
    }

    /** How cards and copiers are checked for revocation. Required: there is no fail-open default. */
    public Builder revocation(RevocationSettings settings) {
      this.revocation = settings;
      return this;
    }

    /** At most {@code requests} kiosk calls per {@code period} from one terminal, per gateway. */
    public Builder terminalRateLimit(int requests, Duration period) {
      this.terminalRequests = requests;
      this.terminalPeriod = period;
      return this;
    }

    /** {@code limit} failed authentications within {@code window} lock a card out for {@code lockout}, cluster-wide. */
    public Builder cardLockout(int limit, Duration window, Duration lockout) {
      this.lockoutLimit = limit;
      this.lockoutWindow = window;
      this.lockoutDuration = lockout;
      return this;
    }

    public Gateway start() {
      Objects.requireNonNull(serverCertificate, "serverCertificate");
      Objects.requireNonNull(revocation, "revocation");
      Objects.requireNonNull(cardTrust, "cardTrust");
      Objects.requireNonNull(secret, "secret");
      Objects.requireNonNull(cardDirectory, "cardDirectory");
      if (terminalAnchors.isEmpty() || municipalAnchors.isEmpty()) {
        throw new IllegalArgumentException("terminal and municipal trust anchors are required");
      }
      try {
        return new Gateway(this);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot listen on " + listen, e);
      }
    }
  }

  /** The v1alpha reflection service: deprecated by grpc-java in favour of v1, still what some tools speak. */
  @SuppressWarnings("deprecation")
  static io.grpc.BindableService reflectionV1alpha() {
    return io.grpc.protobuf.services.ProtoReflectionService.newInstance();
  }
}
