/**
 * The certificate documents a municipality issues: their content (the records of {@link
 * jp.kofu.issuer.document.CertificateContent}: {@link jp.kofu.issuer.document.ResidenceCertificate},
 * {@link jp.kofu.issuer.document.SealRegistrationCertificate}, {@link
 * jp.kofu.issuer.document.FamilyRegisterCertificate}, {@link
 * jp.kofu.issuer.document.FamilyRegisterAnnexCertificate}, {@link
 * jp.kofu.issuer.document.IncomeTaxCertificate}; and {@link jp.kofu.issuer.document.DocumentMeta}),
 * their rendering as A4 PDF/A-2b documents in Japanese on an anti-forgery background with the
 * official seal and a verification QR code ({@link jp.kofu.issuer.document.CertificateRenderer}, on
 * the shared page layout and the embedded font {@link jp.kofu.issuer.document.CertificateFonts};
 * {@link jp.kofu.issuer.document.VerificationLink} for the QR format; {@link
 * jp.kofu.issuer.document.SealImpressions} for seeding seal impressions), their PAdES signature
 * with an RFC 3161 timestamp ({@link jp.kofu.issuer.document.PadesSigner}), extended to PAdES
 * B-LT by a DSS update ({@link jp.kofu.issuer.document.LongTermValidation}), and its verification
 * without a full parse ({@link jp.kofu.issuer.document.SignedDocuments} on {@code PdfObjects}).
 * {@code docs/CERTIFICATES.md} shows each type.
 *
 * <p>Personal data printed on a document never appears in a log line or an exception message
 * from this package: errors name the field, not its content, and the content records print none
 * of it in {@code toString}.
 */
package jp.kofu.issuer.document;
