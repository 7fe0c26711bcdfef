package jp.kofu.issuer.registry;

/** 性別 as the registry records it ("M" or "F" in its tables). */
public enum Sex {
  MALE,
  FEMALE
}
