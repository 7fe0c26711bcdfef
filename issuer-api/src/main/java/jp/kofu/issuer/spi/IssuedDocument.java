package jp.kofu.issuer.spi;

/**
 * A signed certificate.
 *
 * @param pdf the signed PDF (PAdES)
 * @param pageCount its pages
 * @param feePerCopyYen what the municipality charges for one copy of it
 * @param verificationCode the public verification code printed on it, or null
 */
public record IssuedDocument(byte[] pdf, int pageCount, int feePerCopyYen, String verificationCode) {
  public IssuedDocument {
    pdf = pdf.clone();
    if (pageCount < 1) {
      throw new IllegalArgumentException("pageCount: " + pageCount + " (expected: >= 1)");
    }
    if (feePerCopyYen < 0) {
      throw new IllegalArgumentException("feePerCopyYen: " + feePerCopyYen + " (expected: >= 0)");
    }
  }

  @Override
  public byte[] pdf() {
    return pdf.clone();
  }

  public int size() {
    return pdf.length;
  }
}
