package jp.kofu.issuer.spi;

/**
 * A signed certificate.
 *
 * <p><b>Whose bytes.</b> The constructor copies {@code pdf} and {@link #pdf()} answers a copy: an
 * adapter may reuse or overwrite its own array afterwards, and whatever it does, the document's
 * bytes stay the ones it returned. That matters, because the host checks the document (signature,
 * signer, binding) and then journals and streams exactly the bytes it checked. Since SPI 1.2 two
 * members spare those copies (a document is some 80 KB, and each copy was 4 % of the gateway's
 * allocation per issuance):
 *
 * <ul>
 *   <li>{@link #handOver}, for a producer that made the array for this document alone: the array
 *       becomes the document's, uncopied, and the producer must neither write it nor keep it for
 *       anything else afterwards. kofu's own producers (the embedded adapter, the document facade
 *       {@code CertificateDocuments}, the remote adapter) use it; an adapter that renders into a
 *       buffer of its own, or is not sure, keeps to the constructor.
 *   <li>{@link #sharedPdf()}, for the host, which only reads the document: its own array, uncopied,
 *       never to be written by anyone. An adapter has no use for it ({@link #pdf()} is the copy to
 *       keep or change).
 * </ul>
 *
 * <p>Either way a document's bytes change only if code writes into an array it was told not to
 * write; an adapter built against SPI 1.0 or 1.1, which knows neither member, gets the copies it
 * always had.
 *
 * @param pdf the signed PDF (PAdES)
 * @param pageCount its pages
 * @param feePerCopyYen what the municipality charges for one copy of it
 * @param verificationCode the public verification code printed on it, or null
 */
public record IssuedDocument(byte[] pdf, int pageCount, int feePerCopyYen, String verificationCode) {
  /**
   * The array {@link #handOver} is constructing a document around, on its own thread: the one
   * argument the canonical constructor does not copy (a record has no other way to be told).
   */
  private static final ThreadLocal<byte[]> HANDED_OVER = new ThreadLocal<>();

  /** Copies {@code pdf}: the caller may do what it likes with its array afterwards. */
  public IssuedDocument {
    if (pdf != HANDED_OVER.get() || pdf == null) {
      pdf = pdf.clone();
    }
    if (pageCount < 1) {
      throw new IllegalArgumentException("pageCount: " + pageCount + " (expected: >= 1)");
    }
    if (feePerCopyYen < 0) {
      throw new IllegalArgumentException("feePerCopyYen: " + feePerCopyYen + " (expected: >= 0)");
    }
  }

  /**
   * A document that takes {@code pdf} over instead of copying it (SPI 1.2). From this call on the
   * array is the document's: the caller must not write it, nor hand it to anything that might, for
   * the host checks these bytes and then streams them. Otherwise the same as the constructor.
   */
  public static IssuedDocument handOver(byte[] pdf, int pageCount, int feePerCopyYen, String verificationCode) {
    HANDED_OVER.set(pdf);
    try {
      return new IssuedDocument(pdf, pageCount, feePerCopyYen, verificationCode);
    } finally {
      HANDED_OVER.remove();
    }
  }

  /** A copy of the PDF, the caller's to keep or change. */
  @Override
  public byte[] pdf() {
    return pdf.clone();
  }

  /**
   * The PDF itself, not a copy (SPI 1.2), for a host that only reads it: the gateway checks,
   * journals and streams these very bytes. Nobody may write to the array; an adapter has no use
   * for it and calls {@link #pdf()}.
   */
  public byte[] sharedPdf() {
    return pdf;
  }

  public int size() {
    return pdf.length;
  }
}
