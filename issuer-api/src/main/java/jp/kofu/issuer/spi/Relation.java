package jp.kofu.issuer.spi;

/** How a municipality relates to the card holder. */
public enum Relation {
  /** 住所地: where the resident lives. */
  ADDRESS,
  /** 本籍地: where the resident's family register is kept. */
  FAMILY_REGISTER
}
