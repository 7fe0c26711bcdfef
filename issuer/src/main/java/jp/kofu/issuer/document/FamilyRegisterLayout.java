package jp.kofu.issuer.document;

import java.util.ArrayList;
import java.util.List;
import jp.kofu.issuer.document.CertificateLayout.RegisterRow;
import jp.kofu.issuer.document.CertificateLayout.Rule;
import jp.kofu.issuer.document.FamilyRegisterCertificate.Event;
import jp.kofu.issuer.document.FamilyRegisterCertificate.Item;
import jp.kofu.issuer.document.FamilyRegisterCertificate.Member;

/**
 * The computerized family-register form (戸籍法施行規則 付録第22号様式) for 戸籍全部事項証明書 and
 * 戸籍個人事項証明書, and the same two-column form for 戸籍の附票の写し: labels on the left (本籍,
 * 氏名, 戸籍事項, 戸籍に記録されている者, 身分事項), bracketed items on the right (【名】, 【生年月日】,
 * ...).
 */
final class FamilyRegisterLayout {
  static final String CERTIFY_FULL = "これは、戸籍に記録されている事項の全部を証明した書面である。";
  static final String CERTIFY_INDIVIDUAL = "これは、戸籍中の一部の者について記録されている事項を証明した書面である。";
  static final String CERTIFY_ANNEX = "この写しは、戸籍の附票の原本と相違ないことを証明する。";

  private FamilyRegisterLayout() {}

  static void layOut(CertificateLayout layout, FamilyRegisterCertificate c, DocumentMeta meta) {
    layout.title(c.type().title());
    List<List<RegisterRow>> groups = new ArrayList<>();
    groups.add(head(c.domicile(), c.headName()));
    if (!c.registerEvents().isEmpty()) {
      List<RegisterRow> register = new ArrayList<>();
      register.add(row("戸籍事項", false, null, Rule.THICK));
      events(register, c.registerEvents(), "registerEvent");
      groups.add(register);
    }
    for (Member m : c.members()) {
      groups.add(member(m));
    }
    layout.register(groups);
    layout.note(ResidenceCertificateRenderer.END_OF_ENTRIES);
    layout.certification(
        CertificateRenderer.certification(c.individual() ? CERTIFY_INDIVIDUAL : CERTIFY_FULL, c.municipality(), meta));
  }

  static void layOut(CertificateLayout layout, FamilyRegisterAnnexCertificate c, DocumentMeta meta) {
    layout.title(c.type().title());
    List<List<RegisterRow>> groups = new ArrayList<>();
    groups.add(head(c.domicile(), c.headName()));
    for (FamilyRegisterAnnexCertificate.Person p : c.persons()) {
      List<RegisterRow> rows = new ArrayList<>();
      rows.add(new RegisterRow("附票に記録されている者", false, false, "name", "【氏名】" + p.name(), Rule.THICK));
      StringBuilder particulars = new StringBuilder();
      if (p.birthDate() != null) {
        particulars.append("【生年月日】").append(JapaneseDates.format(p.birthDate(), "birthDate"));
      }
      if (p.sex() != null) {
        particulars.append(particulars.isEmpty() ? "" : "　").append("【性別】").append(p.sex().printed());
      }
      if (!particulars.isEmpty()) {
        rows.add(new RegisterRow(null, false, false, "birthDate", particulars.toString(), Rule.NONE));
      }
      boolean first = true;
      for (FamilyRegisterAnnexCertificate.AddressEntry a : p.addresses()) {
        rows.add(new RegisterRow(first ? "住所" : null, false, false, "address", "【住所】" + a.address(),
            first ? Rule.THIN : Rule.NONE));
        rows.add(new RegisterRow(null, false, false, "addressSince",
            "【住所を定めた日】" + JapaneseDates.format(a.since(), "addressSince"), Rule.NONE));
        first = false;
      }
      groups.add(rows);
    }
    layout.register(groups);
    layout.note(ResidenceCertificateRenderer.END_OF_ENTRIES);
    layout.certification(CertificateRenderer.certification(CERTIFY_ANNEX, c.municipality(), meta));
  }

  private static List<RegisterRow> head(String domicile, String headName) {
    return List.of(
        new RegisterRow("本　　籍", false, false, "domicile", domicile, Rule.NONE),
        new RegisterRow("氏　　名", false, false, "headName", headName, Rule.NONE));
  }

  private static List<RegisterRow> member(Member m) {
    List<RegisterRow> rows = new ArrayList<>();
    rows.add(new RegisterRow("戸籍に記録されている者", false, false, "givenName", "【名】" + m.givenName(), Rule.THICK));
    // The 除籍 mark stands under the label of a person who left the register.
    rows.add(new RegisterRow(m.removed() ? "除　籍" : null, false, m.removed(), "blank", null, Rule.NONE));
    String born = "【生年月日】" + JapaneseDates.format(m.birthDate(), "birthDate");
    if (m.spouseRole() != null) {
      born += "　　【配偶者区分】" + m.spouseRole();
    }
    rows.add(new RegisterRow(null, false, false, "birthDate", born, Rule.NONE));
    if (m.father() != null) {
      rows.add(new RegisterRow(null, false, false, "father", "【父】" + m.father(), Rule.NONE));
    }
    if (m.mother() != null) {
      rows.add(new RegisterRow(null, false, false, "mother", "【母】" + m.mother(), Rule.NONE));
    }
    rows.add(new RegisterRow(null, false, false, "relationship", "【続柄】" + m.relationship(), Rule.NONE));
    if (!m.events().isEmpty()) {
      rows.add(row("身分事項", false, null, Rule.THIN));
      events(rows, m.events(), "event");
    }
    return rows;
  }

  /** Each event: its kind indented in the left column beside its first item, then one item per line. */
  private static void events(List<RegisterRow> rows, List<Event> events, String field) {
    for (Event e : events) {
      boolean first = true;
      for (Item item : e.items()) {
        rows.add(new RegisterRow(first ? spaced(e.kind()) : null, true, false, field, item(item), Rule.NONE));
        first = false;
      }
    }
  }

  private static String item(Item item) {
    return "【" + item.label() + "】"
        + (item.date() != null ? JapaneseDates.format(item.date(), item.label()) : item.text());
  }

  private static RegisterRow row(String label, boolean indent, String text, Rule rule) {
    return new RegisterRow(label, indent, false, "text", text, rule);
  }

  /** Two-character kinds are spread over the width of three, as the register prints 出　生. */
  private static String spaced(String kind) {
    return kind.codePointCount(0, kind.length()) == 2
        ? kind.substring(0, kind.offsetByCodePoints(0, 1)) + "　" + kind.substring(kind.offsetByCodePoints(0, 1))
        : kind;
  }
}
