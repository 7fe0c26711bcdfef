package jp.kofu.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jp.kofu.pki.ocsp.OcspResponder;
import org.bouncycastle.asn1.x509.CRLReason;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trust world checked by an independent implementation: OpenSSL verifies every chain (with
 * CRLs), sees revocations in the CRL files, and asks the OCSP responder. Skipped where there is no
 * {@code openssl}.
 */
class TrustWorldOpensslTest {
  @TempDir static Path dir;
  static TrustWorld world;

  @BeforeAll
  static void create() {
    assumeTrue(openssl("version").exit == 0, "openssl is not installed");
    world = TrustWorld.openOrCreate(dir);
    world.gatewayServer();
    world.gatewayClient();
    world.issuerServer();
    world.terminal("kofu-mart", "store-0001", "copier-01");
    world.municipalSigner("131016", "東京都千代田区");
    world.ocspAuthorities().forEach(world::ocspResponder);
    world.publishCrls();
  }

  @Test
  void everyChainOfTheWorldVerifiesWithItsCrls() throws IOException {
    Path card = write("card.pem", world.newCard().chain());
    Path phone = write("phone.pem", world.newSmartphoneCredential().chain());
    Path cardChain = concat("card-chain.pem", "card/root/cert.pem", "card/user-ca/cert.pem");
    Path phoneChain = concat("phone-chain.pem", "card/root/cert.pem", "card/smartphone-ca/cert.pem");
    Path cardCrls = concat("card-crls.pem", "card/root/crl.pem", "card/user-ca/crl.pem");
    Path phoneCrls = concat("phone-crls.pem", "card/root/crl.pem", "card/smartphone-ca/crl.pem");

    List<List<String>> checks =
        List.of(
            verify("municipal/ca/cert.pem", "municipal/ca/crl.pem", "municipal/signers/131016/cert.pem"),
            verify("terminal/ca/cert.pem", "terminal/ca/crl.pem", "terminal/copiers/kofu-mart/store-0001/copier-01/cert.pem"),
            verify("service/ca/cert.pem", "service/ca/crl.pem", "service/gateway/cert.pem"),
            verify("service/ca/cert.pem", "service/ca/crl.pem", "service/gateway-client/cert.pem"),
            verify("service/ca/cert.pem", "service/ca/crl.pem", "service/issuer/cert.pem"),
            verify(cardChain.toString(), cardCrls.toString(), card.toString()),
            verify(phoneChain.toString(), phoneCrls.toString(), phone.toString()),
            verify(cardChain.toString(), cardCrls.toString(), "ocsp/card-ca/cert.pem"),
            verify(phoneChain.toString(), phoneCrls.toString(), "ocsp/smartphone-ca/cert.pem"),
            verify("card/root/cert.pem", "card/root/crl.pem", "card/user-ca/cert.pem"),
            verify("card/root/cert.pem", "card/root/crl.pem", "card/smartphone-ca/cert.pem"));
    for (List<String> args : checks) {
      Result r = openssl(args.toArray(String[]::new));
      assertThat(r.out).as(String.join(" ", args)).contains(": OK");
      assertThat(r.exit).as(r.out).isZero();
    }
  }

  @Test
  void aRevokedCertificateFailsOpensslCrlCheck() throws IOException {
    HeldCertificate terminal = world.terminal("kofu-mart", "store-0002", "copier-09");
    world.revokeTerminal("kofu-mart", "store-0002", "copier-09", CRLReason.keyCompromise);

    Result r = openssl(verify("terminal/ca/cert.pem", "terminal/ca/crl.pem", "terminal/copiers/kofu-mart/store-0002/copier-09/cert.pem").toArray(String[]::new));

    assertThat(r.exit).isNotZero();
    assertThat(r.out).contains("certificate revoked");
    assertThat(terminal.certificate().getSerialNumber()).isNotNull();
  }

  @Test
  void opensslAsksTheOcspResponderAndSeesARevocationMadeByAnotherProcess() throws IOException {
    HeldCertificate held = world.newCard();
    Path card = write("ocsp-card.pem", List.of(held.certificate()));
    try (OcspResponder responder = OcspResponder.start(world, new InetSocketAddress("127.0.0.1", 0))) {
      String[] ask = {
        "ocsp", "-url", responder.ocspUri().toString(), "-issuer", dir.resolve("card/user-ca/cert.pem").toString(),
        "-cert", card.toString(), "-CAfile", dir.resolve("card/root/cert.pem").toString()
      };
      Result good = openssl(ask);
      assertThat(good.out).contains("Response verify OK").contains(card + ": good");

      // Another process (./kofu pki revoke) opens the same directory and revokes the card.
      TrustWorld.openOrCreate(dir).revoke(held.certificate(), CRLReason.affiliationChanged);

      Result revoked = openssl(ask);
      assertThat(revoked.out).contains("Response verify OK").contains(card + ": revoked").contains("affiliationChanged");
    }
  }

  private static List<String> verify(String caFile, String crlFile, String cert) {
    return List.of("verify", "-crl_check_all", "-CAfile", resolve(caFile), "-CRLfile", resolve(crlFile), resolve(cert));
  }

  private static String resolve(String p) {
    return p.startsWith("/") ? p : dir.resolve(p).toString();
  }

  private static Path write(String name, List<java.security.cert.X509Certificate> certs) {
    Path p = dir.resolve("tmp").resolve(name);
    Pem.write(p, certs.subList(0, 1).toArray());
    return p;
  }

  private static Path concat(String name, String... files) throws IOException {
    StringBuilder b = new StringBuilder();
    for (String f : files) {
      b.append(Files.readString(dir.resolve(f), StandardCharsets.US_ASCII));
    }
    Path p = dir.resolve("tmp").resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, b.toString(), StandardCharsets.US_ASCII);
    return p;
  }

  private record Result(int exit, String out) {}

  private static Result openssl(String... args) {
    List<String> command = new ArrayList<>();
    command.add("openssl");
    command.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(-1, out);
      }
      return new Result(p.exitValue(), out);
    } catch (IOException e) {
      return new Result(-1, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-1, "interrupted");
    }
  }
}
