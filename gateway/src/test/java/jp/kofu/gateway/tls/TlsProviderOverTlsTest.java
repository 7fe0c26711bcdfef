package jp.kofu.gateway.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.OpenSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.security.cert.X509Certificate;
import java.util.List;
import jp.kofu.gateway.KofuWorld;
import jp.kofu.grpc.TlsProvider;
import jp.kofu.pki.HeldCertificate;
import jp.kofu.proto.kiosk.v1.IssuanceState;
import jp.kofu.proto.type.v1.CertificateRequest;
import jp.kofu.proto.type.v1.CertificateType;
import jp.kofu.sim.card.CardWallet;
import jp.kofu.sim.copier.Copier;
import jp.kofu.testing.FakeClock;
import jp.kofu.testing.WholeWorld;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Both TLS implementations (tls.provider) carry a whole issuance over real sockets: the gateway's
 * listener on one, the copier's channel on the same or the other, mutual TLS either way.
 */
@WholeWorld
class TlsProviderOverTlsTest {
  @Test
  void boringSslLoadsOnThisPlatformSoAutoMeansIt() {
    // The build ships netty-tcnative for linux-x86_64; elsewhere auto falls back to the JDK's.
    assumeThat(System.getProperty("os.name") + "/" + System.getProperty("os.arch")).isEqualTo("Linux/amd64");
    assertThat(TlsProvider.openSslAvailable()).isTrue();
    assertThat(TlsProvider.AUTO.sslProvider()).isEqualTo(SslProvider.OPENSSL);
  }

  @Test
  void eachProviderBuildsItsOwnKindOfContext() throws Exception {
    assumeThat(TlsProvider.openSslAvailable()).isTrue();
    HeldCertificate cert = jp.kofu.pki.TrustWorld.generate().gatewayServer();
    X509Certificate[] chain = cert.chain().toArray(X509Certificate[]::new);
    SslContext jdk = TlsProvider.JDK.configure(SslContextBuilder.forServer(cert.privateKey(), chain)).build();
    SslContext openssl = TlsProvider.OPENSSL.configure(SslContextBuilder.forServer(cert.privateKey(), chain)).build();
    assertThat(jdk).isInstanceOf(JdkSslContext.class);
    assertThat(openssl).isInstanceOf(OpenSslContext.class);
    // gRPC's HTTP/2 over both: ALPN offers h2.
    assertThat(jdk.applicationProtocolNegotiator().protocols()).contains("h2");
    assertThat(openssl.applicationProtocolNegotiator().protocols()).contains("h2");
  }

  @Test
  void aMisspeltProviderIsRefusedWithTheValuesExpected() {
    assertThat(TlsProvider.parse(null)).isEqualTo(TlsProvider.AUTO);
    assertThat(TlsProvider.parse(" OpenSSL ")).isEqualTo(TlsProvider.OPENSSL);
    assertThatThrownBy(() -> TlsProvider.parse("boringssl"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("'boringssl' (expected: auto, jdk or openssl)");
  }

  @ParameterizedTest(name = "gateway {0}, copier {1}")
  // Each provider on each side, the pairs mixed: a copier does not choose the gateway's TLS.
  @CsvSource({"OPENSSL, JDK", "JDK, OPENSSL"})
  void aWholeIssuanceOverEitherProvider(TlsProvider server, TlsProvider client) throws Exception {
    assumeThat(TlsProvider.openSslAvailable()).isTrue();
    try (KofuWorld world = KofuWorld.embedded().clock(FakeClock.inServiceHours()).gateway((b, responder) -> b.tlsProvider(server)).start()) {
      CardWallet.Entry entry = world.eligibleCards(1).get(0);
      var pki = world.pki();
      try (Copier copier =
          new Copier(
              world.address(), pki.terminal("test-chain", "store-1", "tls-" + server + "-" + client), pki.serviceCa().certificate(),
              List.of(pki.municipalCa().certificate()), client)) {
        Copier.Outcome outcome =
            copier.issueOnce(
                world.wallet().card(entry.residentId()),
                entry.pin(),
                entry.municipalityCode(),
                CertificateRequest.newBuilder().setType(CertificateType.CERTIFICATE_TYPE_RESIDENCE).setCopies(1).build());
        assertThat(outcome.delivery().getState()).isEqualTo(IssuanceState.ISSUANCE_STATE_DELIVERED);
        assertThat(outcome.verified().municipalityCode()).isEqualTo(entry.municipalityCode());
      }
      assertThat(world.gateway().tlsImplementation()).isEqualTo(server.sslProvider());
    }
  }
}
