package jp.kofu.pki;

import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A certificate with its private key and its chain up to (excluding) the trust anchor: what a
 * signer, a TLS endpoint or a simulated card holds.
 *
 * @param certificate the end-entity certificate
 * @param keyPair its key pair
 * @param intermediates issuing CAs from the issuer upwards, excluding the root
 */
public record HeldCertificate(
    X509Certificate certificate, KeyPair keyPair, List<X509Certificate> intermediates) {

  public HeldCertificate {
    Objects.requireNonNull(certificate, "certificate");
    Objects.requireNonNull(keyPair, "keyPair");
    intermediates = List.copyOf(intermediates);
  }

  public PrivateKey privateKey() {
    return keyPair.getPrivate();
  }

  /** The certificate followed by its intermediates: what a TLS endpoint presents. */
  public List<X509Certificate> chain() {
    List<X509Certificate> chain = new ArrayList<>(intermediates.size() + 1);
    chain.add(certificate);
    chain.addAll(intermediates);
    return chain;
  }

  public String serialHex() {
    return X509.serialHex(certificate);
  }

  /** Writes {@code cert.pem} (with the chain) and {@code key.pem} into {@code dir}. */
  public void writeTo(Path dir) {
    Pem.write(dir.resolve("cert.pem"), chain().toArray());
    Pem.write(dir.resolve("key.pem"), keyPair.getPrivate());
  }

  /** Reads what {@link #writeTo} wrote. */
  public static HeldCertificate readFrom(Path dir) {
    List<X509Certificate> chain = Pem.certificates(dir.resolve("cert.pem"));
    if (chain.isEmpty()) {
      throw new IllegalArgumentException(dir.resolve("cert.pem") + ": no certificate");
    }
    X509Certificate cert = chain.get(0);
    KeyPair keys = Pem.keyPair(dir.resolve("key.pem"), cert.getPublicKey());
    return new HeldCertificate(cert, keys, chain.subList(1, chain.size()));
  }
}
