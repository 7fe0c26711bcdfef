package jp.kofu.issuer.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Context;
import io.grpc.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import jp.kofu.issuer.spi.AdapterContext;
import jp.kofu.issuer.spi.CardIssueCommand;
import jp.kofu.issuer.spi.CardQuery;
import jp.kofu.issuer.spi.CardRef;
import jp.kofu.issuer.spi.IssuanceRefusedException;
import jp.kofu.issuer.spi.IssueCommand;
import jp.kofu.issuer.spi.IssuedDocument;
import jp.kofu.issuer.spi.IssuerAdapter;
import jp.kofu.issuer.spi.MunicipalityOfferings;
import jp.kofu.issuer.spi.OfferingsQuery;
import jp.kofu.issuer.spi.RefusalReason;
import jp.kofu.issuer.spi.Relation;
import jp.kofu.issuer.spi.ResidentRef;
import jp.kofu.pki.TrustWorld;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The issuer protocol's edges over a real mTLS socket: the caller's deadline interrupts the work on
 * the server, refusals keep their reason (the confidential one included), failures are failures,
 * and only a gateway's certificate may call.
 */
class IssuerServerTest {
  static final TrustWorld pki = TrustWorld.generate();
  static final CountDownLatch never = new CountDownLatch(1);
  static final AtomicBoolean interrupted = new AtomicBoolean();
  static IssuerServer server;
  static IssuerAdapter client;

  /** 131016 hangs until interrupted; 141003 is under a support measure; 271004 is failing. */
  static final IssuerAdapter behind =
      new IssuerAdapter() {
        @Override
        public Set<String> municipalityCodes() {
          return Set.of("131016", "141003", "271004");
        }

        @Override
        public ResidentRef resolveCard(CardQuery q) throws IssuanceRefusedException {
          switch (q.municipalityCode()) {
            case "131016" -> {
              try {
                never.await();
              } catch (InterruptedException e) {
                interrupted.set(true);
                throw new IllegalStateException("interrupted");
              }
              throw new AssertionError();
            }
            case "141003" -> throw new IssuanceRefusedException(RefusalReason.SUPPORT_MEASURE, "support measure in force");
            default -> throw new IllegalStateException("registry unreachable");
          }
        }

        @Override
        public MunicipalityOfferings offerings(OfferingsQuery q) {
          throw new AssertionError();
        }

        @Override
        public IssuedDocument issue(IssueCommand c) {
          throw new AssertionError();
        }
      };

  @BeforeAll
  static void start() throws Exception {
    server = IssuerServer.builder().certificate(pki.issuerServer()).clientAnchors(List.of(pki.serviceCa().certificate())).adapter(behind).start();
    client = remote(Map.of());
  }

  @AfterAll
  static void stop() {
    never.countDown();
    client.close();
    server.close();
  }

  static IssuerAdapter remote(Map<String, String> extra) throws Exception {
    Map<String, String> settings = new java.util.HashMap<>(Map.of("target", "127.0.0.1:" + server.port(), "municipalities", "131016,141003,271004,011002"));
    settings.putAll(extra);
    return new RemoteIssuerAdapterFactory()
        .create(new AdapterContext(settings, Files.createTempDirectory("kofu-remote-"), Clock.systemUTC(), Map.of(TrustWorld.class, pki)));
  }

  static CardQuery query(String code) {
    return new CardQuery(code, new CardRef("1a2b", "00".repeat(32), CardRef.CredentialKind.CARD), Relation.ADDRESS, Instant.now());
  }

  @Test
  void theCallersDeadlineInterruptsTheWorkOnTheServer() throws Exception {
    Context.CancellableContext deadline = Context.current().withDeadlineAfter(300, TimeUnit.MILLISECONDS, java.util.concurrent.Executors.newSingleThreadScheduledExecutor());
    try {
      assertThatThrownBy(() -> deadline.call(() -> client.resolveCard(query("131016"))))
          .isInstanceOfSatisfying(RemoteIssuerException.class, e -> assertThat(e.code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
    } finally {
      deadline.cancel(null);
    }
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).untilTrue(interrupted);
  }

  @Test
  void aConfidentialRefusalKeepsItsReasonButTravelsAsNotIssuable() throws Exception {
    assertThatThrownBy(() -> client.resolveCard(query("141003")))
        .isInstanceOfSatisfying(IssuanceRefusedException.class, e -> {
          assertThat(e.reason()).isEqualTo(RefusalReason.SUPPORT_MEASURE);
          assertThat(e.getMessage()).doesNotContain("support measure in force");
        });
    var onTheWire = IssuerErrors.refusal(new IssuanceRefusedException(RefusalReason.SUPPORT_MEASURE, "support measure in force"));
    assertThat(onTheWire.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(onTheWire.getStatus().getDescription()).isEqualTo("NOT_ISSUABLE");
    assertThat(IssuerErrors.errorInfo(onTheWire).orElseThrow().getReason()).isEqualTo("NOT_ISSUABLE");
    assertThat(IssuerErrors.errorInfo(onTheWire).orElseThrow().getMetadataMap()).containsEntry("journal_reason", "SUPPORT_MEASURE");
  }

  /**
   * SPI 1.1 over the network: one IssueDocument without a resident handle, which the server resolves
   * (here through the SPI 1.0 default of the adapter behind it); to a server of SPI 1.0 the remote
   * adapter makes ResolveCard then IssueDocument inside its one call. Either way the card's refusal
   * arrives with its confidential reason.
   */
  @Test
  void theOneCallReachesServersOfBothVersions() throws Exception {
    CardIssueCommand command =
        new CardIssueCommand(
            "141003", query("141003").card(), Relation.ADDRESS,
            jp.kofu.issuer.spi.CertificateRequest.of(jp.kofu.issuer.spi.CertificateType.RESIDENCE), "I2", new byte[32], Instant.now(), null);
    assertThatThrownBy(() -> client.issue(command))
        .isInstanceOfSatisfying(IssuanceRefusedException.class, e -> assertThat(e.reason()).isEqualTo(RefusalReason.SUPPORT_MEASURE));

    io.grpc.ManagedChannel channel =
        io.grpc.netty.NettyChannelBuilder.forAddress("127.0.0.1", server.port())
            .sslContext(
                io.grpc.netty.GrpcSslContexts.forClient()
                    .keyManager(pki.gatewayClient().privateKey(), pki.gatewayClient().chain().toArray(java.security.cert.X509Certificate[]::new))
                    .trustManager(pki.serviceCa().certificate())
                    .build())
            .build();
    try (RemoteIssuerAdapter toAnOldServer =
        new RemoteIssuerAdapter(channel, Set.of("141003"), java.time.Duration.ofSeconds(30), jp.kofu.issuer.spi.SpiVersion.parse("1.0"))) {
      assertThatThrownBy(() -> toAnOldServer.issue(command))
          .isInstanceOfSatisfying(IssuanceRefusedException.class, e -> assertThat(e.reason()).isEqualTo(RefusalReason.SUPPORT_MEASURE));
    }
  }

  @Test
  void aFailingMunicipalityIsAFailureNotARefusal() {
    assertThatThrownBy(() -> client.resolveCard(query("271004")))
        .isInstanceOfSatisfying(RemoteIssuerException.class, e -> {
          assertThat(e.code()).isEqualTo(Status.Code.UNAVAILABLE);
          assertThat(e.getMessage()).contains("MUNICIPALITY_UNAVAILABLE");
        });
  }

  @Test
  void aMunicipalityTheServerDoesNotServeIsAConfigurationError() {
    assertThatThrownBy(() -> client.resolveCard(query("011002")))
        .isInstanceOfSatisfying(RemoteIssuerException.class, e -> {
          assertThat(e.code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
          assertThat(e.getMessage()).contains("MUNICIPALITY_NOT_SERVED");
        });
  }

  @Test
  void aMalformedRequestIsAnInvalidArgumentNamingItsField() throws Exception {
    io.grpc.ManagedChannel channel =
        io.grpc.netty.NettyChannelBuilder.forAddress("127.0.0.1", server.port())
            .sslContext(
                io.grpc.netty.GrpcSslContexts.forClient()
                    .keyManager(pki.gatewayClient().privateKey(), pki.gatewayClient().chain().toArray(java.security.cert.X509Certificate[]::new))
                    .trustManager(pki.serviceCa().certificate())
                    .build())
            .build();
    try {
      var stub = jp.kofu.proto.issuer.v1.IssuerServiceGrpc.newBlockingStub(channel);
      var noBinding =
          IssuerProtos.encode(
                  new IssueCommand("141003", "h1", query("141003").card(), Relation.ADDRESS,
                      jp.kofu.issuer.spi.CertificateRequest.of(jp.kofu.issuer.spi.CertificateType.RESIDENCE), "I1", new byte[32], Instant.now()))
              .toBuilder()
              .clearBinding()
              .build();
      assertThatThrownBy(() -> stub.issueDocument(noBinding))
          .isInstanceOfSatisfying(io.grpc.StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(IssuerErrors.errorInfo(e).orElseThrow().getReason()).isEqualTo("FIELD_INVALID");
            assertThat(e.getStatus().getDescription()).startsWith("binding:");
          });
      var badCode = IssuerProtos.encode(query("141003")).toBuilder().setMunicipalityCode("141004").build();
      assertThatThrownBy(() -> stub.resolveCard(badCode))
          .isInstanceOfSatisfying(io.grpc.StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(IssuerErrors.errorInfo(e).orElseThrow().getReason()).isEqualTo("MUNICIPALITY_CODE_INVALID");
          });
    } finally {
      channel.shutdownNow();
    }
  }

  @Test
  void reflectionListsTheIssuerServiceInV1AndV1alpha() throws Exception {
    io.grpc.ManagedChannel channel =
        io.grpc.netty.NettyChannelBuilder.forAddress("127.0.0.1", server.port())
            .sslContext(
                io.grpc.netty.GrpcSslContexts.forClient()
                    .keyManager(pki.gatewayClient().privateKey(), pki.gatewayClient().chain().toArray(java.security.cert.X509Certificate[]::new))
                    .trustManager(pki.serviceCa().certificate())
                    .build())
            .build();
    try {
      assertThat(ReflectionListing.v1(channel))
          .contains(jp.kofu.proto.issuer.v1.IssuerServiceGrpc.SERVICE_NAME, "grpc.health.v1.Health", "grpc.reflection.v1alpha.ServerReflection");
      assertThat(ReflectionListing.v1alpha(channel))
          .containsExactlyInAnyOrderElementsOf(ReflectionListing.v1(channel))
          .contains(jp.kofu.proto.issuer.v1.IssuerServiceGrpc.SERVICE_NAME);
    } finally {
      channel.shutdownNow();
    }
  }

  @Test
  void onlyAGatewaysCertificateMayCall() throws Exception {
    Path notAGateway = Files.createTempDirectory("kofu-not-gateway-");
    pki.gatewayServer().writeTo(notAGateway);
    Path trust = notAGateway.resolve("ca.pem");
    jp.kofu.pki.Pem.write(trust, pki.serviceCa().certificate());
    IssuerAdapter stranger = remote(Map.of("client-certificate", notAGateway.toString(), "trust", trust.toString()));
    try {
      assertThatThrownBy(() -> stranger.resolveCard(query("141003")))
          .isInstanceOfSatisfying(RemoteIssuerException.class, e -> assertThat(e.code()).isEqualTo(Status.Code.UNAUTHENTICATED));
    } finally {
      stranger.close();
    }
  }
}
