package jp.kofu.issuer.spi;

/**
 * A signed certificate.
 *
 * @param pdf the signed PDF (PAdES)
 * @param pageCount its pages
 * @param verificationCode the public verification code printed on it, or null
 */
public record IssuedDocument(byte[] pdf, int pageCount, String verificationCode) {
  public IssuedDocument {
    pdf = pdf.clone();
  }

  @Override
  public byte[] pdf() {
    return pdf.clone();
  }

  public int size() {
    return pdf.length;
  }
}
