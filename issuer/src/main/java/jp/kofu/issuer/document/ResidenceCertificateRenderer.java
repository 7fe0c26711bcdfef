package jp.kofu.issuer.document;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import jp.kofu.issuer.document.CertificateLayout.Cell;
import jp.kofu.issuer.document.CertificateLayout.Row;
import jp.kofu.issuer.spi.CertificateOption;

/**
 * Renders a 住民票の写し (or a 住民票記載事項証明書) as an unsigned PDF: A4 portrait, laid out the way
 * a municipality's issuance system prints it. Only the chosen options are printed, and only the
 * persons in the content. Sign the result with {@link PadesSigner}. {@link CertificateRenderer}
 * renders this and every other type.
 *
 * <p>Thread-safe; documents render concurrently (each leases its own parsed font).
 */
public final class ResidenceCertificateRenderer {
  private static final String CERTIFY_COPY = "この写しは、住民票の原本と相違ないことを証明する。";
  private static final String CERTIFY_ITEMS = "上記のとおり住民票に記載されていることを証明する。";
  /** 以下余白: nothing follows, so nothing can be added below. */
  static final String END_OF_ENTRIES = "以下余白";

  private final CertificateFonts fonts;

  public ResidenceCertificateRenderer() {
    this(CertificateFonts.shared());
  }

  public ResidenceCertificateRenderer(CertificateFonts fonts) {
    this.fonts = Objects.requireNonNull(fonts, "fonts");
  }

  /**
   * The certificate as an unsigned PDF whose Info carries KofuBinding, KofuDocumentNumber,
   * KofuMunicipalityCode and KofuCertificateType.
   *
   * @throws IllegalArgumentException when a name, an address or another item does not fit the
   *     layout even at the smallest size, or holds a character the font lacks; the message names
   *     the item, never its content
   */
  public byte[] render(ResidenceCertificate content, DocumentMeta meta) {
    return new CertificateRenderer(fonts, VerificationLink.defaults()).render(content, meta);
  }

  /** Lays out the tables and the certification of {@code content}. */
  static void layOut(CertificateLayout layout, ResidenceCertificate content, DocumentMeta meta) {
    Set<CertificateOption> options = content.options();
    layout.title(content.type().title());
    layout.block(addressRows(content));
    for (ResidenceCertificate.Person person : content.persons()) {
      layout.block(personRows(person, options));
    }
    layout.note(END_OF_ENTRIES);
    layout.certification(
        CertificateRenderer.certification(
            content.itemsCertificate() ? CERTIFY_ITEMS : CERTIFY_COPY, content.municipality(), meta));
  }

  private static List<Row> addressRows(ResidenceCertificate content) {
    List<Row> rows = new ArrayList<>(2);
    rows.add(new Row(Cell.of("address", "住所", content.address(), 1)));
    if (content.options().contains(CertificateOption.HEAD_OF_HOUSEHOLD)) {
      rows.add(new Row(Cell.of("headOfHousehold", "世帯主", content.headOfHousehold(), 1)));
    }
    return rows;
  }

  private static List<Row> personRows(ResidenceCertificate.Person p, Set<CertificateOption> options) {
    List<Row> rows = new ArrayList<>(6);
    Cell name = Cell.of("name", "氏名", p.name(), 0.42f).withRuby(p.nameKana());
    Cell birth = Cell.of("birthDate", "生年月日", JapaneseDates.format(p.birthDate(), "birthDate"), 0.30f);
    Cell sex = Cell.of("sex", "性別", p.sex().printed(), 0.10f);
    if (options.contains(CertificateOption.HEAD_OF_HOUSEHOLD)) {
      rows.add(new Row(name, birth, sex, Cell.of("relationship", "続柄", p.relationship(), 0.18f)));
    } else {
      rows.add(new Row(name.withWeight(0.5f), birth.withWeight(0.36f), sex.withWeight(0.14f)));
    }
    rows.add(
        new Row(
            Cell.of("becameResidentOn", "住民となった日", JapaneseDates.format(p.becameResidentOn(), "becameResidentOn"), 0.5f),
            Cell.of("addressSince", "住所を定めた日", JapaneseDates.format(p.addressSince(), "addressSince"), 0.5f)));
    rows.add(new Row(Cell.of("previousAddress", "前住所", p.previousAddress(), 1)));
    if (options.contains(CertificateOption.DOMICILE)) {
      rows.add(
          new Row(
              Cell.of("domicile", "本籍", p.domicile(), 0.68f),
              Cell.of("domicileHead", "筆頭者", p.domicileHead(), 0.32f)));
    }
    if (options.contains(CertificateOption.MY_NUMBER)) {
      rows.add(new Row(Cell.of("myNumber", "個人番号", groupedMyNumber(p.myNumber()), 1)));
    }
    List<Cell> foreign = new ArrayList<>(2);
    if (options.contains(CertificateOption.NATIONALITY) && p.nationality() != null) {
      foreign.add(Cell.of("nationality", "国籍・地域", p.nationality(), 0.4f));
    }
    if (options.contains(CertificateOption.RESIDENCE_CARD_NUMBER) && p.residenceCardNumber() != null) {
      foreign.add(Cell.of("residenceCardNumber", "在留カード等の番号", p.residenceCardNumber(), 0.6f));
    }
    if (!foreign.isEmpty()) {
      rows.add(new Row(foreign));
    }
    if (options.contains(CertificateOption.RESIDENCE_STATUS) && p.residenceStatus() != null) {
      rows.add(new Row(Cell.of("residenceStatus", "在留資格", p.residenceStatus(), 1)));
    }
    return rows;
  }

  /** 123456789012 → 1234 5678 9012, the grouping printed on the card itself. */
  private static String groupedMyNumber(String myNumber) {
    if (myNumber == null || !myNumber.matches("[0-9]{12}")) {
      return myNumber;
    }
    return myNumber.substring(0, 4) + " " + myNumber.substring(4, 8) + " " + myNumber.substring(8);
  }
}
