package jp.kofu.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A vendor's CSR, made with OpenSSL as a vendor would, enrolled in the development trust world:
 * the certificate names the copier as the gateway reads it and OpenSSL verifies it against the
 * store-terminal CA; requests the terminal trust could not use are refused with a reason.
 */
class TerminalEnrollmentTest {
  @TempDir Path dir;
  TrustWorld world;

  @BeforeEach
  void create() {
    world = TrustWorld.openOrCreate(dir);
  }

  @Test
  void anOpensslCsrBecomesACopierCertificateThatOpensslVerifies() throws Exception {
    assumeTrue(run("openssl", "version").exit == 0, "openssl is not installed");
    Path key = dir.resolve("vendor.key");
    Path csr = dir.resolve("vendor.csr");
    assertThat(run("openssl", "req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(), "-out", csr.toString(),
        "-subj", "/C=JP/O=acme-copiers/OU=store-0042/CN=mfp-07").exit).isZero();

    TerminalEnrollment.Enrolled e = TerminalEnrollment.enroll(world, Files.readAllBytes(csr), false);

    assertThat(e.certificateFile()).isEqualTo(dir.resolve("terminal/copiers/acme-copiers/store-0042/mfp-07/cert.pem"));
    assertThat(dir.resolve("terminal/copiers/acme-copiers/store-0042/mfp-07/key.pem")).doesNotExist();
    X509Certificate cert = e.certificate();
    assertThat(X509.subjectAttribute(cert, org.bouncycastle.asn1.x500.style.BCStyle.O)).isEqualTo("acme-copiers");
    assertThat(X509.subjectAttribute(cert, org.bouncycastle.asn1.x500.style.BCStyle.OU)).isEqualTo("store-0042");
    assertThat(X509.subjectAttribute(cert, org.bouncycastle.asn1.x500.style.BCStyle.CN)).isEqualTo("mfp-07");
    assertThat(cert.getExtendedKeyUsage()).containsExactly(KeyPurposeId.id_kp_clientAuth.getId());
    cert.verify(world.terminalCa().certificate().getPublicKey());

    Result verify = run("openssl", "verify", "-purpose", "sslclient", "-CAfile", dir.resolve("terminal/ca/cert.pem").toString(), e.certificateFile().toString());
    assertThat(verify.exit).as(verify.out).isZero();
    // The certificate is for the vendor's key: it matches the private key only the vendor holds.
    Result certKey = run("openssl", "x509", "-in", e.certificateFile().toString(), "-noout", "-pubkey");
    Result ownKey = run("openssl", "pkey", "-in", key.toString(), "-pubout");
    assertThat(certKey.out).isEqualTo(ownKey.out);

    // Enrolled twice: refused, unless replaced, which revokes the first.
    assertThatThrownBy(() -> TerminalEnrollment.enroll(world, Files.readAllBytes(csr), false))
        .isInstanceOf(TerminalEnrollment.RefusedException.class)
        .hasMessageContaining("already enrolled");
    TerminalEnrollment.Enrolled again = TerminalEnrollment.enroll(world, Files.readAllBytes(csr), true);
    assertThat(world.terminalCa().revocation(cert.getSerialNumber())).isNotNull();
    assertThat(world.terminalCa().revocation(again.certificate().getSerialNumber())).isNull();
    // pki revoke --terminal works on an enrolled copier (it has no key.pem here).
    world.revokeTerminal("acme-copiers", "store-0042", "mfp-07", 4);
    assertThat(world.terminalCa().revocation(again.certificate().getSerialNumber())).isNotNull();
  }

  @Test
  void anEcP256CsrIsEnrolledToo() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(256);
    KeyPair keys = g.generateKeyPair();
    byte[] csr = csr(keys, "SHA256withECDSA", "C=JP,O=acme,OU=s1,CN=t1");
    assertThat(TerminalEnrollment.enroll(world, csr, false).certificate().getPublicKey()).isEqualTo(keys.getPublic());
  }

  @Test
  void whatTheTerminalTrustCouldNotUseIsRefused() throws Exception {
    KeyPair rsa = X509.newRsaKeyPair();
    refused(csr(rsa, "SHA256withRSA", "C=JP,O=acme,CN=t1"), "no OU (store)");
    refused(csr(rsa, "SHA256withRSA", "C=JP,O=acme,OU=s1"), "no CN (terminal)");
    refused(csr(rsa, "SHA256withRSA", "C=JP,O=acme,OU=s1,OU=s2,CN=t1"), "OU (store) twice");
    refused(csr(rsa, "SHA256withRSA", "C=JP,O=acme,OU=..,CN=t1"), "expected: 1..64 of");
    refused(csr(rsa, "SHA256withRSA", "C=JP,O=acme,OU=s 1,CN=t1"), "expected: 1..64 of");
    refused(csr(rsa, "SHA256withRSA", "C=US,O=acme,OU=s1,CN=t1"), "C=US");
    refused(csr(rsa, "SHA256withRSA", "C=JP,O=acme,OU=s1,CN=t1,E=a@example.com"), "expected only C=JP, O, OU, CN");
    refused(csr(rsa, "SHA1withRSA", "C=JP,O=acme,OU=s1,CN=t1"), "signature algorithm");
    KeyPairGenerator small = KeyPairGenerator.getInstance("RSA");
    small.initialize(1024);
    refused(csr(small.generateKeyPair(), "SHA256withRSA", "C=JP,O=acme,OU=s1,CN=t1"), "1024 bits");
    refused("not a request".getBytes(StandardCharsets.US_ASCII), "unreadable");

    // Signed by another key than the one it names: no proof of possession.
    byte[] good = csr(rsa, "SHA256withRSA", "C=JP,O=acme,OU=s1,CN=t1");
    byte[] forged = good.clone();
    forged[forged.length - 5] ^= 1; // inside the signature BIT STRING, at the end of the DER
    refused(forged, "does not verify");
    assertThat(dir.resolve("terminal/copiers/acme")).doesNotExist();
    assertThat(TerminalEnrollment.enroll(world, good, false).storeChain()).isEqualTo("acme");
  }

  void refused(byte[] csr, String why) {
    assertThatThrownBy(() -> TerminalEnrollment.enroll(world, csr, false))
        .isInstanceOf(TerminalEnrollment.RefusedException.class)
        .hasMessageContaining(why);
  }

  static byte[] csr(KeyPair keys, String algorithm, String subject) throws Exception {
    return new JcaPKCS10CertificationRequestBuilder(new X500Name(subject), keys.getPublic())
        .build(new JcaContentSignerBuilder(algorithm).build(keys.getPrivate()))
        .getEncoded();
  }

  record Result(int exit, String out) {}

  static Result run(String... command) {
    try {
      Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
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
