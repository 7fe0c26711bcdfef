package jp.kofu.issuer.document;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import jp.kofu.issuer.spi.CertificateOption;
import jp.kofu.issuer.spi.CertificateType;

/**
 * The content of a 住民票の写し (or, with {@code itemsCertificate}, a 住民票記載事項証明書): one
 * household address and the persons chosen from it, in household order.
 *
 * @param address the household's address, e.g. 東京都千代田区丸の内一丁目1番1号
 * @param headOfHousehold 世帯主's name; printed only with {@link CertificateOption#HEAD_OF_HOUSEHOLD}
 * @param options what the resident chose to show; what is not chosen is not printed
 */
public record ResidenceCertificate(
    MunicipalityIdentity municipality,
    String address,
    String headOfHousehold,
    List<Person> persons,
    Set<CertificateOption> options,
    boolean itemsCertificate)
    implements CertificateContent {
  public ResidenceCertificate {
    Objects.requireNonNull(municipality, "municipality");
    Objects.requireNonNull(address, "address");
    persons = List.copyOf(persons);
    if (persons.isEmpty()) {
      throw new IllegalArgumentException("persons: empty (expected: at least the card holder)");
    }
    options = Set.copyOf(options);
  }

  @Override
  public CertificateType type() {
    return itemsCertificate ? CertificateType.RESIDENCE_ITEMS : CertificateType.RESIDENCE;
  }

  @Override
  public String toString() {
    return "ResidenceCertificate[municipality=" + municipality.code() + ", persons=" + persons.size()
        + ", options=" + options + ", personal data withheld]";
  }

  /**
   * One person on the certificate. Never here: 住民票コード, or removed persons (消除者).
   *
   * @param relationship 続柄 to the head of household, e.g. 世帯主, 妻, 子
   * @param becameResidentOn 住民となった日
   * @param addressSince 住所を定めた日
   * @param previousAddress 前住所, or null
   * @param domicile 本籍, or null
   * @param domicileHead 筆頭者, or null
   * @param myNumber 個人番号 (12 digits), or null; printed only with the MY_NUMBER option
   * @param nationality foreign residents: 国籍・地域, else null
   * @param residenceStatus foreign residents: 在留資格 and 在留期間, else null
   * @param residenceCardNumber foreign residents: 在留カード等の番号, else null
   */
  public record Person(
      String name,
      String nameKana,
      LocalDate birthDate,
      Sex sex,
      String relationship,
      LocalDate becameResidentOn,
      LocalDate addressSince,
      String previousAddress,
      String domicile,
      String domicileHead,
      String myNumber,
      String nationality,
      String residenceStatus,
      String residenceCardNumber) {
    public Person {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(nameKana, "nameKana");
      Objects.requireNonNull(birthDate, "birthDate");
      Objects.requireNonNull(sex, "sex");
      Objects.requireNonNull(becameResidentOn, "becameResidentOn");
      Objects.requireNonNull(addressSince, "addressSince");
    }

    @Override
    public String toString() {
      return "Person[personal data withheld]";
    }
  }
}
