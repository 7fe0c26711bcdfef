package jp.kofu.issuer.embedded;

import java.time.LocalDate;
import java.util.Collection;
import jp.kofu.issuer.registry.FamilyRegister;
import jp.kofu.issuer.registry.FamilyRegisterMember;
import jp.kofu.issuer.registry.Resident;
import jp.kofu.issuer.registry.SealRegistration;
import jp.kofu.issuer.registry.TaxRecord;
import jp.kofu.issuer.spi.RefusalReason;

/**
 * The rules that refuse a store issuance (DOMAIN.md §4), each with its own reason. Each method
 * judges records already read live from the registry; none reads or caches anything itself.
 */
final class IssuanceRules {
  /** 15: younger residents must apply at the counter through a legal representative. */
  static final int MINIMUM_AGE = 15;

  /** Income certificates of a new 年度 exist once its assessment is made, in June. */
  static final int NEW_FISCAL_YEAR_MONTH = 6;

  private IssuanceRules() {}

  /**
   * Why the card holder, as the address municipality records them, can get nothing at a store
   * today, or null. A support measure comes first: the confidential reason must win over any
   * other, so that what the copier is told never depends on it.
   */
  static RefusalReason resident(Resident holder, LocalDate today) {
    if (holder.supportMeasure()) {
      return RefusalReason.SUPPORT_MEASURE;
    }
    switch (holder.status()) {
      case DECEASED:
        return RefusalReason.DECEASED;
      case MOVED_OUT:
      case MOVE_OUT_FILED:
        return RefusalReason.MOVED_OUT;
      case ACTIVE:
        break;
    }
    if (holder.ageOn(today) < MINIMUM_AGE) {
      return RefusalReason.UNDER_AGE;
    }
    if (today.equals(holder.movedInOn())) {
      return RefusalReason.MOVED_IN_TODAY;
    }
    if (holder.gaijiPending()) {
      return RefusalReason.GAIJI_PENDING;
    }
    return null;
  }

  /** The same for the card holder as the 本籍地 records them (利用登録 issuance). */
  static RefusalReason member(FamilyRegisterMember holder, boolean deceased, LocalDate today) {
    if (holder.supportMeasure()) {
      return RefusalReason.SUPPORT_MEASURE;
    }
    if (holder.removed()) {
      return deceased ? RefusalReason.DECEASED : RefusalReason.NOT_ISSUABLE;
    }
    if (holder.ageOn(today) < MINIMUM_AGE) {
      return RefusalReason.UNDER_AGE;
    }
    return null;
  }

  /** A family register with a filed notice not yet recorded certifies nothing. */
  static RefusalReason familyRegister(FamilyRegister register) {
    return register.noticePending() ? RefusalReason.FAMILY_REGISTER_NOTICE_PENDING : null;
  }

  /**
   * A document that would print a person under a support measure (a 附票 or a household's
   * certificate naming them) is refused: its addresses are what the measure protects.
   */
  static RefusalReason printsProtectedPerson(Collection<Boolean> measures) {
    return measures.contains(Boolean.TRUE) ? RefusalReason.SUPPORT_MEASURE : null;
  }

  /** No registration, or one cancelled by today (廃止): never certified. */
  static RefusalReason seal(SealRegistration latest, LocalDate today) {
    return seal(latest != null && latest.activeOn(today));
  }

  /** The same, told only whether the latest registration is in effect today. */
  static RefusalReason seal(boolean latestActive) {
    return latestActive ? null : RefusalReason.NO_SEAL_REGISTRATION;
  }

  /** Without a filing for the year there is nothing to certify. */
  static RefusalReason tax(TaxRecord record) {
    return tax(record != null && record.filed());
  }

  /** The same, told only whether the year's assessment was filed. */
  static RefusalReason tax(boolean filed) {
    return filed ? null : RefusalReason.NO_TAX_FILING;
  }

  /**
   * The 年度 whose income certificate a store issues on {@code today}: the assessment of a 年度
   * (April to March) is made in June, so until May the previous 年度 is the current certificate.
   */
  static int currentFiscalYear(LocalDate today) {
    return today.getMonthValue() >= NEW_FISCAL_YEAR_MONTH ? today.getYear() : today.getYear() - 1;
  }
}
