package jp.kofu.issuer.spi;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What the resident asked for.
 *
 * @param memberHandles with {@link HouseholdScope#SELECTED_MEMBERS}, the chosen members
 * @param fiscalYear for {@link CertificateType#INCOME_TAX}, the 年度; 0 for the current one
 */
public record CertificateRequest(
    CertificateType type,
    Set<CertificateOption> options,
    HouseholdScope scope,
    List<String> memberHandles,
    int copies,
    int fiscalYear) {
  public CertificateRequest {
    Objects.requireNonNull(type, "type");
    options = Set.copyOf(options);
    Objects.requireNonNull(scope, "scope");
    memberHandles = List.copyOf(memberHandles);
  }

  public static CertificateRequest of(CertificateType type) {
    return new CertificateRequest(type, Set.of(), HouseholdScope.SELF, List.of(), 1, 0);
  }
}
