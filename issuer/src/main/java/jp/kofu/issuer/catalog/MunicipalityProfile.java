package jp.kofu.issuer.catalog;

import java.util.Map;
import java.util.Optional;
import jp.kofu.issuer.document.MunicipalityIdentity;
import jp.kofu.issuer.spi.CertificateType;

/** One municipality's catalog entry: who certifies, and what it offers at stores. */
public record MunicipalityProfile(MunicipalityIdentity identity, Map<CertificateType, CertificateTerms> certificates) {
  public MunicipalityProfile {
    certificates = Map.copyOf(certificates);
  }

  public String code() {
    return identity.code();
  }

  public Optional<CertificateTerms> terms(CertificateType type) {
    return Optional.ofNullable(certificates.get(type));
  }
}
