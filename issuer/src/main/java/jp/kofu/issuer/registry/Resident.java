package jp.kofu.issuer.registry;

import java.time.LocalDate;

/** A resident's record. Personal data: never log it, never put it in an exception message. */
public record Resident(
    long id,
    String handle,
    String municipalityCode,
    long householdId,
    int householdOrder,
    String familyName,
    String givenName,
    String familyNameKana,
    String givenNameKana,
    LocalDate birthDate,
    Sex sex,
    String relationship,
    LocalDate becameResidentOn,
    LocalDate addressSince,
    String previousAddress,
    String domicile,
    String domicileHead,
    String domicileMunicipalityCode,
    String residentCode,
    String myNumber,
    String nationality,
    String residenceStatus,
    String residenceCardNumber,
    ResidentStatus status,
    LocalDate movedInOn,
    boolean supportMeasure,
    boolean gaijiPending) {

  /** 氏名 as printed: family and given name with a space between. */
  public String fullName() {
    return familyName + "　" + givenName;
  }

  public String fullNameKana() {
    return familyNameKana + "　" + givenNameKana;
  }

  public boolean isHeadOfHousehold() {
    return "世帯主".equals(relationship);
  }

  public boolean isForeignResident() {
    return nationality != null;
  }

  /** Age in whole years on {@code day}. */
  public int ageOn(LocalDate day) {
    return java.time.Period.between(birthDate, day).getYears();
  }

  @Override
  public String toString() {
    // Records print every field by default; a resident's must never reach a log line.
    return "Resident[id=" + id + ", municipality=" + municipalityCode + "]";
  }
}
