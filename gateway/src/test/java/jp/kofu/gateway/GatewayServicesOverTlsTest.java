package jp.kofu.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import jp.kofu.gateway.embedded.EmbeddedWorld;
import jp.kofu.issuer.remote.ReflectionListing;
import jp.kofu.proto.kiosk.v1.KioskServiceGrpc;
import jp.kofu.proto.kiosk.v1.OpenSessionRequest;
import jp.kofu.proto.type.v1.Reason;
import jp.kofu.testing.WholeWorld;
import org.junit.jupiter.api.Test;

/** Health, reflection, the kiosk listener's mutual TLS, and graceful shutdown, over real TLS. */
@WholeWorld
class GatewayServicesOverTlsTest {
  /** A channel to the kiosk listener that presents a copier's terminal certificate. */
  static ManagedChannel asCopier(EmbeddedWorld world) throws Exception {
    return presenting(world, world.pki().terminal("test-chain", "store-1", "probe"));
  }

  static ManagedChannel presenting(EmbeddedWorld world, jp.kofu.pki.HeldCertificate client) throws Exception {
    return NettyChannelBuilder.forAddress(world.address())
        .sslContext(
            GrpcSslContexts.forClient()
                .keyManager(client.privateKey(), client.chain().toArray(java.security.cert.X509Certificate[]::new))
                .trustManager(world.pki().serviceCa().certificate())
                .build())
        .build();
  }

  static ManagedChannel withoutClientCertificate(EmbeddedWorld world, java.net.InetSocketAddress address) throws Exception {
    return NettyChannelBuilder.forAddress(address)
        .sslContext(GrpcSslContexts.forClient().trustManager(world.pki().serviceCa().certificate()).build())
        .build();
  }

  @Test
  void theKioskListenerIsMutualTlsOnlyAndAnswersHealthAndReflectionToCopiers() throws Exception {
    try (EmbeddedWorld world = EmbeddedWorld.startTemporary()) {
      ManagedChannel anonymous = withoutClientCertificate(world, world.address());
      ManagedChannel channel = asCopier(world);
      // Without a terminal certificate nothing gets past the handshake, not even health.
      assertThatThrownBy(() -> HealthGrpc.newBlockingStub(anonymous).withDeadlineAfter(30, TimeUnit.SECONDS).check(HealthCheckRequest.getDefaultInstance()))
          .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
      anonymous.shutdownNow();
      // A certificate of the terminal CA that names no store gets past it, and is refused with its reason.
      ManagedChannel nameless =
          presenting(
              world,
              world.pki().terminalCa().issue(new org.bouncycastle.asn1.x500.X500Name("O=test-chain,CN=no-store"), jp.kofu.pki.CertificateAuthority.Profile.TERMINAL,
                  java.time.Duration.ofDays(30), List.of()));
      try {
        assertThat(HealthGrpc.newBlockingStub(channel).check(HealthCheckRequest.newBuilder().setService(KioskServiceGrpc.SERVICE_NAME).build()).getStatus())
            .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);

        List<String> services = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        StreamObserver<ServerReflectionRequest> requests =
            ServerReflectionGrpc.newStub(channel)
                .serverReflectionInfo(
                    new StreamObserver<>() {
                      @Override
                      public void onNext(ServerReflectionResponse r) {
                        r.getListServicesResponse().getServiceList().forEach(s -> services.add(s.getName()));
                      }

                      @Override
                      public void onError(Throwable t) {
                        done.countDown();
                      }

                      @Override
                      public void onCompleted() {
                        done.countDown();
                      }
                    });
        requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
        requests.onCompleted();
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(services).contains(KioskServiceGrpc.SERVICE_NAME, "grpc.health.v1.Health")
            .doesNotContain(jp.kofu.proto.verify.v1.VerificationServiceGrpc.SERVICE_NAME);
        // Tools that speak only v1alpha (grpcui, older Postman) list the same services.
        assertThat(ReflectionListing.v1alpha(channel))
            .contains(
                KioskServiceGrpc.SERVICE_NAME,
                "grpc.reflection.v1.ServerReflection",
                "grpc.reflection.v1alpha.ServerReflection")
            .containsExactlyInAnyOrderElementsOf(ReflectionListing.v1(channel));

        assertThatThrownBy(() -> KioskServiceGrpc.newBlockingStub(nameless).openSession(OpenSessionRequest.getDefaultInstance()))
            .isInstanceOfSatisfying(
                StatusRuntimeException.class,
                e -> {
                  assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
                  assertThat(jp.kofu.proto.KofuErrors.reasonOf(e)).isEqualTo(Reason.TERMINAL_UNTRUSTED);
                  assertThat(jp.kofu.proto.KofuErrors.detail(e, com.google.rpc.LocalizedMessage.class).getMessage())
                      .isEqualTo("この端末は現在ご利用いただけません。");
                });
        // The copier chooses the language of the display text with accept-language.
        io.grpc.Metadata english = new io.grpc.Metadata();
        english.put(io.grpc.Metadata.Key.of("accept-language", io.grpc.Metadata.ASCII_STRING_MARSHALLER), "en-US,ja;q=0.5");
        assertThatThrownBy(
                () -> KioskServiceGrpc.newBlockingStub(nameless)
                    .withInterceptors(io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(english))
                    .openSession(OpenSessionRequest.getDefaultInstance()))
            .isInstanceOfSatisfying(
                StatusRuntimeException.class,
                e -> assertThat(jp.kofu.proto.KofuErrors.detail(e, com.google.rpc.LocalizedMessage.class))
                    .isEqualTo(com.google.rpc.LocalizedMessage.newBuilder().setLocale("en").setMessage("This machine is out of service.").build()));
      } finally {
        channel.shutdownNow();
        nameless.shutdownNow();
      }
    }
  }

  @Test
  void verificationHasAListenerOfItsOwnWithTlsAndNoClientCertificateAndNothingOfTheKiosk() throws Exception {
    try (EmbeddedWorld world = EmbeddedWorld.startTemporary()) {
      assertThat(world.gateway().verificationGrpcAddress().getPort()).isNotEqualTo(world.address().getPort());
      ManagedChannel pub = withoutClientCertificate(world, world.gateway().verificationGrpcAddress());
      ManagedChannel kiosk = asCopier(world);
      try {
        String verify = jp.kofu.proto.verify.v1.VerificationServiceGrpc.SERVICE_NAME;
        assertThat(HealthGrpc.newBlockingStub(pub).check(HealthCheckRequest.newBuilder().setService(verify).build()).getStatus())
            .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
        jp.kofu.proto.verify.v1.VerifyRequest unknown = jp.kofu.proto.verify.v1.VerifyRequest.newBuilder().setCode("ABCD-EFGH-JKMN").build();
        assertThatThrownBy(() -> jp.kofu.proto.verify.v1.VerificationServiceGrpc.newBlockingStub(pub).verify(unknown))
            .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(jp.kofu.proto.KofuErrors.reasonOf(e)).isEqualTo(Reason.VERIFICATION_CODE_UNKNOWN));
        // Neither service on the other's listener.
        assertThatThrownBy(() -> KioskServiceGrpc.newBlockingStub(pub).openSession(OpenSessionRequest.getDefaultInstance()))
            .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED));
        assertThatThrownBy(() -> jp.kofu.proto.verify.v1.VerificationServiceGrpc.newBlockingStub(kiosk).verify(unknown))
            .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED));
      } finally {
        pub.shutdownNow();
        kiosk.shutdownNow();
      }
    }
  }

  @Test
  void closingTurnsHealthNotServingAndRefusesNewCalls() throws Exception {
    EmbeddedWorld world = EmbeddedWorld.startTemporary();
    ManagedChannel channel = asCopier(world);
    try {
      HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel);
      assertThat(health.check(HealthCheckRequest.getDefaultInstance()).getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
      world.close();
      assertThatThrownBy(() -> health.withDeadlineAfter(5, TimeUnit.SECONDS).check(HealthCheckRequest.getDefaultInstance()))
          .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    } finally {
      channel.shutdownNow();
    }
  }
}
