package jp.kofu.gateway.verify;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import jp.kofu.gateway.journal.Issuance;
import jp.kofu.gateway.journal.IssuanceJournal;
import jp.kofu.issuer.document.DocumentVerificationException;
import jp.kofu.issuer.document.SignedDocuments;
import jp.kofu.issuer.document.VerifiedDocument;

/**
 * Verification by file: the PDF's PAdES signature must chain to the municipal CA (and cover the
 * whole file), and the journal must hold its issuance: issued by that municipality with that
 * binding, not voided, and with exactly this file's SHA-256.
 */
public final class DocumentVerifier {
  private final List<X509Certificate> municipalAnchors;
  private final IssuanceJournal journal;

  public DocumentVerifier(List<X509Certificate> municipalAnchors, IssuanceJournal journal) {
    this.municipalAnchors = List.copyOf(municipalAnchors);
    this.journal = Objects.requireNonNull(journal, "journal");
  }

  /** What a genuine document is: its signed facts and its issuance record. */
  public record Genuine(VerifiedDocument document, Issuance issuance) {}

  /** The file is not a genuine, valid certificate; the message says why (no personal data). */
  public static final class NotGenuineException extends Exception {
    public NotGenuineException(String message) {
      super(message);
    }
  }

  public Genuine verify(byte[] pdf, Instant at) throws NotGenuineException {
    VerifiedDocument doc;
    try {
      doc = SignedDocuments.verify(pdf, municipalAnchors, at);
    } catch (DocumentVerificationException e) {
      throw new NotGenuineException("signature: " + e.getMessage());
    }
    Issuance issuance =
        journal.find(doc.documentNumber())
            .orElseThrow(() -> new NotGenuineException("no issuance record for document number " + doc.documentNumber()));
    if (!issuance.order().municipalityCode().equals(doc.municipalityCode()) || !issuance.order().binding().hex().equals(doc.bindingHex())) {
      throw new NotGenuineException("the issuance record of " + doc.documentNumber() + " names another municipality or request");
    }
    switch (issuance.state()) {
      case ISSUED, DELIVERED -> {}
      case VOIDED -> throw new NotGenuineException("issuance " + doc.documentNumber() + " was voided (printing failed, fee refunded)");
      case ORDERED, REFUSED -> throw new NotGenuineException("issuance " + doc.documentNumber() + " never produced a document");
    }
    if (!doc.sha256Hex().equals(issuance.documentSha256().hex())) {
      throw new NotGenuineException("the file differs from the document issued (SHA-256 " + doc.sha256Hex() + ", issued "
          + issuance.documentSha256() + ")");
    }
    return new Genuine(doc, issuance);
  }
}
