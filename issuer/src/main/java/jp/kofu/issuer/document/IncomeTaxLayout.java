package jp.kofu.issuer.document;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import jp.kofu.issuer.document.CertificateLayout.Cell;
import jp.kofu.issuer.document.CertificateLayout.Row;
import jp.kofu.issuer.document.IncomeTaxCertificate.Amount;

/**
 * 所得・課税証明書: the person, the income of the year, the deductions, the 課税標準額 and the two
 * resident taxes, each named after the municipality's kind (特別区民税・都民税, 市民税・県民税, ...).
 */
final class IncomeTaxLayout {
  static final String CERTIFY = "上記のとおり相違ないことを証明する。";

  private IncomeTaxLayout() {}

  static void layOut(CertificateLayout layout, IncomeTaxCertificate c, DocumentMeta meta) {
    layout.title(c.type().title());
    String fiscal = JapaneseDates.year(c.fiscalYear()) + "度";
    String incomeYear = JapaneseDates.year(c.incomeYear()) + "中";
    List<Row> person = new ArrayList<>(3);
    person.add(new Row(Cell.of("fiscalYear", "年度", fiscal + "（" + incomeYear + "の所得）", 1)));
    person.add(new Row(Cell.of("address", "住所", c.address(), 1)));
    Cell name = Cell.of("name", "氏名", c.name(), c.birthDate() == null ? 1 : 0.55f);
    if (c.nameKana() != null) {
      name = name.withRuby(c.nameKana());
    }
    person.add(c.birthDate() == null
        ? new Row(name)
        : new Row(name, Cell.of("birthDate", "生年月日", JapaneseDates.format(c.birthDate(), "birthDate"), 0.45f)));
    layout.block(person);

    layout.heading("所得の状況（" + incomeYear + "）");
    List<Amount> incomes = new ArrayList<>();
    incomes.add(new Amount("給与収入", c.salaryRevenue()));
    incomes.add(new Amount("給与所得", c.salaryIncome()));
    incomes.addAll(c.otherIncomes());
    List<Row> incomeRows = pairs("income", incomes);
    incomeRows.add(new Row(Cell.amount("totalIncome", "合計所得金額", yen(c.totalIncome()), 1)));
    layout.block(incomeRows);

    layout.heading("所得控除");
    List<Row> deductionRows = pairs("deduction", c.deductions());
    deductionRows.add(
        new Row(
            Cell.of("spouseDeduction", "控除対象配偶者", c.spouseDeduction() ? "有" : "無", 0.5f),
            Cell.of("dependents", "扶養親族", c.dependents() + "人", 0.5f)));
    deductionRows.add(new Row(Cell.amount("totalDeductions", "所得控除額合計", yen(c.totalDeductions()), 1)));
    layout.block(deductionRows);

    layout.heading(fiscal + "　課税額");
    String local = municipalTax(c.municipality());
    String prefectural = prefecturalTax(c.municipality());
    List<Row> tax = new ArrayList<>();
    tax.add(new Row(Cell.amount("taxableIncome", "課税標準額", yen(c.taxableIncome()), 1)));
    tax.add(new Row(
        Cell.amount("municipalIncomeLevy", local + "所得割額", yen(c.municipalIncomeLevy()), 0.5f),
        Cell.amount("municipalPerCapita", local + "均等割額", yen(c.municipalPerCapita()), 0.5f)));
    tax.add(new Row(
        Cell.amount("prefecturalIncomeLevy", prefectural + "所得割額", yen(c.prefecturalIncomeLevy()), 0.5f),
        Cell.amount("prefecturalPerCapita", prefectural + "均等割額", yen(c.prefecturalPerCapita()), 0.5f)));
    tax.add(new Row(
        Cell.amount("forestEnvironmentTax", "森林環境税", yen(c.forestEnvironmentTax()), 0.5f),
        Cell.amount("annualTax", "年税額", yen(c.annualTax()), 0.5f)));
    layout.block(tax);
    layout.note(ResidenceCertificateRenderer.END_OF_ENTRIES);
    layout.certification(CertificateRenderer.certification(CERTIFY, c.municipality(), meta));
  }

  /** Amounts two to a row, as the certificate's grid sets them. */
  private static List<Row> pairs(String field, List<Amount> amounts) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < amounts.size(); i += 2) {
      Amount a = amounts.get(i);
      if (i + 1 < amounts.size()) {
        Amount b = amounts.get(i + 1);
        rows.add(new Row(Cell.amount(field, a.label(), yen(a.yen()), 0.5f), Cell.amount(field, b.label(), yen(b.yen()), 0.5f)));
      } else {
        rows.add(new Row(Cell.amount(field, a.label(), yen(a.yen()), 0.5f), Cell.of(field, "", "", 0.5f)));
      }
    }
    return rows;
  }

  static String yen(long amount) {
    return String.format(Locale.ROOT, "%,d円", amount);
  }

  /** 特別区民税 for Tokyo's wards, else 市民税, 町民税 or 村民税 after the municipality's kind. */
  static String municipalTax(MunicipalityIdentity m) {
    String name = m.name();
    if (m.prefecture().equals("東京都") && name.endsWith("区")) {
      return "特別区民税";
    }
    if (name.contains("市")) {
      return "市民税"; // cities, and the wards of designated cities
    }
    if (name.endsWith("町")) {
      return "町民税";
    }
    if (name.endsWith("村")) {
      return "村民税";
    }
    return "市町村民税";
  }

  /** 都民税, 道民税, 府民税 or 県民税. */
  static String prefecturalTax(MunicipalityIdentity m) {
    String p = m.prefecture();
    return p.isEmpty() ? "道府県民税" : p.substring(p.length() - 1) + "民税";
  }
}
