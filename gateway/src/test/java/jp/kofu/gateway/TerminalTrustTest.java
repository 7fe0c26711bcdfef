package jp.kofu.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.List;
import jp.kofu.gateway.error.KofuException;
import jp.kofu.pki.CertificateAuthority;
import jp.kofu.pki.HeldCertificate;
import jp.kofu.proto.kiosk.v1.OpenSessionRequest;
import jp.kofu.proto.type.v1.Reason;
import jp.kofu.sim.copier.Copier;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.CRLReason;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Copiers: only a certificate of the store-terminal CA gets through the handshake; one that is
 * revoked, or names no store, is refused at its first call; and the gateway's log says why.
 */
class TerminalTrustTest {
  @RegisterExtension static final GatewayBench bench = new GatewayBench();
  static Gateway gateway;

  @BeforeAll
  static void start() {
    gateway = bench.start(b -> {});
  }

  @Test
  void aCopierOfAnotherCaIsRefusedAtTheHandshakeAndTheLogSaysWhy() {
    // A CA that took the terminal CA's name, with its own key: the copier's TLS offers its
    // certificate (the name matches), and the gateway refuses it.
    HeldCertificate stranger =
        CertificateAuthority.newRoot(
                "rogue",
                org.bouncycastle.asn1.x500.X500Name.getInstance(bench.pki.terminalCa().certificate().getSubjectX500Principal().getEncoded()),
                Duration.ofDays(30),
                bench.clock)
            .issue(new org.bouncycastle.asn1.x500.X500Name("O=rogue-chain,OU=store-x,CN=copier-x"), CertificateAuthority.Profile.TERMINAL, Duration.ofDays(30), List.of());
    Copier copier = bench.copier(gateway, stranger);

    try (LogCapture logs = LogCapture.at(ch.qos.logback.classic.Level.INFO)) {
      assertThatThrownBy(copier::openSession)
          .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
      assertThat(logs.text())
          .contains("refused a copier's TLS handshake")
          .contains("CN=copier-x,OU=store-x,O=rogue-chain")
          .contains("does not chain to the store-terminal CA");
    }
  }

  @Test
  void aTerminalCaCertificateThatIsNotForClientsIsRefusedAtTheHandshake() {
    HeldCertificate server =
        bench.pki.terminalCa().issue(
            new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "test-chain").addRDN(BCStyle.OU, "store-1").addRDN(BCStyle.CN, "server").build(),
            CertificateAuthority.Profile.MUNICIPAL_SIGNING,
            Duration.ofDays(30),
            List.of());
    Copier copier = bench.copier(gateway, server);

    try (LogCapture logs = LogCapture.at(ch.qos.logback.classic.Level.INFO)) {
      assertThatThrownBy(copier::openSession).isInstanceOf(StatusRuntimeException.class);
      assertThat(logs.text()).contains("is not a TLS client certificate");
    }
  }

  @Test
  void noClientCertificateDoesNotGetPastTheHandshake() {
    // The kiosk listener is mutual TLS only (ClientAuth.REQUIRE): no call is ever read.
    StatusRuntimeException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            StatusRuntimeException.class, () -> bench.anonymous(gateway).openSession(OpenSessionRequest.getDefaultInstance()));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(KofuException.reasonOf(e)).isNull();
  }

  @Test
  void aCertificateThatNamesNoStoreIsTerminalUntrusted() {
    HeldCertificate nameless =
        bench.pki.terminalCa().issue(
            new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "test-chain").addRDN(BCStyle.CN, "no-store").build(),
            CertificateAuthority.Profile.TERMINAL,
            Duration.ofDays(30),
            List.of());

    StatusRuntimeException e =
        org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class, () -> bench.copier(gateway, nameless).openSession());

    assertThat(KofuException.reasonOf(e)).isEqualTo(Reason.TERMINAL_UNTRUSTED);
    assertThat(e.getStatus().getDescription()).contains("store chain (O), store (OU) and terminal (CN)");
  }

  @Test
  void aCopierRevokedWhileConnectedIsRefusedAtItsNextCallAndTheLogNamesTheTerminalCaCrl() {
    Copier copier = bench.copier(gateway, "to-be-revoked");
    Copier neighbour = bench.copier(gateway, "neighbour");
    copier.openSession();
    HeldCertificate cert = bench.pki.terminal("test-chain", "store-1", "to-be-revoked");

    bench.pki.revokeTerminal("test-chain", "store-1", "to-be-revoked", CRLReason.keyCompromise);
    bench.clock.forward(Duration.ofMinutes(1)); // one CRL refresh
    try (LogCapture logs = LogCapture.at(ch.qos.logback.classic.Level.INFO)) {
      StatusRuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class, copier::openSession);

      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
      assertThat(KofuException.reasonOf(e)).isEqualTo(Reason.TERMINAL_REVOKED);
      assertThat(logs.text())
          .contains("refused a kiosk call")
          .contains("terminal certificate serial " + cert.serialHex() + " was revoked")
          .contains("KEY_COMPROMISE")
          .contains("per the terminal CA's CRL");
      assertThat(neighbour.openSession().getChallenge().size()).as("other copiers go on").isEqualTo(64);
    } finally {
      bench.clock.back(Duration.ofMinutes(1));
    }
  }
}
