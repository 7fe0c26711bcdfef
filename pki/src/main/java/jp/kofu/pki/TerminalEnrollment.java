package jp.kofu.pki;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/**
 * Issues a store copier's client certificate for a vendor's own key, from its PKCS#10 request
 * (CSR), in the development trust world: the vendor keeps its private key, kofu never sees it.
 *
 * <p>The request must be signed by the key it names (proof of possession) with SHA-256 or
 * stronger; the key must be RSA of at least 2048 bits or EC on P-256 or P-384; and the subject must
 * name exactly what the gateway's terminal trust reads: the store chain (O), the store (OU) and the
 * terminal (CN), once each, with at most C=JP besides, each 1..64 of {@code [A-Za-z0-9._-]} (it
 * is also a directory name under {@code terminal/copiers/}). The certificate has the store-terminal
 * profile (clientAuth, the store-terminal policy) whatever the request asks for: extensions in a
 * request are ignored.
 */
public final class TerminalEnrollment {
  /** How long an enrolled copier's certificate is valid. */
  public static final Duration VALIDITY = Duration.ofDays(2 * 365);

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final Set<ASN1ObjectIdentifier> SIGNATURES =
      Set.of(
          PKCSObjectIdentifiers.sha256WithRSAEncryption,
          PKCSObjectIdentifiers.sha384WithRSAEncryption,
          PKCSObjectIdentifiers.sha512WithRSAEncryption,
          X9ObjectIdentifiers.ecdsa_with_SHA256,
          X9ObjectIdentifiers.ecdsa_with_SHA384,
          X9ObjectIdentifiers.ecdsa_with_SHA512);

  /** Why a request was refused; the message says what was expected. */
  public static final class RefusedException extends Exception {
    RefusedException(String message) {
      super(message);
    }
  }

  /** What was enrolled: the copier's name and its certificate, written to {@code certificateFile}. */
  public record Enrolled(String storeChain, String store, String terminal, X509Certificate certificate, Path certificateFile) {}

  private TerminalEnrollment() {}

  /** A CSR as PEM ({@code -----BEGIN CERTIFICATE REQUEST-----}) or DER. */
  public static PKCS10CertificationRequest parse(byte[] csr) throws RefusedException {
    try {
      String text = new String(csr, StandardCharsets.US_ASCII);
      if (text.contains("-----BEGIN")) {
        try (PEMParser parser = new PEMParser(new StringReader(text))) {
          Object o = parser.readObject();
          if (o instanceof PKCS10CertificationRequest r) {
            return r;
          }
          throw new RefusedException("not a certificate request (expected: PEM 'CERTIFICATE REQUEST' or DER PKCS#10)");
        }
      }
      return new PKCS10CertificationRequest(csr);
    } catch (IOException | RuntimeException e) {
      throw new RefusedException("unreadable certificate request (expected: PEM 'CERTIFICATE REQUEST' or DER PKCS#10)");
    }
  }

  /**
   * Checks the request and issues its certificate from the world's store-terminal CA, writing it
   * to {@code terminal/copiers/O/OU/CN/cert.pem} (no key.pem: the key stays with the vendor) when
   * the world is kept in a directory; {@link Enrolled#certificateFile()} is null otherwise.
   *
   * @param replace whether an existing copier of that name is replaced (its certificate revoked as
   *     superseded) rather than refused
   */
  public static Enrolled enroll(TrustWorld world, byte[] csr, boolean replace) throws RefusedException {
    PKCS10CertificationRequest request = parse(csr);
    PublicKey key = checkKey(request);
    checkSignature(request);
    String[] name = checkSubject(request.getSubject());
    Path dir =
        world.directory() == null
            ? null
            : world.directory().resolve("terminal/copiers").resolve(name[0]).resolve(name[1]).resolve(name[2]);
    if (dir != null && Files.exists(dir.resolve("cert.pem"))) {
      if (!replace) {
        throw new RefusedException(
            "a copier " + String.join("/", name) + " is already enrolled (expected: a new name, or --replace to revoke and replace it)");
      }
      world.revoke(world.terminalCa(), Pem.certificate(dir.resolve("cert.pem")).getSerialNumber(), org.bouncycastle.asn1.x509.CRLReason.superseded);
    }
    X500Name subject =
        new X500NameBuilder(BCStyle.INSTANCE)
            .addRDN(BCStyle.C, "JP")
            .addRDN(BCStyle.O, name[0])
            .addRDN(BCStyle.OU, name[1])
            .addRDN(BCStyle.CN, name[2])
            .build();
    X509Certificate cert = world.terminalCa().issue(subject, key, CertificateAuthority.Profile.TERMINAL, VALIDITY, List.of());
    if (dir == null) {
      return new Enrolled(name[0], name[1], name[2], cert, null);
    }
    try {
      Files.createDirectories(dir);
      Files.deleteIfExists(dir.resolve("key.pem"));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    Pem.write(dir.resolve("cert.pem"), cert);
    return new Enrolled(name[0], name[1], name[2], cert, dir.resolve("cert.pem"));
  }

  private static PublicKey checkKey(PKCS10CertificationRequest request) throws RefusedException {
    PublicKey key;
    try {
      key = new JcaPKCS10CertificationRequest(request).getPublicKey();
    } catch (Exception e) {
      throw new RefusedException("the request's public key is unreadable");
    }
    if (key instanceof RSAPublicKey rsa) {
      if (rsa.getModulus().bitLength() < 2048) {
        throw new RefusedException("RSA key of " + rsa.getModulus().bitLength() + " bits (expected: at least 2048)");
      }
      return key;
    }
    if (key instanceof ECPublicKey ec) {
      int bits = ec.getParams().getCurve().getField().getFieldSize();
      if (bits != 256 && bits != 384) {
        throw new RefusedException("EC key of " + bits + " bits (expected: P-256 or P-384)");
      }
      return key;
    }
    throw new RefusedException(key.getAlgorithm() + " key (expected: RSA of 2048 bits or more, or EC P-256/P-384)");
  }

  private static void checkSignature(PKCS10CertificationRequest request) throws RefusedException {
    if (!SIGNATURES.contains(request.getSignatureAlgorithm().getAlgorithm())) {
      throw new RefusedException(
          "signature algorithm " + request.getSignatureAlgorithm().getAlgorithm() + " (expected: RSA or ECDSA with SHA-256, -384 or -512)");
    }
    boolean valid;
    try {
      valid = request.isSignatureValid(new JcaContentVerifierProviderBuilder().build(request.getSubjectPublicKeyInfo()));
    } catch (Exception e) {
      valid = false;
    }
    if (!valid) {
      throw new RefusedException("the request's signature does not verify with its own key (expected: signed by the key it names)");
    }
  }

  /** O, OU, CN. */
  private static String[] checkSubject(X500Name subject) throws RefusedException {
    String[] out = new String[3];
    ASN1ObjectIdentifier[] wanted = {BCStyle.O, BCStyle.OU, BCStyle.CN};
    String[] labels = {"O (store chain)", "OU (store)", "CN (terminal)"};
    for (RDN rdn : subject.getRDNs()) {
      if (rdn.isMultiValued()) {
        throw new RefusedException("subject has a multi-valued RDN (expected: C=JP, O, OU, CN, one value each)");
      }
      AttributeTypeAndValue a = rdn.getFirst();
      String value = IETFUtils.valueToString(a.getValue());
      if (a.getType().equals(BCStyle.C)) {
        if (!"JP".equals(value)) {
          throw new RefusedException("subject C=" + value + " (expected: JP, or no C)");
        }
        continue;
      }
      int i = List.of(wanted).indexOf(a.getType());
      if (i < 0) {
        throw new RefusedException("subject attribute " + BCStyle.INSTANCE.oidToDisplayName(a.getType()) + " (expected only C=JP, O, OU, CN)");
      }
      if (out[i] != null) {
        throw new RefusedException("subject has " + labels[i] + " twice");
      }
      if (!NAME.matcher(value).matches()) {
        throw new RefusedException("subject " + labels[i] + " '" + value + "' (expected: 1..64 of A-Z a-z 0-9 . _ -, starting with a letter or digit)");
      }
      out[i] = value;
    }
    for (int i = 0; i < 3; i++) {
      if (out[i] == null) {
        throw new RefusedException("subject has no " + labels[i] + " (expected: O=store chain, OU=store, CN=terminal)");
      }
    }
    return out;
  }
}
