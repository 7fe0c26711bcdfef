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

  /**
   * A member as shown on the copier's screen for selection.
   *
   * @param memberHandle opaque, as {@link ResidentRef#residentHandle()}
   * @param displayName the name as printed; personal data, so not in {@link #toString()}
   */
  public record HouseholdMember(String memberHandle, String displayName, boolean cardHolder) {
    public HouseholdMember {
      java.util.Objects.requireNonNull(memberHandle, "memberHandle");
      java.util.Objects.requireNonNull(displayName, "displayName");
    }

    @Override
    public String toString() {
      return "HouseholdMember[" + memberHandle + (cardHolder ? ", card holder" : "") + "]";
    }
  }
}
