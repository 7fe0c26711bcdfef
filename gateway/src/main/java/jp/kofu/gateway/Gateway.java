package jp.kofu.gateway;

import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.health.v1.HealthCheckResponse;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import jp.kofu.gateway.auth.CardAuthenticator;
import jp.kofu.gateway.auth.CardLockout;
import jp.kofu.gateway.auth.TerminalRateLimit;
import jp.kofu.gateway.auth.TerminalTrustManager;
import jp.kofu.gateway.auth.AuthStore;
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
import jp.kofu.gateway.admin.AdminEndpoint;
import jp.kofu.gateway.admin.Readiness;
import jp.kofu.gateway.edge.CallLog;
import jp.kofu.gateway.edge.EdgeLimits;
import jp.kofu.gateway.edge.InFlightLimit;
import jp.kofu.gateway.metrics.GatewayMetrics;
import jp.kofu.gateway.metrics.IssuanceMetrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.grpc.MetricCollectingServerInterceptor;
import jp.kofu.gateway.routing.CardDirectory;
import jp.kofu.gateway.routing.Isolation;
import jp.kofu.gateway.routing.Municipality;
import jp.kofu.gateway.routing.MunicipalityRouter;
import jp.kofu.issuer.reference.LocalGovernmentCodes;
import jp.kofu.issuer.spi.IssuerAdapter;
import jp.kofu.pki.HeldCertificate;
import jp.kofu.gateway.verify.ClientAddresses;
import jp.kofu.gateway.verify.VerificationGrpcService;
import jp.kofu.gateway.verify.VerificationHttpServer;
import jp.kofu.gateway.verify.Verifications;
import jp.kofu.proto.kiosk.v1.KioskServiceGrpc;
import jp.kofu.proto.verify.v1.VerificationServiceGrpc;
import jp.kofu.storage.Database;
import jp.kofu.time.TimeSource;
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
  private final ServerServiceDefinition kioskService;
  private final HealthStatusManager health;
  private final IssuanceJournal journal;
  private final AuthStore authStore;
  private final Database journalDatabase;
  private final List<IssuerAdapter> adapters;
  private final Map<String, Municipality> municipalities;
  private final ExecutorService executor;
  private final TimeSource time;
  /** The gateway's own thread for periodic journal work; the ticks come from {@link #time}'s scheduler. */
  private final ExecutorService housekeeping;
  private final List<ScheduledFuture<?>> ticks = new ArrayList<>();
  private final Duration shutdownGrace;
  private final IssuanceService issuance;
  private final Reconciler reconciler;
  private final MeterRegistry meters;
  private final AdminEndpoint adminEndpoint;
  private final GatewayMetrics gatewayMetrics;
  private final Readiness readiness;
  private final Duration quietPeriod;
  private final Verifications verifications;
  private final VerificationHttpServer verificationPage;
  private final Server verificationServer;
  private final Revocation revocation;
  private final io.netty.handler.ssl.SslProvider tlsImplementation;
  private final jp.kofu.trace.Tracing tracing;

  /**
   * grpc-java and Netty's java.util.logging records go through SLF4J like everything else (one
   * format, one destination), not to JUL's own console handler in another format.
   */
  public static synchronized void bridgeJavaUtilLogging() {
    if (!org.slf4j.bridge.SLF4JBridgeHandler.isInstalled()) {
      org.slf4j.bridge.SLF4JBridgeHandler.removeHandlersForRootLogger();
      org.slf4j.bridge.SLF4JBridgeHandler.install();
    }
  }

  private Gateway(Builder b) throws IOException {
    bridgeJavaUtilLogging();
    this.time = b.time;
    this.tracing = b.tracing;
    Clock clock = time.clock();
    this.journalDatabase = Objects.requireNonNull(b.journalDatabase, "journalDatabase");
    this.journal = new IssuanceJournal(journalDatabase, b.journalKeys);
    this.authStore = new AuthStore(journalDatabase);
    this.reconciler = new Reconciler(journal, clock, b.unconfirmedTimeout);
    this.adapters = List.copyOf(b.adapters);
    this.shutdownGrace = b.shutdownGrace;
    this.meters = b.meters != null ? b.meters : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // Before any meter: the histogram buckets apply to meters registered after them.
    this.gatewayMetrics = GatewayMetrics.bind(meters, journalDatabase.dataSource());
    this.quietPeriod = b.quietPeriod;
    EdgeLimits edge = b.edge;
    Isolation isolation =
        b.isolation != null ? b.isolation : new Isolation(b.municipalityDeadline, b.municipalityConcurrency, Isolation.Breaker.defaults());
    Map<String, Municipality> served = new LinkedHashMap<>();
    for (IssuerAdapter adapter : adapters) {
      for (String code : adapter.municipalityCodes()) {
        if (served.containsKey(code)) {
          throw new IllegalArgumentException("municipality " + code + " is served by two adapters");
        }
        Municipality m = new Municipality(code, adapter, isolation, time, meters);
        served.put(code, b.tracing == null ? m : m.traced(b.tracing.tracer()));
      }
    }
    this.municipalities = served;
    MunicipalityRouter router = new MunicipalityRouter(LocalGovernmentCodes.bundled(), served);
    // Card pseudonyms in the journal follow the journal key; challenges and tokens, the session key.
    Hmac cardKey = b.journalKeys.hmac("journal-card");
    this.issuance =
        new IssuanceService(clock, router, journal, cardKey, new DocumentCheck(b.municipalAnchors, clock), b.attemptTimeout);
    List<X509Certificate> cardIssuers = b.cardTrust.issuers().stream().map(CardTrust.IssuingCa::certificate).toList();
    this.revocation = Revocation.start(b.revocation, cardIssuers, b.terminalAnchors, clock);
    for (var age : revocation.crlAges().keySet()) {
      Gauge.builder("kofu.revocation.crl.age", revocation, r -> {
            Duration d = r.crlAges().get(age);
            return d == null ? Double.NaN : d.toMillis() / 1000.0;
          })
          .description("Age of the newest CRL held for this CA (NaN: none); checks fail closed past revocation.max-staleness")
          .baseUnit("seconds")
          .tag("ca", age)
          .register(meters);
    }
    Gauge.builder("kofu.revocation.max.staleness", revocation, r -> r.settings().maxStaleness().toMillis() / 1000.0)
        .baseUnit("seconds")
        .register(meters);
    io.micrometer.core.instrument.Counter lockouts =
        io.micrometer.core.instrument.Counter.builder("kofu.card.lockouts").description("Cards locked out after too many failed authentications").register(meters);
    CardLockout lockout =
        new CardLockout(authStore.lockouts(), card -> issuance.cardKey(card).hex(), clock, b.lockoutLimit, b.lockoutWindow, b.lockoutDuration)
            .onLockout(lockouts::increment);
    SessionService sessions =
        new SessionService(
            new Challenges(b.sessionKeys.hmac("challenge"), b.sessionKeys.previousHmacs("challenge"), clock, b.challengeTtl),
            new CardAuthenticator(b.cardTrust, clock),
            new SessionTokens(b.sessionKeys, "session", clock, b.sessionTtl),
            authStore,
            b.cardDirectory,
            clock,
            revocation,
            lockout);
    this.verifications = new Verifications(journal, clock, b.verificationValidity, b.verificationLookupsPerMinute).meters(meters);
    this.health = new HealthStatusManager();
    // Bounded: overload is refused (InFlightLimit) instead of piling up threads; there are always
    // more threads than issuances allowed, so refusals and short calls find one. Idle threads are
    // reused before a new one starts (CallThreads).
    java.util.concurrent.ThreadPoolExecutor calls =
        jp.kofu.gateway.edge.CallThreads.create(
            edge.callThreads(), Duration.ofSeconds(60), Thread.ofPlatform().daemon().name("gateway-call-", 0).factory());
    this.executor = calls;
    Gauge.builder("kofu.call.threads.active", calls, java.util.concurrent.ThreadPoolExecutor::getActiveCount).register(meters);
    Gauge.builder("kofu.call.queue", calls, c -> c.getQueue().size()).description("Call tasks waiting for a thread").register(meters);
    TerminalTrustManager terminalTrust = new TerminalTrustManager(b.terminalAnchors, clock);
    this.tlsImplementation = b.tlsProvider.sslProvider();
    SslContext tls =
        b.tlsProvider
            .configure(
                SslContextBuilder.forServer(
                    b.serverCertificate.privateKey(), b.serverCertificate.chain().toArray(X509Certificate[]::new)))
            .trustManager(terminalTrust)
            // The kiosk listener serves copiers only, mutual TLS only: a client without a
            // certificate of a terminal CA does not get past the handshake (health and reflection
            // included; probes use the admin port's /readyz). A terminal certificate that names no
            // store, or is revoked, is refused with its reason (TerminalAuthInterceptor). The public
            // verification service has a listener of its own (TLS without client certificates), so
            // this port can stay on the closed store network.
            .clientAuth(ClientAuth.REQUIRE)
            .build();
    ServerInterceptor inFlight =
        new InFlightLimit(java.util.Set.of(KioskServiceGrpc.getIssueMethod().getFullMethodName()), edge.maxInFlightIssuances(), Duration.ofSeconds(1), meters);
    ServerInterceptor callLog = new CallLog(meters);
    ServerInterceptor callMetrics = new MetricCollectingServerInterceptor(meters);
    // Requests are decoded strictly (StrictRequests), then the terminal is identified and checked
    // against its CRL, then rate-limited, then served.
    ServerServiceDefinition kiosk =
        ServerInterceptors.intercept(
            StrictRequests.wrap(
                ServerInterceptors.intercept(
                    new KioskService(sessions, issuance, new IssuanceMetrics(meters, served.keySet())),
                    CallLog.terminalTagger(),
                    new TerminalRateLimit(b.terminalRequests, b.terminalPeriod, clock),
                    new TerminalAuthInterceptor(terminalTrust, revocation))),
            new LocalizedErrors());
    // The same, server-wide interceptors included, for another transport (kioskService()).
    this.kioskService =
        b.tracing == null
            ? ServerInterceptors.intercept(kiosk, inFlight, callLog, callMetrics)
            : ServerInterceptors.intercept(kiosk, inFlight, callLog, callMetrics, b.tracing.serverInterceptor());
    Server started;
    try {
      NettyServerBuilder listener =
          NettyServerBuilder.forAddress(b.listen)
              .sslContext(tls)
              .executor(executor)
              .maxInboundMessageSize(MAX_INBOUND_MESSAGE_BYTES)
              .maxInboundMetadataSize(MAX_INBOUND_METADATA_BYTES)
              // Keepalive: copiers may ping every edge.permit-keep-alive-time (the contract's service
              // config asks for 30 s), also without calls in flight; faster pings end the connection.
              .permitKeepAliveTime(edge.permitKeepAliveTime().toMillis(), TimeUnit.MILLISECONDS)
              .permitKeepAliveWithoutCalls(true)
              .maxConnectionIdle(edge.maxConnectionIdle().toMillis(), TimeUnit.MILLISECONDS)
              .maxConnectionAge(edge.maxConnectionAge().toMillis(), TimeUnit.MILLISECONDS)
              .maxConnectionAgeGrace(edge.maxConnectionAgeGrace().toMillis(), TimeUnit.MILLISECONDS)
              .maxConcurrentCallsPerConnection(edge.maxConcurrentCallsPerConnection())
              .maxRstFramesPerWindow(edge.maxRstFramesPerWindow(), (int) Math.max(1, edge.rstWindow().toSeconds()))
              // Server-wide interceptors run in the reverse order of these lines: metrics outermost,
              // then the access log, then the in-flight bound, so both see its refusals.
              .intercept(inFlight)
              .intercept(callLog)
              .intercept(callMetrics);
      if (b.tracing != null) {
        // Tracing (tracing: section, off by default): outermost, so that its span and trace id
        // cover everything the call does, the access log line included.
        listener.intercept(b.tracing.serverInterceptor());
      }
      started =
          listener
              .addService(kiosk)
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
    // Each municipality's own status: "kofu.municipality.CODE" is NOT_SERVING while its circuit is open.
    for (Municipality m : served.values()) {
      String service = MUNICIPALITY_HEALTH_PREFIX + m.code();
      health.setStatus(service, HealthCheckResponse.ServingStatus.SERVING);
      m.onStatusChange(
          st -> health.setStatus(
              service,
              st == Municipality.Status.CIRCUIT_OPEN ? HealthCheckResponse.ServingStatus.NOT_SERVING : HealthCheckResponse.ServingStatus.SERVING));
    }
    // The overall status ("") and the services' follow readiness: the journal answers, revocation
    // data is fresh enough to use, the trust material is valid. Municipalities have their own.
    this.readiness =
        new Readiness(
            List.of(
                new Readiness.Check("journal", () -> journalProblem(journalDatabase)),
                new Readiness.Check("revocation", () -> {
                  List<String> stale = revocation.staleCrls();
                  return stale.isEmpty() ? null : String.join("; ", stale);
                }),
                new Readiness.Check("trust", () -> trustProblem(b, clock))),
            b.readinessInterval,
            b.readinessTimeout,
            health,
            List.of(KioskServiceGrpc.SERVICE_NAME, VerificationServiceGrpc.SERVICE_NAME),
            meters);
    this.adminEndpoint =
        b.adminListen == null
            ? null
            : AdminEndpoint.start(b.adminListen, readiness, meters instanceof PrometheusMeterRegistry prometheus ? prometheus : null);
    health.setStatus(VerificationServiceGrpc.SERVICE_NAME, HealthCheckResponse.ServingStatus.SERVING);
    Server publicServer = null;
    VerificationHttpServer page = null;
    try {
      if (b.verificationGrpcListen != null) {
        publicServer = verificationServer(b, verifications, executor, health);
      }
      if (b.verificationListen != null) {
        page = VerificationHttpServer.start(verifications, b.verificationListen, ClientAddresses.trusting(b.verificationTrustedProxies));
      }
    } catch (IOException | RuntimeException e) {
      if (publicServer != null) {
        publicServer.shutdownNow();
      }
      server.shutdownNow();
      revocation.close();
      throw e;
    }
    this.verificationServer = publicServer;
    this.verificationPage = page;
    this.housekeeping = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon().name("gateway-housekeeping").factory());
    every(
        () -> {
          try {
            authStore.purgeExpired(clock.instant());
            lockout.purge();
          } catch (RuntimeException e) {
            log.warn("journal housekeeping failed: {}", e.getMessage());
          }
        },
        Duration.ofMinutes(1),
        Duration.ofMinutes(1));
    // At start too: issuances left open by a gateway that died are settled without waiting.
    long reconcileEveryMs = Math.max(1000, Math.min(b.unconfirmedTimeout.toMillis() / 4, 60_000));
    every(
        () -> {
          try {
            reconciler.run();
          } catch (RuntimeException e) {
            log.warn("journal reconciliation failed: {}", e.getMessage());
          }
        },
        Duration.ZERO,
        Duration.ofMillis(reconcileEveryMs));
    InetSocketAddress listening = address();
    log.info("gateway listening on {} serving {} municipalities", listening, served.size());
  }

  /**
   * Runs {@code work} on the housekeeping thread after {@code first}, then every {@code period}
   * (skipping a turn while the last run still goes): the ticks are the time source's, so a test's
   * fake clock drives them; the work is not, so a slow journal never holds up a deadline.
   */
  private void every(Runnable work, Duration first, Duration period) {
    java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean();
    Runnable once =
        () -> {
          try {
            work.run();
          } finally {
            running.set(false);
          }
        };
    Runnable tick =
        () -> {
          if (running.compareAndSet(false, true)) {
            try {
              housekeeping.execute(once);
            } catch (java.util.concurrent.RejectedExecutionException stopped) {
              running.set(false);
            }
          }
        };
    ticks.add(time.scheduler().scheduleWithFixedDelay(tick, first.toNanos(), period.toNanos(), TimeUnit.NANOSECONDS));
  }

  private static String journalProblem(Database db) {
    try {
      db.first("SELECT 1", rs -> rs.getInt(1));
      return null;
    } catch (java.sql.SQLException | RuntimeException e) {
      return "unreachable: " + (e.getMessage() == null ? e.getClass().getSimpleName() : Database.redact(e.getMessage()));
    }
  }

  /** The trust material the gateway runs on, and whether each piece is valid now. */
  private static String trustProblem(Builder b, Clock clock) {
    java.util.Date now = java.util.Date.from(clock.instant());
    List<String> problems = new ArrayList<>();
    check(problems, "server certificate", b.serverCertificate.certificate(), now);
    b.terminalAnchors.forEach(c -> check(problems, "terminal CA", c, now));
    b.municipalAnchors.forEach(c -> check(problems, "municipal CA", c, now));
    b.cardTrust.issuers().forEach(i -> check(problems, "card CA", i.certificate(), now));
    return problems.isEmpty() ? null : String.join("; ", problems);
  }

  private static void check(List<String> problems, String what, X509Certificate c, java.util.Date now) {
    try {
      c.checkValidity(now);
    } catch (java.security.cert.CertificateExpiredException e) {
      problems.add(what + " " + c.getSubjectX500Principal().getName() + " expired at " + c.getNotAfter().toInstant());
    } catch (java.security.cert.CertificateNotYetValidException e) {
      problems.add(what + " " + c.getSubjectX500Principal().getName() + " not valid before " + c.getNotBefore().toInstant());
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The public verification listener: kofu.verify.v1 (and health) over TLS with the gateway's
   * certificate and no client certificate, apart from the copiers' mutual-TLS listener so that
   * the kiosk port can stay on the closed store network.
   */
  private static Server verificationServer(Builder b, Verifications verifications, ExecutorService executor, HealthStatusManager health)
      throws IOException {
    SslContext tls =
        b.tlsProvider
            .configure(SslContextBuilder.forServer(b.serverCertificate.privateKey(), b.serverCertificate.chain().toArray(X509Certificate[]::new)))
            .clientAuth(ClientAuth.NONE)
            .build();
    NettyServerBuilder listener = NettyServerBuilder.forAddress(b.verificationGrpcListen);
    if (b.tracing != null) {
      listener.intercept(b.tracing.serverInterceptor());
    }
    return listener
        .sslContext(tls)
        .executor(executor)
        .maxInboundMessageSize(MAX_INBOUND_MESSAGE_BYTES)
        .maxInboundMetadataSize(MAX_INBOUND_METADATA_BYTES)
        .permitKeepAliveTime(20, TimeUnit.SECONDS)
        .maxConnectionIdle(5, TimeUnit.MINUTES)
        .addService(ServerInterceptors.intercept(StrictRequests.wrap(VerificationGrpcService.definition(verifications)), new LocalizedErrors()))
        .addService(health.getHealthService())
        .addService(ProtoReflectionServiceV1.newInstance())
        .addService(reflectionV1alpha())
        .build()
        .start();
  }

  /** Where kofu.verify.v1 listens (TLS, no client certificate), or null when it was not started. */
  public InetSocketAddress verificationGrpcAddress() {
    return verificationServer == null ? null : (InetSocketAddress) verificationServer.getListenSockets().get(0);
  }

  /**
   * The kiosk service as this gateway's listener serves it, with every interceptor (metrics, access
   * log, in-flight bound, strict decoding, terminal identification from the call's TLS session,
   * rate limit, localized errors): for serving it on another transport, such as grpc-java's
   * in-process one in unit tests that are not about sockets. The caller supplies the transport
   * attributes (the peer's TLS session) that the kiosk listener's TLS gives its calls.
   */
  public ServerServiceDefinition kioskService() {
    return kioskService;
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) server.getListenSockets().get(0);
  }

  /** The TLS implementation the listeners use (tls.provider, resolved on this machine). */
  public io.netty.handler.ssl.SslProvider tlsImplementation() {
    return tlsImplementation;
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

  /** Where the admin port (/livez, /readyz, /metrics) listens, or null when it is off. */
  public InetSocketAddress adminAddress() {
    return adminEndpoint == null ? null : adminEndpoint.address();
  }

  /** Where metrics are served (the admin port), or null when they are not. */
  public InetSocketAddress metricsAddress() {
    return adminAddress();
  }

  /** The tracing its listeners and municipality calls are traced with, or null: off (no interceptor). */
  public jp.kofu.trace.Tracing tracing() {
    return tracing;
  }

  /** Whether the gateway takes traffic now, and if not why. */
  public Readiness readiness() {
    return readiness;
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
    drain();
    jp.kofu.grpc.GracefulStop.stop(server, health, shutdownGrace, log);
    readiness.close();
    if (verificationServer != null) {
      verificationServer.shutdown();
      try {
        verificationServer.awaitTermination(shutdownGrace.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      verificationServer.shutdownNow();
    }
    if (verificationPage != null) {
      verificationPage.close();
    }
    ticks.forEach(t -> t.cancel(false));
    housekeeping.shutdownNow();
    // Calls cancelled at the end of the grace are still releasing their orders in the journal
    // (IssuanceService): let them finish before the journal closes.
    executor.shutdown();
    try {
      if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
        log.warn("call threads still running 5 s after the shutdown: interrupting them");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
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
    if (adminEndpoint != null) {
      adminEndpoint.close();
    }
    gatewayMetrics.close();
    journalDatabase.close();
    log.info("gateway stopped");
  }

  /**
   * The first step of a stop (SIGTERM): readiness and health turn NOT_SERVING, then for the quiet
   * period calls are still served while load balancers and clients see the change and move away.
   * {@link #close} continues with a graceful shutdown; calling this alone only makes the gateway
   * unready for good.
   */
  public void drain() {
    if (readiness.draining()) {
      return;
    }
    if (quietPeriod.isZero()) {
      readiness.drain();
      return;
    }
    // The quiet period ends on the time source's scheduler (a test's fake clock ends it), and is
    // scheduled before readiness turns: whoever sees NOT_SERVING may already move time on.
    CountDownLatch over = new CountDownLatch(1);
    ScheduledFuture<?> end = time.scheduler().schedule(over::countDown, quietPeriod.toNanos(), TimeUnit.NANOSECONDS);
    readiness.drain();
    log.info("draining: NOT_SERVING, still serving for the quiet period of {} ms", quietPeriod.toMillis());
    try {
      over.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      end.cancel(false);
    }
  }

  /** Everything a gateway needs; the defaults suit development. */
  public static final class Builder {
    private InetSocketAddress listen = new InetSocketAddress("127.0.0.1", 0);
    private HeldCertificate serverCertificate;
    private List<X509Certificate> terminalAnchors = List.of();
    private CardTrust cardTrust;
    private List<X509Certificate> municipalAnchors = List.of();
    private jp.kofu.gateway.auth.Keyring sessionKeys;
    private jp.kofu.gateway.auth.Keyring journalKeys;
    private Database journalDatabase;
    private final List<IssuerAdapter> adapters = new ArrayList<>();
    private CardDirectory cardDirectory;
    private TimeSource time = TimeSource.system();
    private Duration challengeTtl = Duration.ofMinutes(2);
    private Duration sessionTtl = Duration.ofMinutes(15);
    private Duration municipalityDeadline = Duration.ofSeconds(10);
    private int municipalityConcurrency = 64;
    private Duration attemptTimeout = Duration.ofSeconds(30);
    private Duration unconfirmedTimeout = Duration.ofMinutes(30);
    private Isolation isolation;
    private MeterRegistry meters;
    private InetSocketAddress adminListen;
    private Duration quietPeriod = Duration.ZERO;
    private Duration readinessInterval = Duration.ofSeconds(2);
    private Duration readinessTimeout = Duration.ofSeconds(2);
    private EdgeLimits edge = EdgeLimits.DEFAULTS;
    private Duration shutdownGrace = Duration.ofSeconds(10);
    private Duration verificationValidity = Duration.ofDays(90);
    private int verificationLookupsPerMinute = 30;
    private InetSocketAddress verificationListen;
    private InetSocketAddress verificationGrpcListen;
    private List<String> verificationTrustedProxies = List.of();
    private jp.kofu.grpc.TlsProvider tlsProvider = jp.kofu.grpc.TlsProvider.AUTO;
    private jp.kofu.trace.Tracing tracing;

    /**
     * Spans of every gRPC call served and of every municipality call (null, the default: no
     * tracing, no interceptor). The caller closes it after the gateway.
     */
    public Builder tracing(jp.kofu.trace.Tracing tracing) {
      this.tracing = tracing;
      return this;
    }

    /**
     * The public verification listeners' own settings: where kofu.verify.v1 listens (TLS, no
     * client certificate; null: not served), and the reverse proxies whose forwarded client
     * address the HTTP page believes for rate limiting (addresses or CIDR blocks).
     */
    public Builder verificationListeners(InetSocketAddress grpcListen, List<String> trustedProxies) {
      this.verificationGrpcListen = grpcListen;
      this.verificationTrustedProxies = List.copyOf(trustedProxies);
      return this;
    }

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
      this.sessionKeys = jp.kofu.gateway.auth.Keyring.of("default", secret);
      this.journalKeys = this.sessionKeys;
      return this;
    }

    /** Keys challenges and session tokens; older keys stay accepted until what they made expires. */
    public Builder sessionKeys(jp.kofu.gateway.auth.Keyring keys) {
      this.sessionKeys = keys;
      return this;
    }

    /** Keys the journal's chain and card pseudonyms; older keys still verify the chain. */
    public Builder journalKeys(jp.kofu.gateway.auth.Keyring keys) {
      this.journalKeys = keys;
      return this;
    }

    public Builder journal(Database database) {
      this.journalDatabase = database;
      return this;
    }

    /** The journal's database as set so far (the composition root closes one it opened and was replaced). */
    Database journal() {
      return journalDatabase;
    }

    public Builder adapter(IssuerAdapter adapter) {
      this.adapters.add(adapter);
      return this;
    }

    public Builder cardDirectory(CardDirectory directory) {
      this.cardDirectory = directory;
      return this;
    }

    /** Another wall clock; deadlines and periodic work stay on the system's ticker and timer. */
    public Builder clock(Clock clock) {
      this.time = TimeSource.system().withClock(clock);
      return this;
    }

    /** Clock, deadline ticker and scheduler at once: every time path of the gateway reads these. */
    public Builder time(TimeSource time) {
      this.time = Objects.requireNonNull(time, "time");
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

    /** The admin port (/livez, /readyz, /metrics); default: not served. */
    public Builder adminListen(InetSocketAddress listen) {
      this.adminListen = listen;
      return this;
    }

    /** The admin port under its former name (it served only /metrics). */
    public Builder metricsListen(InetSocketAddress listen) {
      return adminListen(listen);
    }

    /** How often readiness is checked, and how long one check may take before it counts as failed. */
    public Builder readiness(Duration interval, Duration timeout) {
      this.readinessInterval = Objects.requireNonNull(interval, "interval");
      this.readinessTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /**
     * How a stop goes: NOT_SERVING, then {@code quietPeriod} still serving, then a graceful shutdown
     * in which calls in flight get {@code grace} to finish before they are cancelled.
     */
    public Builder drain(Duration quietPeriod, Duration grace) {
      this.quietPeriod = Objects.requireNonNull(quietPeriod, "quietPeriod");
      this.shutdownGrace = Objects.requireNonNull(grace, "grace");
      return this;
    }

    /** The listener's limits (connection age, calls per connection, RST flood, keepalive, in-flight issuances). */
    /** The TLS implementation of both listeners (tls.provider); {@code auto} unless set. */
    public Builder tlsProvider(jp.kofu.grpc.TlsProvider provider) {
      this.tlsProvider = Objects.requireNonNull(provider, "provider");
      return this;
    }

    public Builder edge(EdgeLimits limits) {
      this.edge = Objects.requireNonNull(limits, "limits");
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
      Objects.requireNonNull(sessionKeys, "sessionKeys");
      Objects.requireNonNull(journalKeys, "journalKeys");
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
