package jp.kofu.issuer.document;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import jp.kofu.issuer.spi.CertificateType;

/**
 * The content of a 戸籍の附票の写し: the address history of the persons of one family register, kept
 * by the 本籍地 beside the register.
 *
 * @param municipality the 本籍地
 * @param domicile 本籍
 * @param headName 筆頭者's 氏名
 * @param persons the persons printed, in register order
 */
public record FamilyRegisterAnnexCertificate(
    MunicipalityIdentity municipality, String domicile, String headName, List<Person> persons)
    implements CertificateContent {
  public FamilyRegisterAnnexCertificate {
    Objects.requireNonNull(municipality, "municipality");
    Objects.requireNonNull(domicile, "domicile");
    Objects.requireNonNull(headName, "headName");
    persons = List.copyOf(persons);
    if (persons.isEmpty()) {
      throw new IllegalArgumentException("persons: empty (expected: at least one person)");
    }
  }

  @Override
  public CertificateType type() {
    return CertificateType.FAMILY_REGISTER_ANNEX;
  }

  @Override
  public String toString() {
    return "FamilyRegisterAnnexCertificate[municipality=" + municipality.code() + ", persons=" + persons.size()
        + ", personal data withheld]";
  }

  /**
   * One person of the 附票.
   *
   * @param name 氏名
   * @param birthDate 生年月日 (recorded on the 附票 since 令和4年), or null for an older entry
   * @param sex 性別 (likewise), or null
   * @param addresses 住所 and 住所を定めた日, oldest first; the last is the current address
   */
  public record Person(String name, LocalDate birthDate, Sex sex, List<AddressEntry> addresses) {
    public Person {
      Objects.requireNonNull(name, "name");
      addresses = List.copyOf(addresses);
      if (addresses.isEmpty()) {
        throw new IllegalArgumentException("addresses: empty (expected: at least the current address)");
      }
    }

    @Override
    public String toString() {
      return "Person[personal data withheld]";
    }
  }

  /** One 住所 and the day it was set (住所を定めた日). */
  public record AddressEntry(String address, LocalDate since) {
    public AddressEntry {
      Objects.requireNonNull(address, "address");
      Objects.requireNonNull(since, "since");
    }

    @Override
    public String toString() {
      return "AddressEntry[personal data withheld]";
    }
  }
}
