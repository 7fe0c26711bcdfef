package jp.kofu.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import jp.kofu.gateway.error.KofuException;
import jp.kofu.gateway.revocation.RevocationSettings;
import jp.kofu.pki.Pem;
import jp.kofu.pki.ocsp.OcspResponder;
import jp.kofu.proto.type.v1.Reason;
import jp.kofu.sim.card.SimulatedCard;
import jp.kofu.sim.copier.Copier;
import jp.kofu.testing.Refusals;
import org.bouncycastle.asn1.x509.CRLReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A card revoked after a move stops working within the documented staleness, by CRL and by OCSP;
 * and when revocation information cannot be had fresh enough, the gateway fails closed. Time moves
 * on an injected clock: nothing sleeps.
 */
class CardRevocationTest {
  static final Duration STALENESS = Duration.ofMinutes(5);
  static final Duration REFRESH = Duration.ofMinutes(1);
  @RegisterExtension static final GatewayBench bench = GatewayBench.inProcess();

  static RevocationSettings settings(RevocationSettings.Mode mode) {
    return (mode == RevocationSettings.Mode.OCSP ? bench.ocsp() : bench.crl()).withStaleness(STALENESS, REFRESH);
  }

  static Reason authenticate(Copier copier, SimulatedCard card) {
    try {
      copier.authenticate(copier.openSession(), card, "1234");
      return null;
    } catch (StatusRuntimeException e) {
      return KofuException.reasonOf(e);
    } catch (SimulatedCard.PinException e) {
      throw new AssertionError(e);
    }
  }

  @ParameterizedTest
  @EnumSource(RevocationSettings.Mode.class)
  void aCardRevokedAfterAMoveIsRefusedWithinTheMaximumStaleness(RevocationSettings.Mode mode) {
    Gateway gateway = bench.start(b -> b.revocation(settings(mode)));
    Copier copier = bench.copier(gateway, "revocation-" + mode);
    SimulatedCard card = bench.card();
    SimulatedCard neighbour = bench.card();
    assertThat(authenticate(copier, card)).isNull();
    assertThat(authenticate(copier, neighbour)).isNull();

    bench.pki.revoke(card.certificate(), CRLReason.affiliationChanged);

    // Inside the window the gateway still acts on what it fetched before the move (documented).
    assertThat(authenticate(copier, card)).isNull();
    bench.clock.forward(STALENESS.plusSeconds(1));
    try {
      StatusRuntimeException e = refusal(copier, card);
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
      assertThat(KofuException.reasonOf(e)).isEqualTo(Reason.CARD_REVOKED);
      assertThat(e.getStatus().getDescription()).contains("revoked");
      assertThat(authenticate(copier, neighbour)).as("other cards are unaffected").isNull();
    } finally {
      bench.clock.back(STALENESS.plusSeconds(1));
    }
  }

  @Test
  void byCrlTheWindowIsOneRefreshInterval() {
    Gateway gateway = bench.start(b -> b.revocation(settings(RevocationSettings.Mode.CRL)));
    Copier copier = bench.copier(gateway, "revocation-refresh");
    SimulatedCard card = bench.card();
    assertThat(authenticate(copier, card)).isNull();

    bench.pki.revoke(card.certificate(), CRLReason.affiliationChanged);
    bench.clock.forward(REFRESH);
    try {
      assertThat(authenticate(copier, card)).isEqualTo(Reason.CARD_REVOKED);
    } finally {
      bench.clock.back(REFRESH);
    }
  }

  @ParameterizedTest
  @EnumSource(RevocationSettings.Mode.class)
  void whenRevocationCannotBeHadFreshTheGatewayFailsClosed(RevocationSettings.Mode mode) {
    // A revocation service of its own, which the test then takes away.
    OcspResponder doomed = OcspResponder.start(bench.pki, new InetSocketAddress("127.0.0.1", 0));
    // Copiers stay checkable (the bench's terminal CA CRL): only the cards' revocation goes away.
    List<URI> crls = List.of(doomed.crlUri(bench.pki.cardCa()), doomed.crlUri(bench.pki.smartphoneCa()), bench.responder.crlUri(bench.pki.terminalCa()));
    RevocationSettings s =
        (mode == RevocationSettings.Mode.OCSP ? RevocationSettings.ocsp(doomed.ocspUri(), crls) : RevocationSettings.crl(crls))
            .withStaleness(STALENESS, REFRESH);
    Gateway gateway = bench.start(b -> b.revocation(s));
    Copier copier = bench.copier(gateway, "fail-closed-" + mode);
    SimulatedCard card = bench.card();
    assertThat(authenticate(copier, card)).isNull();

    doomed.close();
    bench.clock.forward(STALENESS.plusSeconds(1));
    try {
      StatusRuntimeException e = refusal(copier, card);
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(KofuException.reasonOf(e)).isEqualTo(Reason.REVOCATION_UNAVAILABLE);
      assertThat(e.getStatus().getDescription())
          .contains(mode == RevocationSettings.Mode.OCSP ? "OCSP responder" : "User Certification CA")
          .contains("failing closed");
    } finally {
      bench.clock.back(STALENESS.plusSeconds(1));
    }
  }

  @Test
  void crlsCanComeFromFilesAndAFileNotRepublishedGoesStale(@TempDir Path dir) throws Exception {
    Path cardCrl = dir.resolve("card-ca.crl.pem");
    Path terminalCrl = dir.resolve("terminal-ca.crl.pem");
    Files.writeString(cardCrl, Pem.encode(bench.pki.cardCa().crl(Duration.ofDays(1))));
    Files.writeString(terminalCrl, Pem.encode(bench.pki.terminalCa().crl(Duration.ofDays(1))));
    Gateway gateway =
        bench.start(b -> b.revocation(RevocationSettings.crl(List.of(cardCrl.toUri(), terminalCrl.toUri())).withStaleness(STALENESS, REFRESH)));
    Copier copier = bench.copier(gateway, "crl-files");
    SimulatedCard card = bench.card();
    assertThat(authenticate(copier, card)).isNull();

    bench.clock.forward(STALENESS.plusSeconds(1));
    try {
      // Nobody re-signed the files: everything the gateway checks by CRL is refused, copiers too.
      StatusRuntimeException e = refusal(copier, card);
      assertThat(KofuException.reasonOf(e)).isEqualTo(Reason.REVOCATION_UNAVAILABLE);
      assertThat(e.getStatus().getDescription()).contains("old").contains("max-staleness");

      bench.pki.revoke(card.certificate(), CRLReason.affiliationChanged);
      Files.writeString(cardCrl, Pem.encode(bench.pki.cardCa().crl(Duration.ofDays(1))));
      Files.writeString(terminalCrl, Pem.encode(bench.pki.terminalCa().crl(Duration.ofDays(1))));
      bench.clock.forward(REFRESH);
      assertThat(authenticate(copier, card)).isEqualTo(Reason.CARD_REVOKED);
      assertThat(authenticate(copier, bench.card())).isNull();
    } finally {
      bench.clock.back(STALENESS.plusSeconds(1).plus(REFRESH));
    }
  }

  @Test
  void aSmartphoneCredentialIsCheckedAgainstItsOwnCa() {
    Gateway gateway = bench.start(b -> b.revocation(settings(RevocationSettings.Mode.OCSP)));
    Copier copier = bench.copier(gateway, "smartphone");
    SimulatedCard phone = bench.smartphone();
    assertThat(authenticate(copier, phone)).isNull();

    bench.pki.revoke(phone.certificate(), CRLReason.superseded);
    bench.clock.forward(STALENESS.plusSeconds(1));
    try {
      assertThat(authenticate(copier, phone)).isEqualTo(Reason.CARD_REVOKED);
    } finally {
      bench.clock.back(STALENESS.plusSeconds(1));
    }
  }

  static StatusRuntimeException refusal(Copier copier, SimulatedCard card) {
    return Refusals.refusal(() -> copier.authenticate(copier.openSession(), card, "1234"));
  }
}
