package jp.kofu.issuer.document;

import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import jp.kofu.issuer.document.ResidenceCertificate.Person;
import jp.kofu.issuer.spi.CertificateOption;

/** Invented residents and documents for the document tests: short to use, all fiction. */
final class TestDocuments {
  static final MunicipalityIdentity CHIYODA =
      new MunicipalityIdentity("131016", "東京都", "千代田区", "千代田区長", "山田 太郎");
  static final String ADDRESS = "東京都千代田区丸の内一丁目1番1号";
  static final ZonedDateTime ISSUED_AT = ZonedDateTime.of(2026, 11, 26, 10, 15, 0, 0, ZoneId.of("Asia/Tokyo"));

  /** Twelve household members, head first; names and numbers invented. */
  static final List<Person> HOUSEHOLD =
      List.of(
          person("佐藤 健一", "さとう けんいち", LocalDate.of(1958, 3, 14), Sex.MALE, "世帯主", "123456789018"),
          person("佐藤 美智子", "さとう みちこ", LocalDate.of(1961, 7, 2), Sex.FEMALE, "妻", "234567890123"),
          person("佐藤 大輔", "さとう だいすけ", LocalDate.of(1989, 1, 8), Sex.MALE, "子", "345678901234"),
          person("佐藤 彩花", "さとう あやか", LocalDate.of(1992, 11, 30), Sex.FEMALE, "子の妻", "456789012345"),
          person("佐藤 陽翔", "さとう はると", LocalDate.of(2019, 5, 1), Sex.MALE, "孫", "567890123456"),
          person("佐藤 結衣", "さとう ゆい", LocalDate.of(2021, 2, 3), Sex.FEMALE, "孫", "678901234567"),
          person("佐藤 正雄", "さとう まさお", LocalDate.of(1931, 6, 20), Sex.MALE, "父", "789012345678"),
          person("佐藤 キヨ", "さとう きよ", LocalDate.of(1934, 9, 9), Sex.FEMALE, "母", "890123456789"),
          person("鈴木 直樹", "すずき なおき", LocalDate.of(1995, 4, 1), Sex.MALE, "縁故者", "901234567890"),
          person("高橋 葵", "たかはし あおい", LocalDate.of(2000, 12, 24), Sex.FEMALE, "同居人", "112233445566"),
          person("田中 蒼空", "たなか そら", LocalDate.of(2003, 8, 15), Sex.MALE, "同居人", "223344556677"),
          person("伊藤 芽依", "いとう めい", LocalDate.of(2005, 10, 10), Sex.FEMALE, "同居人", "334455667788"));

  private TestDocuments() {}

  static Person person(String name, String kana, LocalDate born, Sex sex, String relationship, String myNumber) {
    return new Person(
        name,
        kana,
        born,
        sex,
        relationship,
        born.isAfter(LocalDate.of(2010, 4, 1)) ? born : LocalDate.of(2010, 4, 1),
        LocalDate.of(2010, 4, 1),
        "東京都新宿区西新宿二丁目8番1号",
        "東京都千代田区千代田1番",
        "佐藤 正雄",
        myNumber,
        null,
        null,
        null);
  }

  static Person foreigner() {
    return new Person(
        "スミス ジョン",
        "すみす じょん",
        LocalDate.of(1985, 2, 28),
        Sex.MALE,
        "同居人",
        LocalDate.of(2023, 4, 1),
        LocalDate.of(2023, 4, 1),
        "アメリカ合衆国",
        null,
        null,
        "445566778899",
        "アメリカ合衆国",
        "技術・人文知識・国際業務　在留期間 5年 満了日 令和10年3月31日",
        "AB12345678CD");
  }

  static ResidenceCertificate certificate(List<Person> persons, Set<CertificateOption> options) {
    return new ResidenceCertificate(CHIYODA, ADDRESS, HOUSEHOLD.get(0).name(), persons, options, false);
  }

  static ResidenceCertificate certificate(int persons, CertificateOption... options) {
    Set<CertificateOption> chosen = EnumSet.noneOf(CertificateOption.class);
    chosen.addAll(List.of(options));
    return certificate(HOUSEHOLD.subList(0, persons), chosen);
  }

  static DocumentMeta meta(String documentNumber) {
    byte[] binding = new byte[32];
    for (int i = 0; i < binding.length; i++) {
      binding[i] = (byte) (i * 7 + documentNumber.length());
    }
    return new DocumentMeta(documentNumber, ISSUED_AT, binding, null);
  }

  static DocumentMeta meta() {
    return meta("KF-20261126-000123");
  }

  static String text(byte[] pdf) {
    return jp.kofu.testing.PdfText.of(pdf);
  }

  static List<String> pageTexts(byte[] pdf) {
    return jp.kofu.testing.PdfText.pages(pdf);
  }
}
