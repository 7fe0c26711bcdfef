package jp.kofu.gateway.auth;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.util.Date;
import java.util.List;
import jp.kofu.gateway.error.KofuException;
import jp.kofu.issuer.spi.CardRef;
import jp.kofu.pki.X509;
import jp.kofu.proto.type.v1.Reason;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x509.CertificatePolicies;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.PolicyInformation;

/**
 * Checks a card: its certificate is well-formed, issued by a trusted user-certification CA,
 * inside its validity, of the right usage and policy; and its signature over the challenge
 * verifies (SHA256withRSA, PKCS#1 v1.5). Revocation is checked by the caller.
 */
public final class CardAuthenticator {
  /** Larger certificates are refused before parsing. */
  public static final int MAX_CERTIFICATE_BYTES = 4096;

  private final CardTrust trust;
  private final Clock clock;

  public CardAuthenticator(CardTrust trust, Clock clock) {
    this.trust = trust;
    this.clock = clock;
  }

  public VerifiedCard authenticate(byte[] certificateDer, byte[] challenge, byte[] signature, CardRef.CredentialKind claimedKind) {
    if (certificateDer.length == 0 || certificateDer.length > MAX_CERTIFICATE_BYTES) {
      throw new KofuException(
          Reason.CARD_CERTIFICATE_MALFORMED,
          "card_certificate: " + certificateDer.length + " bytes (expected: 1.." + MAX_CERTIFICATE_BYTES + " bytes of DER)");
    }
    X509Certificate cert;
    try {
      cert = X509.parse(certificateDer);
    } catch (CertificateException e) {
      throw new KofuException(Reason.CARD_CERTIFICATE_MALFORMED, "card_certificate: not one DER X.509 certificate");
    }
    if (!(cert.getPublicKey() instanceof RSAPublicKey rsa) || rsa.getModulus().bitLength() < 2048) {
      throw new KofuException(Reason.CARD_USAGE_INVALID, "card_certificate: expected an RSA key of at least 2048 bits");
    }
    int expectedLength = (rsa.getModulus().bitLength() + 7) / 8;
    if (signature.length != expectedLength) {
      throw new KofuException(
          Reason.SIGNATURE_MALFORMED, "signature: " + signature.length + " bytes (expected: " + expectedLength + ")");
    }
    CardTrust.IssuingCa issuer = issuer(cert);
    if (issuer.kind() != claimedKind) {
      throw new KofuException(Reason.CARD_USAGE_INVALID, "credential_kind: the certificate is a " + issuer.kind() + " credential");
    }
    try {
      cert.checkValidity(Date.from(clock.instant()));
    } catch (CertificateExpiredException | CertificateNotYetValidException e) {
      throw new KofuException(Reason.CARD_EXPIRED, "card certificate outside its validity (" + cert.getNotBefore().toInstant() + " .. " + cert.getNotAfter().toInstant() + ")");
    }
    checkUsage(cert, issuer);
    if (!verify(cert.getPublicKey(), challenge, signature)) {
      throw new KofuException(Reason.SIGNATURE_INVALID, "signature: does not verify over the challenge with the card's key");
    }
    return new VerifiedCard(new CardRef(X509.serialHex(cert), issuer.keyId(), issuer.kind()), cert, issuer.certificate());
  }

  private CardTrust.IssuingCa issuer(X509Certificate cert) {
    for (CardTrust.IssuingCa ca : trust.issuersNamed(cert.getIssuerX500Principal())) {
      try {
        cert.verify(ca.certificate().getPublicKey());
        return ca;
      } catch (GeneralSecurityException e) {
        // Same name, other key: try the next one.
      }
    }
    throw new KofuException(Reason.CARD_UNTRUSTED, "card certificate is not issued by a trusted user-certification CA");
  }

  private static void checkUsage(X509Certificate cert, CardTrust.IssuingCa issuer) {
    boolean[] usage = cert.getKeyUsage();
    if (usage == null || !usage[0] || cert.getBasicConstraints() != -1) {
      throw new KofuException(Reason.CARD_USAGE_INVALID, "card certificate: expected digitalSignature key usage on an end-entity certificate");
    }
    byte[] ext = cert.getExtensionValue(Extension.certificatePolicies.getId());
    boolean policy = false;
    if (ext != null) {
      try {
        CertificatePolicies policies =
            CertificatePolicies.getInstance(ASN1Sequence.getInstance(DEROctetString.getInstance(ext).getOctets()));
        for (PolicyInformation p : policies.getPolicyInformation()) {
          policy |= p.getPolicyIdentifier().getId().equals(issuer.policy());
        }
      } catch (RuntimeException e) {
        throw new KofuException(Reason.CARD_CERTIFICATE_MALFORMED, "card certificate: unreadable certificate policies");
      }
    }
    if (!policy) {
      throw new KofuException(Reason.CARD_USAGE_INVALID, "card certificate: missing the user-certification policy");
    }
    // Critical extensions we do not understand make the certificate unusable (RFC 5280 §4.2).
    var critical = cert.getCriticalExtensionOIDs();
    if (critical != null) {
      for (String oid : critical) {
        if (!List.of(Extension.keyUsage.getId(), Extension.basicConstraints.getId(), Extension.certificatePolicies.getId())
            .contains(oid)) {
          throw new KofuException(Reason.CARD_USAGE_INVALID, "card certificate: unknown critical extension " + oid);
        }
      }
    }
  }

  private static boolean verify(PublicKey key, byte[] data, byte[] signature) {
    try {
      Signature s = Signature.getInstance("SHA256withRSA");
      s.initVerify(key);
      s.update(data);
      return s.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
