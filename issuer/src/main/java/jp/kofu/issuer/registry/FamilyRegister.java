package jp.kofu.issuer.registry;

/**
 * A family register (戸籍), kept by its 本籍地. Personal data: never log it.
 *
 * @param municipalityCode the 本籍地
 * @param domicile 本籍 as printed, with the prefecture
 * @param familyName the register's 氏
 * @param headName the 筆頭者's 氏名
 * @param noticePending a notice was accepted but is not yet recorded: nothing may be certified
 */
public record FamilyRegister(
    long id, String municipalityCode, String domicile, String familyName, String headName, boolean noticePending) {
  @Override
  public String toString() {
    return "FamilyRegister[id=" + id + ", municipality=" + municipalityCode + "]";
  }
}
