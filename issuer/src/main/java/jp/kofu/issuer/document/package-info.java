/**
 * The certificate documents a municipality issues: their content ({@link
 * jp.kofu.issuer.document.ResidenceCertificate}, {@link jp.kofu.issuer.document.DocumentMeta}),
 * their rendering as A4 PDFs in Japanese with the official seal ({@link
 * jp.kofu.issuer.document.ResidenceCertificateRenderer}, on the shared page layout and the
 * embedded font {@link jp.kofu.issuer.document.CertificateFonts}), their PAdES signature ({@link
 * jp.kofu.issuer.document.PadesSigner}) and its verification ({@link
 * jp.kofu.issuer.document.SignedDocuments}).
 *
 * <p>Personal data printed on a document never appears in a log line or an exception message
 * from this package: errors name the field, not its content.
 */
package jp.kofu.issuer.document;
