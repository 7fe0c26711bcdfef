package jp.kofu.issuer.spi.document;

import java.security.cert.X509Certificate;

/**
 * A municipality's document-signing key as {@link CertificateDocuments#signer} loaded it: opaque, its
 * private key never leaves the implementation.
 */
public interface DocumentSigner {
  /** The signing certificate, e.g. to warn before it expires. */
  X509Certificate certificate();
}
