package jp.kofu.gateway.auth;

import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.security.auth.x500.X500Principal;
import jp.kofu.issuer.spi.CardRef;
import jp.kofu.pki.KofuOids;
import jp.kofu.pki.X509;

/**
 * The CAs that issue user-certification credentials, checked once against their roots: the card
 * CA(s) for My Number Cards and the smartphone CA(s). A card is trusted when one of these signed
 * it directly, as JPKI's user-certification CA signs every card.
 */
public final class CardTrust {
  /** An issuing CA, the credential kind it issues, and its key id. */
  public record IssuingCa(X509Certificate certificate, CardRef.CredentialKind kind, String keyId) {
    String policy() {
      return (kind == CardRef.CredentialKind.CARD
              ? KofuOids.POLICY_CARD_USER_CERTIFICATION
              : KofuOids.POLICY_SMARTPHONE_USER_CERTIFICATION)
          .getId();
    }
  }

  private final List<IssuingCa> issuers;

  private CardTrust(List<IssuingCa> issuers) {
    this.issuers = List.copyOf(issuers);
  }

  /**
   * @param roots trust anchors (the JPKI root)
   * @param cardCas CAs that issue cards; each must chain to a root
   * @param smartphoneCas CAs that issue smartphone credentials; each must chain to a root
   */
  public static CardTrust of(List<X509Certificate> roots, List<X509Certificate> cardCas, List<X509Certificate> smartphoneCas) {
    List<IssuingCa> issuers = new ArrayList<>();
    // A CA file often carries its chain up to the root: the root signs CAs, not cards, so it is
    // not an issuer (else CRL mode would wait for a CRL of the root's that nobody publishes).
    for (X509Certificate ca : cardCas) {
      validate(ca, roots);
      if (!roots.contains(ca)) {
        issuers.add(new IssuingCa(ca, CardRef.CredentialKind.CARD, X509.keyId(ca)));
      }
    }
    for (X509Certificate ca : smartphoneCas) {
      validate(ca, roots);
      if (!roots.contains(ca)) {
        issuers.add(new IssuingCa(ca, CardRef.CredentialKind.SMARTPHONE, X509.keyId(ca)));
      }
    }
    if (issuers.isEmpty()) {
      throw new IllegalArgumentException("card trust: no issuing CA configured");
    }
    return new CardTrust(issuers);
  }

  private static void validate(X509Certificate ca, List<X509Certificate> roots) {
    if (roots.contains(ca)) {
      return;
    }
    try {
      Set<TrustAnchor> anchors = new HashSet<>();
      for (X509Certificate r : roots) {
        anchors.add(new TrustAnchor(r, null));
      }
      PKIXParameters params = new PKIXParameters(anchors);
      params.setRevocationEnabled(false);
      CertPathValidator.getInstance("PKIX")
          .validate(CertificateFactory.getInstance("X.509").generateCertPath(List.of(ca)), params);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "card trust: " + ca.getSubjectX500Principal() + " does not chain to a configured root: " + e.getMessage(), e);
    }
  }

  /** The issuing CAs whose subject is {@code issuer}. */
  List<IssuingCa> issuersNamed(X500Principal issuer) {
    List<IssuingCa> out = new ArrayList<>(1);
    for (IssuingCa ca : issuers) {
      if (ca.certificate().getSubjectX500Principal().equals(issuer)) {
        out.add(ca);
      }
    }
    return out;
  }

  public List<IssuingCa> issuers() {
    return issuers;
  }
}
