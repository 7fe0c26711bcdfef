package jp.kofu.issuer.document;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import jp.kofu.issuer.spi.CertificateType;

/**
 * The content of a 戸籍全部事項証明書 (every person of a family register) or, with {@code
 * individual}, a 戸籍個人事項証明書 (the chosen persons only), in the computerized layout of the
 * 戸籍法施行規則 付録第22号様式: 本籍 and 氏名 of the 筆頭者, the 戸籍事項 (編製, 転籍, ...), then for each
 * person the block 「戸籍に記録されている者」 with 名, 生年月日, 父, 母, 続柄 and the 身分事項 (出生,
 * 婚姻, ...).
 *
 * @param municipality the 本籍地, which keeps the register and certifies it
 * @param domicile 本籍, e.g. 東京都千代田区千代田一丁目1番
 * @param headName 筆頭者's 氏名, e.g. 佐藤　健一
 * @param registerEvents 戸籍事項: events of the register itself, e.g. 戸籍編製
 * @param members the persons printed, in register order (for {@code individual}: only those
 *     requested)
 * @param individual true for a 戸籍個人事項証明書
 */
public record FamilyRegisterCertificate(
    MunicipalityIdentity municipality,
    String domicile,
    String headName,
    List<Event> registerEvents,
    List<Member> members,
    boolean individual)
    implements CertificateContent {
  public FamilyRegisterCertificate {
    Objects.requireNonNull(municipality, "municipality");
    Objects.requireNonNull(domicile, "domicile");
    Objects.requireNonNull(headName, "headName");
    registerEvents = List.copyOf(registerEvents);
    members = List.copyOf(members);
    if (members.isEmpty()) {
      throw new IllegalArgumentException("members: empty (expected: at least one person)");
    }
  }

  @Override
  public CertificateType type() {
    return individual ? CertificateType.FAMILY_REGISTER_INDIVIDUAL : CertificateType.FAMILY_REGISTER_FULL;
  }

  @Override
  public String toString() {
    return "FamilyRegisterCertificate[municipality=" + municipality.code() + ", individual=" + individual
        + ", members=" + members.size() + ", personal data withheld]";
  }

  /**
   * One person 「戸籍に記録されている者」.
   *
   * @param givenName 【名】 (the family name is the register's)
   * @param spouseRole 【配偶者区分】 夫 or 妻, or null when not married
   * @param father 【父】's name, or null
   * @param mother 【母】's name, or null
   * @param relationship 【続柄】 to the parents, e.g. 長男, 二女
   * @param events 身分事項, in the order recorded
   * @param removed 除籍: the person left the register (marriage, death, ...); printed with the
   *     除籍 mark, as the register keeps them
   */
  public record Member(
      String givenName,
      LocalDate birthDate,
      String spouseRole,
      String father,
      String mother,
      String relationship,
      List<Event> events,
      boolean removed) {
    public Member {
      Objects.requireNonNull(givenName, "givenName");
      Objects.requireNonNull(birthDate, "birthDate");
      Objects.requireNonNull(relationship, "relationship");
      events = List.copyOf(events);
    }

    @Override
    public String toString() {
      return "Member[personal data withheld]";
    }
  }

  /**
   * One entry of 戸籍事項 or 身分事項: its kind (出生, 婚姻, 戸籍編製, ...) and its bracketed items
   * (【出生日】, 【出生地】, ...).
   */
  public record Event(String kind, List<Item> items) {
    public Event {
      Objects.requireNonNull(kind, "kind");
      items = List.copyOf(items);
      if (items.isEmpty()) {
        throw new IllegalArgumentException("items: empty (expected: at least one)");
      }
    }

    public Event(String kind, Item... items) {
      this(kind, List.of(items));
    }

    @Override
    public String toString() {
      return "Event[" + kind + ", personal data withheld]";
    }
  }

  /**
   * One bracketed item, e.g. 【出生日】令和元年5月1日: a date (printed in the era calendar) or text.
   */
  public record Item(String label, String text, LocalDate date) {
    public Item {
      Objects.requireNonNull(label, "label");
      if ((text == null) == (date == null)) {
        throw new IllegalArgumentException("item " + label + ": expected either a text or a date");
      }
    }

    public static Item text(String label, String text) {
      return new Item(label, Objects.requireNonNull(text, "text"), null);
    }

    public static Item date(String label, LocalDate date) {
      return new Item(label, null, Objects.requireNonNull(date, "date"));
    }

    @Override
    public String toString() {
      return "Item[" + label + ", personal data withheld]";
    }
  }
}
