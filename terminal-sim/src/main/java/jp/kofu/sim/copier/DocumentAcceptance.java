package jp.kofu.sim.copier;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import jp.kofu.issuer.document.DocumentBinding;
import jp.kofu.issuer.document.DocumentVerificationException;
import jp.kofu.issuer.document.SignedDocuments;
import jp.kofu.issuer.document.VerifiedDocument;
import jp.kofu.pki.X509;

/**
 * The misissuance detector: what a copier checks before printing. The document's signature must
 * verify against the municipal signing CA; the signer must be the municipality asked; and the
 * document must carry the binding that this copier computes itself from its own card, its own
 * order id, the issuance id and the municipality. Independent of the gateway's own check.
 */
public final class DocumentAcceptance {
  private final List<X509Certificate> municipalAnchors;
  private final Clock clock;

  /** @param clock the copier's clock, on which certificate validity is judged */
  public DocumentAcceptance(List<X509Certificate> municipalAnchors, Clock clock) {
    this.municipalAnchors = List.copyOf(municipalAnchors);
    this.clock = clock;
  }

  public VerifiedDocument check(
      ReceivedDocument received, String cardIssuerKeyId, String cardSerial, String orderId, String municipalityCode)
      throws MisissuanceException {
    byte[] pdf = received.pdf();
    if (pdf.length != received.header().getByteSize()) {
      throw new MisissuanceException("size " + pdf.length + " differs from the header's " + received.header().getByteSize());
    }
    if (!Arrays.equals(X509.sha256(pdf), received.header().getSha256().toByteArray())) {
      throw new MisissuanceException("SHA-256 differs from the header's");
    }
    VerifiedDocument doc;
    try {
      doc = SignedDocuments.verify(pdf, municipalAnchors, clock.instant());
    } catch (DocumentVerificationException e) {
      throw new MisissuanceException("signature does not verify: " + e.getMessage());
    }
    if (!municipalityCode.equals(doc.municipalityCode())) {
      throw new MisissuanceException("signed by municipality " + doc.municipalityCode() + ", asked " + municipalityCode);
    }
    String issuanceId = received.header().getIssuanceId();
    byte[] expected = DocumentBinding.compute(cardIssuerKeyId, cardSerial, orderId, issuanceId, municipalityCode);
    if (!HexFormat.of().formatHex(expected).equals(doc.bindingHex())) {
      throw new MisissuanceException("document is not bound to this card and order (issuance " + issuanceId + ")");
    }
    if (!issuanceId.equals(doc.documentNumber())) {
      throw new MisissuanceException("document number differs from the issuance id");
    }
    return doc;
  }
}
