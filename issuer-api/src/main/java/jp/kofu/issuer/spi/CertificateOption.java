package jp.kofu.issuer.spi;

/** Optional items of a residence certificate. */
public enum CertificateOption {
  /** 世帯主・続柄. */
  HEAD_OF_HOUSEHOLD,
  /** 本籍・筆頭者. */
  DOMICILE,
  /** 個人番号. */
  MY_NUMBER,
  /** 国籍・地域. */
  NATIONALITY,
  /** 在留資格・在留期間. */
  RESIDENCE_STATUS,
  /** 在留カード等の番号. */
  RESIDENCE_CARD_NUMBER
}
