package jp.kofu.issuer.timestamp;

/** Where a signer gets RFC 3161 timestamps: the in-process unit, or a TSA over HTTP. */
@FunctionalInterface
public interface TimeStampSource {
  /**
   * A timestamp token over {@code sha256}, the SHA-256 digest of the data to stamp (for PAdES
   * B-T: of the CMS signature value).
   *
   * @return the DER encoding of the TimeStampToken (a CMS ContentInfo)
   * @throws TimeStampException when no token can be had; the document must then not be issued
   */
  byte[] timestamp(byte[] sha256);
}
