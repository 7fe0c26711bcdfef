package jp.kofu.issuer.catalog;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import jp.kofu.issuer.document.MunicipalityIdentity;
import jp.kofu.issuer.spi.CertificateType;

/**
 * One municipality's catalog entry: who certifies, what it offers at stores, and when.
 *
 * @param hours service hours, office hours for family registers, maintenance windows
 */
public record MunicipalityProfile(
    MunicipalityIdentity identity, Map<CertificateType, CertificateTerms> certificates, ServiceHours hours) {
  public MunicipalityProfile {
    certificates = Map.copyOf(certificates);
    Objects.requireNonNull(hours, "hours");
  }

  /** A profile with the national default hours (6:30–23:00, closed 29 Dec–3 Jan). */
  public MunicipalityProfile(MunicipalityIdentity identity, Map<CertificateType, CertificateTerms> certificates) {
    this(identity, certificates, ServiceHours.DEFAULT);
  }

  public String code() {
    return identity.code();
  }

  public Optional<CertificateTerms> terms(CertificateType type) {
    return Optional.ofNullable(certificates.get(type));
  }
}
