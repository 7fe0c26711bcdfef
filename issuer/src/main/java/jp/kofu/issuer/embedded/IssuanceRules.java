package jp.kofu.issuer.embedded;

import java.time.LocalDate;
import jp.kofu.issuer.registry.Resident;
import jp.kofu.issuer.spi.CertificateType;
import jp.kofu.issuer.spi.RefusalReason;

/** The rules that refuse a store issuance for the card holder (DOMAIN.md §4), in order. */
final class IssuanceRules {
  /** 15: younger residents must apply at the counter through a legal representative. */
  static final int MINIMUM_AGE = 15;

  private IssuanceRules() {}

  /** Why {@code holder} cannot get {@code type} today, or null. */
  static RefusalReason refusal(Resident holder, CertificateType type, LocalDate today) {
    switch (holder.status()) {
      case DECEASED:
        return RefusalReason.DECEASED;
      case MOVED_OUT:
      case MOVE_OUT_FILED:
        return RefusalReason.MOVED_OUT;
      case ACTIVE:
        break;
    }
    if (holder.supportMeasure()) {
      return RefusalReason.SUPPORT_MEASURE;
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
}
