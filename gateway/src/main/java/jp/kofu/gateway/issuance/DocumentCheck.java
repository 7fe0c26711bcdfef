package jp.kofu.gateway.issuance;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import jp.kofu.issuer.document.DocumentVerificationException;
import jp.kofu.issuer.document.SignedDocuments;
import jp.kofu.issuer.document.VerifiedDocument;

/**
 * The check every document passes before a byte of it leaves the gateway: a valid PAdES signature
 * by a certificate of the municipal signing CA, issued to the municipality that was asked, over a
 * document carrying this request's binding and issuance id.
 */
public final class DocumentCheck {
  private final List<X509Certificate> municipalAnchors;
  private final Clock clock;

  /** @param clock when certificate validity is judged (the gateway's clock) */
  public DocumentCheck(List<X509Certificate> municipalAnchors, Clock clock) {
    this.municipalAnchors = List.copyOf(municipalAnchors);
    this.clock = clock;
  }

  /** Why the document is refused, or null when it is the one asked for. */
  public String problem(byte[] pdf, String municipalityCode, byte[] binding, String issuanceId) {
    VerifiedDocument doc;
    try {
      doc = SignedDocuments.verify(pdf, municipalAnchors, clock.instant());
    } catch (DocumentVerificationException e) {
      return "signature: " + e.getMessage();
    }
    if (!municipalityCode.equals(doc.municipalityCode())) {
      return "signed by municipality " + doc.municipalityCode() + ", expected " + municipalityCode;
    }
    if (!HexFormat.of().formatHex(binding).equals(doc.bindingHex())) {
      return "binding does not match this card and order";
    }
    if (!issuanceId.equals(doc.documentNumber())) {
      return "document number does not match the issuance";
    }
    return null;
  }
}
