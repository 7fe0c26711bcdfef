package jp.kofu.gateway.production;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jp.kofu.gateway.GatewayAssembly;
import jp.kofu.gateway.config.ConfigFile;
import jp.kofu.issuer.JapanTime;
import jp.kofu.issuer.registry.ResidentRegistry;
import jp.kofu.issuer.seed.Seeder;
import jp.kofu.pki.HeldCertificate;
import jp.kofu.pki.Pem;
import jp.kofu.pki.X509;
import jp.kofu.proto.type.v1.CertificateRequest;
import jp.kofu.proto.type.v1.CertificateType;
import jp.kofu.sim.card.SimulatedCard;
import jp.kofu.sim.copier.Copier;
import jp.kofu.storage.Database;
import jp.kofu.testing.FakeClock;
import jp.kofu.testing.WholeWorld;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A production gateway on a PKI an operator made with plain openssl (conf/openssl-pki.sh, the
 * commands docs/OPERATIONS.md walks through), not kofu's development world: a copier with an
 * openssl-made terminal certificate gets a whole issuance over mutual TLS, for a card certified by
 * an openssl-made card CA, signed by an openssl-made municipal signer, checked against CRLs
 * openssl signed. Real sockets.
 */
@WholeWorld
class OpensslPkiOverTlsTest {
  static final String CODE = Seeder.DEMO_MUNICIPALITY;

  @TempDir Path dir;

  static String crlStart;

  @Test
  void aGatewayOnAnOpensslPkiServesAWholeIssuanceOverMutualTls() throws Exception {
    assumeTrue(hasOpenssl(), "openssl is not on the PATH: this test runs the operator's openssl commands");
    Clock clock = FakeClock.runningInServiceHours();
    DateTimeFormatter openssl = DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);
    String start = openssl.format(clock.instant().minus(Duration.ofDays(1)));
    crlStart = openssl.format(clock.instant().minus(Duration.ofMinutes(1)));
    Path pki = dir.resolve("pki");
    run(pki, start, "", CODE);

    // The registry (the municipality's, seeded here for the test) knows cards of the openssl card CA.
    Path issuer = Files.createDirectories(dir.resolve("registry"));
    Path feed = issuer.resolve("card-directory.csv");
    Path wallet = issuer.resolve("cards.csv");
    try (Database db = Database.open(ResidentRegistry.embeddedUrl(issuer), "sa", "", ResidentRegistry.MIGRATIONS, 2)) {
      new Seeder(new ResidentRegistry(db), issuer.resolve("municipalities"), feed, wallet, X509.keyId(Pem.certificate(pki.resolve("card-ca/cert.pem"))))
          .seed(List.of(CODE), 12, 11L, JapanTime.date(clock.instant()));
    }
    List<String[]> cards = new ArrayList<>();
    for (String line : Files.readAllLines(wallet).subList(1, Files.readAllLines(wallet).size())) {
      String[] f = line.split(",");
      if (f[4].equalsIgnoreCase("CARD") && cards.size() < 4) {
        cards.add(f);
      }
    }
    // The card authority's part: card certificates with the registry's serials.
    run(pki, start, String.join(" ", cards.stream().map(c -> c[3]).toList()));

    // The operator's RFC 3161 time-stamping service (B-T signatures), on the openssl-made unit.
    jp.kofu.issuer.timestamp.TimeStampServer tsa =
        jp.kofu.issuer.timestamp.TimeStampServer.start(
            new jp.kofu.issuer.timestamp.TimeStampAuthority(HeldCertificate.readFrom(pki.resolve("tsa")), clock),
            new java.net.InetSocketAddress("127.0.0.1", 0));
    Path file = dir.resolve("gateway.yaml");
    Files.writeString(
        file,
        """
        listen: 127.0.0.1:0
        data: var
        verification: {listen: 127.0.0.1:0}
        tls: {certificate: pki/gateway/cert.pem, key: pki/gateway/key.pem}
        trust:
          card-roots: [pki/card-root/cert.pem]
          card-cas: [pki/card-ca/cert.pem]
          terminal-cas: [pki/terminal-ca/cert.pem]
          municipal-cas: [pki/municipal-ca/cert.pem]
        secrets:
          session: {key-id: session-1, file: pki/secrets/session-1}
          journal: {key-id: journal-1, file: pki/secrets/journal-1}
        revocation:
          cards: crl
          crls: [pki/terminal-ca/crl.pem, pki/card-ca/crl.pem]
        adapters:
          - kind: embedded
            settings: {database-url: "%s", catalog: "%s", signers: "%s", tsa-url: "%s"}
        card-directory:
          kind: feed
          settings: {files: "%s"}
        """
            .formatted(ResidentRegistry.embeddedUrl(issuer), issuer.resolve("municipalities"), pki.resolve("signers"), tsa.uri(), feed));
    ConfigFile config = ConfigFile.load(file, Map.of());
    try (GatewayAssembly gateway = GatewayAssembly.start(config.config(), GatewayAssembly.production().clock(clock));
        Copier copier =
            new Copier(
                gateway.gateway().address(),
                HeldCertificate.readFrom(pki.resolve("copier")),
                Pem.certificate(pki.resolve("service-ca/cert.pem")),
                List.of(Pem.certificate(pki.resolve("municipal-ca/cert.pem"))))) {
      CertificateRequest residence = CertificateRequest.newBuilder().setType(CertificateType.CERTIFICATE_TYPE_RESIDENCE).setCopies(1).build();
      List<String> refused = new ArrayList<>();
      Copier.Outcome outcome = null;
      for (String[] c : cards) {
        HeldCertificate issued = HeldCertificate.readFrom(pki.resolve("cards").resolve(c[3]));
        // The card holds its certificate and its issuing CA's, as a My Number Card does.
        HeldCertificate credential =
            new HeldCertificate(issued.certificate(), issued.keyPair(), List.of(Pem.certificate(pki.resolve("card-ca/cert.pem"))));
        SimulatedCard card = new SimulatedCard(credential, c[5], false);
        try {
          outcome = copier.issueOnce(card, c[5], CODE, residence);
          break;
        } catch (RuntimeException e) {
          refused.add(String.valueOf(e)); // a resident the seed made ineligible (moved out, ...)
        }
      }
      assertThat(outcome).as("refused: %s", refused).isNotNull();
      assertThat(outcome.verified()).isNotNull();
      assertThat(outcome.delivery()).isNotNull();
      assertThat(gateway.gateway().journal().head().seq()).isPositive();
    } finally {
      tsa.close();
    }
  }

  private static boolean hasOpenssl() {
    try {
      return new ProcessBuilder("openssl", "version").redirectErrorStream(true).start().waitFor() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  private static void run(Path pki, String start, String cards, String... codes) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("bash", Path.of("../conf/openssl-pki.sh").toAbsolutePath().normalize().toString(), pki.toString()));
    cmd.addAll(List.of(codes));
    ProcessBuilder b = new ProcessBuilder(cmd).redirectErrorStream(true);
    b.environment().put("KOFU_PKI_START", start);
    b.environment().put("KOFU_PKI_CARDS", cards);
    b.environment().put("KOFU_PKI_CRL_START", crlStart);
    Process p = b.start();
    String output = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(output).isZero();
  }
}
