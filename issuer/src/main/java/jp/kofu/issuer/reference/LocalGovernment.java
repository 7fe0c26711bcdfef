package jp.kofu.issuer.reference;

/**
 * One row of the code table.
 *
 * @param code 6 digits with check digit
 * @param type prefecture, municipality or ward (of a designated city)
 * @param prefecture e.g. 北海道
 * @param name the unit's own name; a ward's is only its own, e.g. 中央区
 * @param parentCode for a ward, its designated city's code; else null
 * @param fullName prefecture + municipality (+ ward), e.g. 北海道札幌市中央区
 * @param reading hiragana
 */
public record LocalGovernment(
    String code, Type type, String prefecture, String name, String parentCode, String fullName, String reading) {

  public enum Type {
    PREFECTURE,
    MUNICIPALITY,
    WARD
  }

  /** The name without the prefecture: 千代田区, or for a ward 札幌市中央区. */
  public String nameWithinPrefecture() {
    return fullName.substring(prefecture.length());
  }

  /** The 5-digit code without its check digit, as towns.csv keys it. */
  public String code5() {
    return code.substring(0, 5);
  }
}
