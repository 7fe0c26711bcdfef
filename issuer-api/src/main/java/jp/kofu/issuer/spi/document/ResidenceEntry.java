package jp.kofu.issuer.spi.document;

import java.time.LocalDate;
import java.util.Objects;

/**
 * One resident as a 住民票の写し prints them. Personal data: never in {@link #toString()}.
 *
 * @param address the address after the municipality's name, e.g. 千代田一丁目1番1号
 * @param fullName as registered
 * @param fullNameKana the reading
 * @param becameResidentOn 住民となった日
 * @param addressSince 住所を定めた日
 */
public record ResidenceEntry(
    String address, String fullName, String fullNameKana, LocalDate birthDate, Sex sex, LocalDate becameResidentOn, LocalDate addressSince) {
  public ResidenceEntry {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(fullName, "fullName");
    Objects.requireNonNull(fullNameKana, "fullNameKana");
    Objects.requireNonNull(birthDate, "birthDate");
    Objects.requireNonNull(sex, "sex");
    Objects.requireNonNull(becameResidentOn, "becameResidentOn");
    Objects.requireNonNull(addressSince, "addressSince");
  }

  /** 性別 as printed. */
  public enum Sex {
    /** 男. */
    MALE,
    /** 女. */
    FEMALE
  }

  @Override
  public String toString() {
    return "ResidenceEntry[personal data withheld]";
  }
}
