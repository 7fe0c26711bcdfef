package org.example.kofu.csvregistry;

import java.time.LocalDate;
import jp.kofu.issuer.spi.document.ResidenceEntry.Sex;

/**
 * One line of {@code residents.csv}, in this order: {@code card_issuer_key_id, card_serial, handle,
 * family_name, given_name, family_name_kana, given_name_kana, birth_date (ISO), sex (M/F), address
 * (below the municipality), became_resident_on, address_since, status (ACTIVE, MOVED_OUT or
 * DECEASED)}. The first line is a header. Personal data: {@link #toString()} shows the handle only.
 */
record ResidentRow(
    String cardIssuerKeyId,
    String cardSerial,
    String handle,
    String familyName,
    String givenName,
    String familyNameKana,
    String givenNameKana,
    LocalDate birthDate,
    Sex sex,
    String address,
    LocalDate becameResidentOn,
    LocalDate addressSince,
    String status) {

  static ResidentRow parse(String line, int lineNumber) {
    String[] f = line.split(",", -1);
    if (f.length != 13) {
      throw new IllegalStateException("residents.csv:" + lineNumber + ": " + f.length + " fields (expected: 13)");
    }
    return new ResidentRow(
        f[0], f[1], f[2], f[3], f[4], f[5], f[6], LocalDate.parse(f[7]), "M".equals(f[8]) ? Sex.MALE : Sex.FEMALE, f[9],
        LocalDate.parse(f[10]), LocalDate.parse(f[11]), f[12]);
  }

  String fullName() {
    return familyName + "　" + givenName;
  }

  String fullNameKana() {
    return familyNameKana + "　" + givenNameKana;
  }

  @Override
  public String toString() {
    return "ResidentRow[" + handle + "]";
  }
}
