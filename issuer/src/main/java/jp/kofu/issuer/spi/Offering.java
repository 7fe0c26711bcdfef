package jp.kofu.issuer.spi;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One certificate type a municipality offers a resident now.
 *
 * @param unavailableReason null when available; otherwise why not
 * @param householdMembers residence certificates: who may be chosen, the card holder first
 */
public record Offering(
    CertificateType type,
    Set<CertificateOption> options,
    int feeYen,
    int maxCopies,
    RefusalReason unavailableReason,
    List<HouseholdMember> householdMembers) {
  public Offering {
    Objects.requireNonNull(type, "type");
    options = Set.copyOf(options);
    householdMembers = List.copyOf(householdMembers);
  }

  public boolean available() {
    return unavailableReason == null;
  }

  /** A member as shown on the copier's screen for selection. */
  public record HouseholdMember(String memberHandle, String displayName, boolean cardHolder) {}
}
