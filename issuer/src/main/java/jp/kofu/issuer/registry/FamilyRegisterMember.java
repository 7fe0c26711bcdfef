package jp.kofu.issuer.registry;

import java.time.LocalDate;

/**
 * A person recorded in a family register (戸籍に記録されている者). Personal data: never log it.
 *
 * @param handle opaque: what the 本籍地 knows this person by at the gateway
 * @param residentId the resident record, when the person lives in a municipality of this
 *     registry; else null
 * @param spouseRole 夫 or 妻, or null
 * @param relationship 【続柄】, e.g. 長男
 * @param removed 除籍
 * @param supportMeasure a DV or stalking support measure recorded at the 本籍地
 */
public record FamilyRegisterMember(
    long id,
    long registerId,
    int order,
    String handle,
    Long residentId,
    String givenName,
    LocalDate birthDate,
    Sex sex,
    String spouseRole,
    String father,
    String mother,
    String relationship,
    boolean removed,
    boolean supportMeasure) {
  public int ageOn(LocalDate day) {
    return java.time.Period.between(birthDate, day).getYears();
  }

  @Override
  public String toString() {
    return "FamilyRegisterMember[id=" + id + ", register=" + registerId + "]";
  }
}
