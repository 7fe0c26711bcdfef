package jp.kofu.issuer.spi;

/** Who appears on a residence certificate. */
public enum HouseholdScope {
  /** 本人のみ. */
  SELF,
  /** 世帯全員. */
  WHOLE_HOUSEHOLD,
  /** 世帯の一部. */
  SELECTED_MEMBERS
}
