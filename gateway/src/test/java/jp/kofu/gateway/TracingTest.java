package jp.kofu.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import jp.kofu.gateway.routing.Municipality;
import jp.kofu.issuer.registry.Household;
import jp.kofu.issuer.registry.Resident;
import jp.kofu.issuer.seed.Seeder;
import jp.kofu.pki.HeldCertificate;
import jp.kofu.proto.type.v1.CertificateRequest;
import jp.kofu.proto.type.v1.CertificateType;
import jp.kofu.sim.card.CardWallet;
import jp.kofu.sim.copier.Copier;
import jp.kofu.testing.WholeWorld;
import jp.kofu.trace.TraceSettings;
import jp.kofu.trace.Tracing;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One issuance, traced end to end over real sockets: a copier whose calls carry a {@code
 * traceparent}, the gateway (tracing: section on), the demo municipality behind a remote issuer
 * server (as {@code kofu issuer serve}) with tracing of its own. Every process's spans go to one
 * in-memory exporter; the test reads the parent links from them. And with the section off, the
 * gateway makes no span and breaks the trace: it holds no SDK and installs no interceptor.
 */
@WholeWorld
class TracingTest {
  static final String REMOTE = Seeder.DEMO_MUNICIPALITY;
  static final String LOCAL = Seeder.DEMO_DOMICILE_MUNICIPALITY;
  static final AttributeKey<String> SERVICE = AttributeKey.stringKey("service.name");

  final InMemorySpanExporter spans = InMemorySpanExporter.create();
  final List<AutoCloseable> closing = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (int i = closing.size() - 1; i >= 0; i--) {
      closing.get(i).close();
    }
  }

  KofuWorld world(boolean gatewayTracing) {
    Tracing issuer = tracing("kofu-issuer");
    KofuWorld world =
        KofuWorld.embedded()
            .servedRemotely(List.of(REMOTE))
            .issuerServer(b -> b.tracing(issuer))
            .spanExporter(spans)
            .config(
                """
                listen: 127.0.0.1:0
                data: .
                verification: {listen: 127.0.0.1:0}
                tracing: {enabled: %s, service-name: kofu-gateway, sampling-ratio: 1, instance-id: gateway-1}
                adapters:
                  - kind: embedded
                    settings: {municipalities: "%s"}
                  - kind: remote
                    settings: {target: "{issuer-server}"}
                """
                    .formatted(gatewayTracing, LOCAL));
    closing.add(issuer); // after the world: the issuer server stops first
    closing.add(world);
    return world.start();
  }

  Tracing tracing(String service) {
    return Tracing.start(TraceSettings.of(true, null, service, service, 1.0, null, null, null), spans);
  }

  /** A copier of the world whose calls are client spans with their traceparent (a traced copier). */
  Copier tracedCopier(KofuWorld world, Tracing copierTracing) {
    HeldCertificate terminal = world.pki().terminal("test-chain", "store-1", "traced");
    ManagedChannel channel;
    try {
      channel =
          NettyChannelBuilder.forAddress(world.address())
              .sslContext(
                  jp.kofu.grpc.TlsProvider.AUTO.forClient()
                      .keyManager(terminal.privateKey(), terminal.chain().toArray(X509Certificate[]::new))
                      .trustManager(world.pki().serviceCa().certificate())
                      .build())
              .intercept(copierTracing.clientInterceptor())
              .build();
    } catch (javax.net.ssl.SSLException e) {
      throw new IllegalStateException(e);
    }
    Copier copier = new Copier(channel, List.of(world.pki().municipalCa().certificate()), world.pki().clock());
    closing.add(copier);
    return copier;
  }

  record Issued(String traceId, Resident resident, Household household, CardWallet.Entry card, String orderId) {}

  /** A residence certificate of a resident of the remote municipality, inside the copier's own root span. */
  Issued issue(KofuWorld world, Tracing copierTracing) throws Exception {
    CardWallet.Entry e = world.eligibleCards(1000).stream().filter(c -> c.municipalityCode().equals(REMOTE)).findFirst().orElseThrow();
    Copier copier = tracedCopier(world, copierTracing);
    Span root = copierTracing.tracer().spanBuilder("copier issuance").startSpan();
    Copier.Outcome o;
    try (Scope ignored = root.makeCurrent()) {
      o =
          copier.issueOnce(
              world.wallet().card(e.residentId()), e.pin(), REMOTE,
              CertificateRequest.newBuilder().setType(CertificateType.CERTIFICATE_TYPE_RESIDENCE).setCopies(1).build());
    } finally {
      root.end();
    }
    assertThat(o.verified().municipalityCode()).isEqualTo(REMOTE);
    Resident r = world.resident(e.residentId());
    return new Issued(root.getSpanContext().getTraceId(), r, world.registry().household(r.householdId()).orElseThrow(), e, o.orderId());
  }

  /** Waits for the span to be exported (spans end a moment after their call is answered). */
  SpanData awaitSpan(List<Tracing> flush, Predicate<SpanData> which) {
    return await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              flush.forEach(Tracing::flush);
              return spans.getFinishedSpanItems().stream().filter(which).findFirst();
            },
            Optional::isPresent)
        .orElseThrow();
  }

  static Predicate<SpanData> span(String service, SpanKind kind, String name) {
    return s -> service.equals(s.getResource().getAttribute(SERVICE)) && s.getKind() == kind && s.getName().equals(name);
  }

  @Test
  void oneTraceFromTheCopierThroughTheGatewayAndTheMunicipalityCallToTheRemoteIssuerServer() throws Exception {
    try (LogCapture logs = LogCapture.at(ch.qos.logback.classic.Level.INFO)) {
      KofuWorld world = world(true);
      Tracing copierTracing = tracing("copier");
      closing.add(copierTracing);
      Tracing gatewayTracing = world.gateway().tracing();
      assertThat(gatewayTracing).isNotNull();
      List<Tracing> flush = List.of(copierTracing, gatewayTracing);

      Issued issued = issue(world, copierTracing);

      // copier → gateway: the Issue call's client span is the parent of the gateway's server span.
      String issue = "kofu.kiosk.v1.KioskService/Issue";
      SpanData copierIssue = awaitSpan(flush, span("copier", SpanKind.CLIENT, issue).and(s -> s.getTraceId().equals(issued.traceId())));
      SpanData kioskServer = awaitSpan(flush, span("kofu-gateway", SpanKind.SERVER, issue).and(s -> s.getTraceId().equals(issued.traceId())));
      assertThat(kioskServer.getParentSpanId()).isEqualTo(copierIssue.getSpanId());
      assertThat(kioskServer.getResource().getAttribute(AttributeKey.stringKey("service.instance.id"))).isEqualTo("gateway-1");
      assertThat(kioskServer.getResource().getAttribute(AttributeKey.stringKey("service.version"))).isNotBlank();

      // gateway → municipality call: a child of the server span, with code, operation and outcome.
      SpanData municipalityCall =
          awaitSpan(flush, span("kofu-gateway", SpanKind.INTERNAL, "municipality issue").and(s -> s.getParentSpanId().equals(kioskServer.getSpanId())));
      assertThat(municipalityCall.getAttributes().get(Municipality.SPAN_MUNICIPALITY)).isEqualTo(REMOTE);
      assertThat(municipalityCall.getAttributes().get(Municipality.SPAN_OPERATION)).isEqualTo("issue");
      assertThat(municipalityCall.getAttributes().get(Municipality.SPAN_OUTCOME)).isEqualTo("ok");

      // municipality call → remote issuer: the gateway's client span, and the issuer server's span under it.
      String issueDocument = "kofu.issuer.v1.IssuerService/IssueDocument";
      SpanData remoteClient =
          awaitSpan(flush, span("kofu-gateway", SpanKind.CLIENT, issueDocument).and(s -> s.getParentSpanId().equals(municipalityCall.getSpanId())));
      SpanData issuerServer =
          awaitSpan(List.of(), span("kofu-issuer", SpanKind.SERVER, issueDocument).and(s -> s.getParentSpanId().equals(remoteClient.getSpanId())));
      for (SpanData s : List.of(kioskServer, municipalityCall, remoteClient, issuerServer)) {
        assertThat(s.getTraceId()).as(s.getName()).isEqualTo(issued.traceId());
      }
      // The other calls of the issuance (open, authenticate, offerings, confirm, close) are in the same trace.
      awaitSpan(flush, span("kofu-gateway", SpanKind.SERVER, "kofu.kiosk.v1.KioskService/Authenticate").and(s -> s.getTraceId().equals(issued.traceId())));
      awaitSpan(flush, span("kofu-gateway", SpanKind.INTERNAL, "municipality offerings").and(s -> s.getTraceId().equals(issued.traceId())));

      // The access log line of the Issue call carries the gateway span's trace and span ids.
      assertThat(logs.lines())
          .anyMatch(l -> l.contains("kofu.access") && l.contains(issue) && l.contains("trace_id=" + issued.traceId())
              && l.contains("span_id=" + kioskServer.getSpanId()));

      // Nothing of the resident in any span of any process.
      List<String> personal = personalData(issued);
      List<SpanData> all = spans.getFinishedSpanItems();
      assertThat(all).hasSizeGreaterThan(10);
      for (SpanData s : all) {
        String text = everything(s);
        for (String p : personal) {
          assertThat(text).as("span %s", s.getName()).doesNotContain(p);
        }
      }
    }
  }

  @Test
  void withTracingOffTheGatewayMakesNoSpanHoldsNoSdkAndPassesNoTraceparentOn() throws Exception {
    KofuWorld world = world(false);
    assertThat(world.gateway().tracing()).isNull();
    Tracing copierTracing = tracing("copier");
    closing.add(copierTracing);

    Issued issued = issue(world, copierTracing);

    // The issuer server (traced) still sees the call, but as the root of a trace of its own: the
    // gateway sent no traceparent (no client interceptor) and made no span (no server interceptor).
    SpanData issuerServer = awaitSpan(List.of(copierTracing), span("kofu-issuer", SpanKind.SERVER, "kofu.issuer.v1.IssuerService/IssueDocument"));
    assertThat(issuerServer.getParentSpanContext().isValid()).isFalse();
    assertThat(issuerServer.getTraceId()).isNotEqualTo(issued.traceId());
    awaitSpan(List.of(copierTracing), span("copier", SpanKind.CLIENT, "kofu.kiosk.v1.KioskService/Issue"));
    assertThat(spans.getFinishedSpanItems()).noneMatch(s -> "kofu-gateway".equals(s.getResource().getAttribute(SERVICE)));
  }

  /** The resident's name, readings, birth date (several spellings), address and numbers. */
  static List<String> personalData(Issued issued) {
    Resident r = issued.resident();
    List<String> out = new ArrayList<>(List.of(r.familyName(), r.givenName(), r.fullName(), r.familyNameKana(), r.givenNameKana(), r.handle()));
    out.addAll(PersonalDataInLogsTest.dates(r.birthDate()));
    out.add(issued.household().address());
    out.add(issued.card().serial());
    for (String maybe : new String[] {r.residentCode(), r.myNumber(), r.previousAddress(), r.domicile()}) {
      if (maybe != null && !maybe.isBlank()) {
        out.add(maybe);
      }
    }
    assertThat(out).allSatisfy(s -> assertThat(s).isNotBlank());
    return out;
  }

  /** All text of a span: its name, attributes, events, links, status and resource. */
  static String everything(SpanData s) {
    StringBuilder b = new StringBuilder(s.getName()).append('\n').append(s.getAttributes()).append('\n').append(s.getStatus());
    s.getEvents().forEach(e -> b.append('\n').append(e.getName()).append(' ').append(e.getAttributes()));
    s.getLinks().forEach(l -> b.append('\n').append(l.getAttributes()));
    return b.append('\n').append(s.getResource().getAttributes()).toString();
  }
}
