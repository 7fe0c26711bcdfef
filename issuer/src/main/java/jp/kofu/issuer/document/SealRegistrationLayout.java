package jp.kofu.issuer.document;

import java.util.ArrayList;
import java.util.List;
import jp.kofu.issuer.document.CertificateLayout.Cell;
import jp.kofu.issuer.document.CertificateLayout.Row;

/**
 * 印鑑登録証明書: the registered impression at its true size in a box on the left, the registrant's
 * particulars beside it, and the certifying sentence of the 印鑑条例 model.
 */
final class SealRegistrationLayout {
  static final String CERTIFY = "この写しは、登録されている印影と相違ないことを証明する。";
  private static final float POINTS_PER_MM = 72f / 25.4f;

  private SealRegistrationLayout() {}

  static void layOut(CertificateLayout layout, SealRegistrationCertificate c, DocumentMeta meta) {
    layout.title(c.type().title());
    List<Row> rows = new ArrayList<>(4);
    Cell name = Cell.of("name", "氏名", c.name(), 1);
    rows.add(new Row(c.nameKana() == null ? name : name.withRuby(c.nameKana())));
    Cell birth = Cell.of("birthDate", "生年月日", JapaneseDates.format(c.birthDate(), "birthDate"), 0.7f);
    rows.add(c.sex() == null ? new Row(birth.withWeight(1)) : new Row(birth, Cell.of("sex", "性別", c.sex().printed(), 0.3f)));
    rows.add(new Row(Cell.of("address", "住所", c.address(), 1)));
    rows.add(new Row(Cell.of("registrationNumber", "登録番号", c.registrationNumber(), 1)));
    // The impression is printed at its registered size: a clerk compares it with the stamp.
    layout.imageBlock("印影（原寸）", c.impressionPng(), (float) (c.impressionSizeMm() * POINTS_PER_MM), rows);
    layout.note(ResidenceCertificateRenderer.END_OF_ENTRIES);
    layout.certification(CertificateRenderer.certification(CERTIFY, c.municipality(), meta));
  }
}
