package jp.kofu.issuer.document;

/** 性別 as printed. */
public enum Sex {
  MALE("男"),
  FEMALE("女");

  private final String printed;

  Sex(String printed) {
    this.printed = printed;
  }

  public String printed() {
    return printed;
  }
}
