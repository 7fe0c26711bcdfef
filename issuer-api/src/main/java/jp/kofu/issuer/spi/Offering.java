package jp.kofu.issuer.spi;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One certificate type a municipality offers a resident now.
 *
 * @param unavailableReason null when available; otherwise why not
 * @param householdMembers residence certificates: who may be chosen, the card holder first
 * @param nextOpen with {@link RefusalReason#OUT_OF_SERVICE_HOURS}: when the type can next be
 *     issued; null otherwise (or when the adapter does not say)
 */
public record Offering(
    CertificateType type,
    Set<CertificateOption> options,
    int feeYen,
    int maxCopies,
    RefusalReason unavailableReason,
    List<HouseholdMember> householdMembers,
    Instant nextOpen) {
  public Offering {
    Objects.requireNonNull(type, "type");
    options = Set.copyOf(options);
    householdMembers = List.copyOf(householdMembers);
  }

  /** An offering that gives no opening time (adapters written before {@link #nextOpen}). */
  public Offering(
      CertificateType type,
      Set<CertificateOption> options,
      int feeYen,
      int maxCopies,
      RefusalReason unavailableReason,
      List<HouseholdMember> householdMembers) {
    this(type, options, feeYen, maxCopies, unavailableReason, householdMembers, null);
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
