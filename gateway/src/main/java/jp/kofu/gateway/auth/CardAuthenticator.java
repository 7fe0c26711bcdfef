package jp.kofu.gateway.auth;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import jp.kofu.gateway.error.KofuException;
import jp.kofu.issuer.spi.CardRef;
import jp.kofu.pki.KofuOids;
import jp.kofu.pki.X509;
import jp.kofu.proto.type.v1.Reason;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x509.CertificatePolicies;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.PolicyInformation;

/**
 * Checks a card (or smartphone credential) in two steps. {@link #inspect}: the certificate is one
 * DER X.509 certificate of bounded size with an RSA key of 2048..4096 bits, signed with SHA-256 or
 * stronger by a trusted user-certification CA of the claimed kind, marks no extension critical that
 * we do not process, is inside its validity window, and carries digitalSignature on an end-entity
 * certificate with its CA's policy; the signature has the key's length. {@link #verifySignature}:
 * the signature over the challenge verifies (SHA256withRSA, PKCS#1 v1.5). Revocation and lockout
 * are the caller's.
 */
public final class CardAuthenticator {
  /** Larger certificates are refused before parsing. */
  public static final int MAX_CERTIFICATE_BYTES = 4096;

  public static final int MIN_KEY_BITS = 2048;
  public static final int MAX_KEY_BITS = 4096;

  /** Critical extensions a user-certification certificate may carry: the ones checked here. */
  private static final Set<String> UNDERSTOOD_CRITICAL =
      Set.of(Extension.keyUsage.getId(), Extension.basicConstraints.getId(), Extension.certificatePolicies.getId());

  /** Signature algorithms a CA may have signed a card certificate with. */
  private static final Set<String> STRONG_SIGNATURES =
      Set.of(
          "1.2.840.113549.1.1.11", // sha256WithRSAEncryption
          "1.2.840.113549.1.1.12", // sha384WithRSAEncryption
          "1.2.840.113549.1.1.13", // sha512WithRSAEncryption
          "1.2.840.113549.1.1.10"); // RSASSA-PSS

  private final CardTrust trust;
  private final Clock clock;

  public CardAuthenticator(CardTrust trust, Clock clock) {
    this.trust = trust;
    this.clock = clock;
  }

  /** A credential whose certificate passed every check, its signature not yet verified. */
  public record Presented(CardRef ref, X509Certificate certificate, X509Certificate issuer, byte[] signature) {}

  /** Both steps at once. */
  public VerifiedCard authenticate(byte[] certificateDer, byte[] challenge, byte[] signature, CardRef.CredentialKind claimedKind) {
    return verifySignature(inspect(certificateDer, signature, claimedKind), challenge);
  }

  /** Every check of the certificate and of the signature's form; throws with the precise reason. */
  public Presented inspect(byte[] certificateDer, byte[] signature, CardRef.CredentialKind claimedKind) {
    if (certificateDer.length == 0 || certificateDer.length > MAX_CERTIFICATE_BYTES) {
      throw new KofuException(
          Reason.CARD_CERTIFICATE_MALFORMED,
          "card_certificate: " + certificateDer.length + " bytes (expected: 1.." + MAX_CERTIFICATE_BYTES + " bytes of DER)",
          Map.of("field", "card_certificate"));
    }
    X509Certificate cert;
    try {
      cert = X509.parse(certificateDer);
    } catch (CertificateException e) {
      throw new KofuException(
          Reason.CARD_CERTIFICATE_MALFORMED, "card_certificate: not one DER X.509 certificate", Map.of("field", "card_certificate"));
    }
    if (!(cert.getPublicKey() instanceof RSAPublicKey rsa)
        || rsa.getModulus().bitLength() < MIN_KEY_BITS
        || rsa.getModulus().bitLength() > MAX_KEY_BITS) {
      throw new KofuException(
          Reason.CARD_USAGE_INVALID, "card_certificate: expected an RSA key of " + MIN_KEY_BITS + ".." + MAX_KEY_BITS + " bits");
    }
    int expectedLength = (rsa.getModulus().bitLength() + 7) / 8;
    if (signature.length != expectedLength) {
      throw new KofuException(
          Reason.SIGNATURE_MALFORMED,
          "signature: " + signature.length + " bytes (expected: " + expectedLength + ")",
          Map.of("field", "signature", "expected", expectedLength + " bytes"));
    }
    CardTrust.IssuingCa issuer = issuer(cert);
    if (issuer.kind() != claimedKind) {
      throw new KofuException(
          Reason.CREDENTIAL_KIND_MISMATCH,
          "credential_kind: " + claimedKind + ", but the certificate is a " + issuer.kind() + " credential",
          Map.of("field", "credential_kind", "expected", issuer.kind().name()));
    }
    checkExtensions(cert);
    Instant now = clock.instant();
    if (now.isBefore(cert.getNotBefore().toInstant())) {
      throw new KofuException(Reason.CARD_NOT_YET_VALID, "card certificate valid only from " + cert.getNotBefore().toInstant());
    }
    if (now.isAfter(cert.getNotAfter().toInstant())) {
      throw new KofuException(Reason.CARD_EXPIRED, "card certificate expired at " + cert.getNotAfter().toInstant());
    }
    checkUsage(cert, issuer);
    return new Presented(new CardRef(X509.serialHex(cert), issuer.keyId(), issuer.kind()), cert, issuer.certificate(), signature);
  }

  /** The proof of possession: the signature over the challenge. */
  public VerifiedCard verifySignature(Presented card, byte[] challenge) {
    if (!verify(card.certificate().getPublicKey(), challenge, card.signature())) {
      throw new KofuException(Reason.SIGNATURE_INVALID, "signature: does not verify over the challenge with the card's key");
    }
    return new VerifiedCard(card.ref(), card.certificate(), card.issuer());
  }

  private CardTrust.IssuingCa issuer(X509Certificate cert) {
    for (CardTrust.IssuingCa ca : trust.issuersNamed(cert.getIssuerX500Principal())) {
      try {
        cert.verify(ca.certificate().getPublicKey());
      } catch (GeneralSecurityException | RuntimeException e) {
        continue; // same name, other key: try the next one
      }
      if (!STRONG_SIGNATURES.contains(cert.getSigAlgOID())) {
        throw new KofuException(Reason.CARD_UNTRUSTED, "card certificate signed with " + cert.getSigAlgName() + " (expected: SHA-256 or stronger)");
      }
      return ca;
    }
    throw new KofuException(Reason.CARD_UNTRUSTED, "card certificate is not issued by a trusted user-certification CA");
  }

  /** RFC 5280 §4.2: a critical extension we do not process makes the certificate unusable. */
  private static void checkExtensions(X509Certificate cert) {
    Set<String> critical = cert.getCriticalExtensionOIDs();
    if (critical != null) {
      for (String oid : critical.stream().sorted().toList()) {
        if (!UNDERSTOOD_CRITICAL.contains(oid)) {
          throw new KofuException(
              Reason.CARD_EXTENSION_UNSUPPORTED,
              "card certificate: critical extension " + oid + " is not one kofu processes",
              Map.of("extension", oid));
        }
      }
    }
  }

  private static void checkUsage(X509Certificate cert, CardTrust.IssuingCa issuer) {
    boolean[] usage = cert.getKeyUsage();
    if (usage == null || !usage[0] || cert.getBasicConstraints() != -1) {
      throw new KofuException(Reason.CARD_USAGE_INVALID, "card certificate: expected digitalSignature key usage on an end-entity certificate");
    }
    byte[] ext = cert.getExtensionValue(Extension.certificatePolicies.getId());
    boolean own = false;
    boolean other = false;
    if (ext != null) {
      try {
        CertificatePolicies policies =
            CertificatePolicies.getInstance(ASN1Sequence.getInstance(DEROctetString.getInstance(ext).getOctets()));
        for (PolicyInformation p : policies.getPolicyInformation()) {
          String id = p.getPolicyIdentifier().getId();
          own |= id.equals(issuer.policy());
          other |= id.equals(KofuOids.POLICY_CARD_USER_CERTIFICATION.getId()) || id.equals(KofuOids.POLICY_SMARTPHONE_USER_CERTIFICATION.getId());
        }
      } catch (RuntimeException e) {
        throw new KofuException(
            Reason.CARD_EXTENSION_UNSUPPORTED,
            "card certificate: unreadable certificate policies",
            Map.of("extension", Extension.certificatePolicies.getId()));
      }
    }
    if (!own) {
      throw new KofuException(
          Reason.CARD_USAGE_INVALID,
          other
              ? "card certificate: carries the other credential kind's policy, not its CA's (" + issuer.kind() + ")"
              : "card certificate: missing the user-certification policy");
    }
  }

  private static boolean verify(PublicKey key, byte[] data, byte[] signature) {
    try {
      Signature s = Signature.getInstance("SHA256withRSA");
      s.initVerify(key);
      s.update(data);
      return s.verify(signature);
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }
}
