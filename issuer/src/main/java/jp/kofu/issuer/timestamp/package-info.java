/**
 * RFC 3161 time-stamping for kofu's document signatures (PAdES baseline B-T): the time-stamping
 * unit kofu runs itself ({@link jp.kofu.issuer.timestamp.TimeStampAuthority}), the same unit over
 * HTTP ({@link jp.kofu.issuer.timestamp.TimeStampServer}, {@link
 * jp.kofu.issuer.timestamp.HttpTimeStampSource}), and the one interface a signer asks ({@link
 * jp.kofu.issuer.timestamp.TimeStampSource}). A timestamp proves that a signature existed at a
 * time the signer does not control; it covers a digest only and never sees a document.
 */
package jp.kofu.issuer.timestamp;
