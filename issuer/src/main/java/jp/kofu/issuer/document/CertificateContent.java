package jp.kofu.issuer.document;

import jp.kofu.issuer.spi.CertificateType;

/**
 * The content of one certificate, whatever its type: what {@link CertificateRenderer} lays out.
 * Every implementation holds residents' personal data, so each overrides {@code toString} to
 * print none of it.
 */
public sealed interface CertificateContent
    permits ResidenceCertificate,
        SealRegistrationCertificate,
        FamilyRegisterCertificate,
        FamilyRegisterAnnexCertificate,
        IncomeTaxCertificate {
  /** Which certificate this is; decides the title and the certifying sentence. */
  CertificateType type();

  /** The municipality that certifies it (for 戸籍 and 附票: the 本籍地). */
  MunicipalityIdentity municipality();
}
