package jp.kofu.issuer.spi;

/**
 * Why a municipality refuses. Each maps to the kofu.type.v1.Reason of the same name, except
 * {@link #SUPPORT_MEASURE}, which the copier only ever sees as NOT_ISSUABLE.
 */
public enum RefusalReason {
  CARD_NOT_REGISTERED,
  DOMICILE_NOT_REGISTERED,
  NOT_ISSUABLE,
  /** A DV or stalking support measure (支援措置): confidential, journaled only. */
  SUPPORT_MEASURE,
  OUT_OF_SERVICE_HOURS,
  CERTIFICATE_TYPE_NOT_OFFERED,
  OPTION_NOT_OFFERED,
  COPIES_OUT_OF_RANGE,
  UNDER_AGE,
  MOVED_OUT,
  DECEASED,
  NO_SEAL_REGISTRATION,
  MOVED_IN_TODAY,
  GAIJI_PENDING,
  FAMILY_REGISTER_NOTICE_PENDING,
  NO_TAX_FILING,
  DATA_TOO_LONG,
  /** INCOME_TAX for a 年度 other than the current one: stores issue the current one only. */
  FISCAL_YEAR_NOT_OFFERED;

  /** What the copier may be told: the confidential reasons become {@link #NOT_ISSUABLE}. */
  public RefusalReason shownToCopier() {
    return this == SUPPORT_MEASURE ? NOT_ISSUABLE : this;
  }
}
