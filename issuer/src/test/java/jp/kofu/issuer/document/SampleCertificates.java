package jp.kofu.issuer.document;

import static jp.kofu.issuer.document.FamilyRegisterCertificate.Item.date;
import static jp.kofu.issuer.document.FamilyRegisterCertificate.Item.text;

import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jp.kofu.issuer.document.FamilyRegisterAnnexCertificate.AddressEntry;
import jp.kofu.issuer.document.FamilyRegisterCertificate.Event;
import jp.kofu.issuer.document.FamilyRegisterCertificate.Member;
import jp.kofu.issuer.document.IncomeTaxCertificate.Amount;
import jp.kofu.issuer.spi.CertificateOption;
import jp.kofu.issuer.spi.CertificateType;

/**
 * One invented certificate of every type (all fiction), for tests and benchmarks in any module
 * (through the issuer's test-jar).
 */
public final class SampleCertificates {
  public static final MunicipalityIdentity CHIYODA =
      new MunicipalityIdentity("131016", "東京都", "千代田区", "千代田区長", "山田 太郎");
  public static final ZonedDateTime ISSUED_AT = ZonedDateTime.of(2026, 11, 26, 10, 15, 0, 0, ZoneId.of("Asia/Tokyo"));
  public static final String DOMICILE = "東京都千代田区千代田一丁目1番";

  private SampleCertificates() {}

  /** Every type, in the order of {@link CertificateType}. */
  public static Map<CertificateType, CertificateContent> all() {
    Map<CertificateType, CertificateContent> all = new LinkedHashMap<>();
    all.put(CertificateType.RESIDENCE, residence(false));
    all.put(CertificateType.RESIDENCE_ITEMS, residence(true));
    all.put(CertificateType.SEAL_REGISTRATION, seal());
    all.put(CertificateType.FAMILY_REGISTER_FULL, familyRegister(false));
    all.put(CertificateType.FAMILY_REGISTER_INDIVIDUAL, familyRegister(true));
    all.put(CertificateType.FAMILY_REGISTER_ANNEX, annex());
    all.put(CertificateType.INCOME_TAX, incomeTax());
    return all;
  }

  /** Meta with a verification code, so the QR code is printed. */
  public static DocumentMeta meta(String documentNumber) {
    byte[] binding = new byte[32];
    for (int i = 0; i < binding.length; i++) {
      binding[i] = (byte) (i * 11 + documentNumber.length());
    }
    return new DocumentMeta(documentNumber, ISSUED_AT, binding, "7KQ2-M9XD-4WPA");
  }

  public static ResidenceCertificate residence(boolean items) {
    return new ResidenceCertificate(
        CHIYODA,
        "東京都千代田区丸の内一丁目1番1号",
        TestDocuments.HOUSEHOLD.get(0).name(),
        TestDocuments.HOUSEHOLD.subList(0, items ? 1 : 4),
        EnumSet.of(CertificateOption.HEAD_OF_HOUSEHOLD, CertificateOption.DOMICILE),
        items);
  }

  public static SealRegistrationCertificate seal() {
    return new SealRegistrationCertificate(
        CHIYODA,
        "第 0012345 号",
        "佐藤 健一",
        "さとう けんいち",
        LocalDate.of(1958, 3, 14),
        Sex.MALE,
        "東京都千代田区丸の内一丁目1番1号",
        SealImpressions.png("佐藤健一", 360),
        15);
  }

  public static FamilyRegisterCertificate familyRegister(boolean individual) {
    Member head =
        new Member(
            "健一",
            LocalDate.of(1958, 3, 14),
            "夫",
            "佐藤　正雄",
            "佐藤　キヨ",
            "長男",
            List.of(
                new Event("出生",
                    date("出生日", LocalDate.of(1958, 3, 14)), text("出生地", "東京都千代田区"),
                    date("届出日", LocalDate.of(1958, 3, 20)), text("届出人", "父")),
                new Event("婚姻",
                    date("婚姻日", LocalDate.of(1985, 6, 1)), text("配偶者氏名", "鈴木　美智子"),
                    text("従前戸籍", "東京都千代田区千代田一丁目1番　佐藤　正雄"))),
            false);
    Member wife =
        new Member(
            "美智子",
            LocalDate.of(1961, 7, 2),
            "妻",
            "鈴木　一郎",
            "鈴木　花子",
            "長女",
            List.of(
                new Event("出生",
                    date("出生日", LocalDate.of(1961, 7, 2)), text("出生地", "神奈川県横浜市中区"),
                    date("届出日", LocalDate.of(1961, 7, 10)), text("届出人", "父")),
                new Event("婚姻",
                    date("婚姻日", LocalDate.of(1985, 6, 1)), text("配偶者氏名", "佐藤　健一"),
                    text("従前戸籍", "神奈川県横浜市中区山下町1番地　鈴木　一郎"))),
            false);
    Member son =
        new Member(
            "大輔",
            LocalDate.of(1989, 1, 8),
            null,
            "佐藤　健一",
            "佐藤　美智子",
            "長男",
            List.of(
                new Event("出生",
                    date("出生日", LocalDate.of(1989, 1, 8)), text("出生地", "東京都千代田区"),
                    date("届出日", LocalDate.of(1989, 1, 12)), text("届出人", "父")),
                new Event("婚姻",
                    date("婚姻日", LocalDate.of(2018, 10, 6)), text("配偶者氏名", "高橋　彩花"),
                    text("新本籍", "東京都港区芝公園四丁目2番"), text("称する氏", "夫の氏"))),
            true);
    Member daughter =
        new Member(
            "結衣",
            LocalDate.of(1993, 5, 21),
            null,
            "佐藤　健一",
            "佐藤　美智子",
            "長女",
            List.of(
                new Event("出生",
                    date("出生日", LocalDate.of(1993, 5, 21)), text("出生地", "東京都千代田区"),
                    date("届出日", LocalDate.of(1993, 5, 28)), text("届出人", "母"))),
            false);
    List<Event> registerEvents =
        List.of(
            new Event("戸籍改製",
                date("改製日", LocalDate.of(2004, 3, 6)),
                text("改製事由", "平成6年法務省令第51号附則第2条第1項による改製")));
    return new FamilyRegisterCertificate(
        CHIYODA, DOMICILE, "佐藤　健一", registerEvents,
        individual ? List.of(daughter) : List.of(head, wife, son, daughter), individual);
  }

  public static FamilyRegisterAnnexCertificate annex() {
    return new FamilyRegisterAnnexCertificate(
        CHIYODA,
        DOMICILE,
        "佐藤　健一",
        List.of(
            new FamilyRegisterAnnexCertificate.Person(
                "佐藤　健一", LocalDate.of(1958, 3, 14), Sex.MALE,
                List.of(
                    new AddressEntry("東京都新宿区西新宿二丁目8番1号", LocalDate.of(1985, 6, 1)),
                    new AddressEntry("東京都千代田区丸の内一丁目1番1号", LocalDate.of(2010, 4, 1)))),
            new FamilyRegisterAnnexCertificate.Person(
                "佐藤　美智子", LocalDate.of(1961, 7, 2), Sex.FEMALE,
                List.of(
                    new AddressEntry("東京都新宿区西新宿二丁目8番1号", LocalDate.of(1985, 6, 1)),
                    new AddressEntry("東京都千代田区丸の内一丁目1番1号", LocalDate.of(2010, 4, 1)))),
            new FamilyRegisterAnnexCertificate.Person(
                "佐藤　結衣", LocalDate.of(1993, 5, 21), Sex.FEMALE,
                List.of(
                    new AddressEntry("東京都千代田区丸の内一丁目1番1号", LocalDate.of(2010, 4, 1)),
                    new AddressEntry("大阪府大阪市北区梅田三丁目1番3号", LocalDate.of(2016, 4, 1))))));
  }

  public static IncomeTaxCertificate incomeTax() {
    List<Amount> deductions =
        List.of(
            new Amount("社会保険料控除", 812_000),
            new Amount("生命保険料控除", 28_000),
            new Amount("配偶者控除", 330_000),
            new Amount("基礎控除", 430_000));
    long totalIncome = 4_360_000 + 0;
    long totalDeductions = deductions.stream().mapToLong(Amount::yen).sum();
    long taxable = IncomeTaxCertificate.taxableIncome(totalIncome, totalDeductions);
    long municipalLevy = taxable * 6 / 100 - 1_500;
    long prefecturalLevy = taxable * 4 / 100 - 1_000;
    return new IncomeTaxCertificate(
        CHIYODA, 2026, "東京都千代田区丸の内一丁目1番1号", "佐藤 健一", "さとう けんいち", LocalDate.of(1958, 3, 14),
        6_200_000, 4_360_000, List.of(), totalIncome, deductions, totalDeductions, taxable, true, 0,
        municipalLevy, 3_000, prefecturalLevy, 1_000, 1_000,
        municipalLevy + 3_000 + prefecturalLevy + 1_000 + 1_000);
  }
}
