package jp.kofu.issuer.document;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import jp.kofu.issuer.spi.CertificateType;

/**
 * The content of a 所得・課税証明書 for one 年度: the income of the previous calendar year, the
 * deductions, the 課税標準額 and the resident taxes (個人住民税) levied on it. The municipality
 * prints the names of the two taxes after its own kind (特別区民税・都民税, 市民税・県民税, ...).
 *
 * <p>The sums are checked here, so a certificate can never print a total that does not add up:
 * {@code totalIncome} is the salary income plus the other incomes, {@code totalDeductions} the sum
 * of the deductions, {@code taxableIncome} is {@link #taxableIncome(long, long)}, and {@code
 * annualTax} the sum of the four levies and the 森林環境税.
 *
 * @param fiscalYear the 年度 (Gregorian year of April–March, e.g. 2026 for 令和8年度); the
 *     income is that of the previous calendar year
 * @param address 住所 on 1 January of the 年度 (the 賦課期日)
 * @param nameKana the reading, or null
 * @param birthDate 生年月日, or null when the municipality prints none
 * @param salaryRevenue 給与収入
 * @param salaryIncome 給与所得 (after the 給与所得控除)
 * @param otherIncomes other kinds of income, e.g. 公的年金等所得, 事業所得; may be empty
 * @param totalIncome 合計所得金額 / 総所得金額等
 * @param deductions 所得控除, e.g. 社会保険料控除, 基礎控除
 * @param totalDeductions 所得控除額合計
 * @param taxableIncome 課税標準額
 * @param spouseDeduction 控除対象配偶者 (or 配偶者特別控除) claimed
 * @param dependents number of 扶養親族
 * @param municipalIncomeLevy 市町村民税 所得割額
 * @param municipalPerCapita 市町村民税 均等割額
 * @param prefecturalIncomeLevy 道府県民税 所得割額
 * @param prefecturalPerCapita 道府県民税 均等割額
 * @param forestEnvironmentTax 森林環境税 (a national tax levied with the 均等割 since 令和6年度)
 * @param annualTax 年税額
 */
public record IncomeTaxCertificate(
    MunicipalityIdentity municipality,
    int fiscalYear,
    String address,
    String name,
    String nameKana,
    LocalDate birthDate,
    long salaryRevenue,
    long salaryIncome,
    List<Amount> otherIncomes,
    long totalIncome,
    List<Amount> deductions,
    long totalDeductions,
    long taxableIncome,
    boolean spouseDeduction,
    int dependents,
    long municipalIncomeLevy,
    long municipalPerCapita,
    long prefecturalIncomeLevy,
    long prefecturalPerCapita,
    long forestEnvironmentTax,
    long annualTax)
    implements CertificateContent {
  public IncomeTaxCertificate {
    Objects.requireNonNull(municipality, "municipality");
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(name, "name");
    if (fiscalYear < 1990 || fiscalYear > 2200) {
      throw new IllegalArgumentException("fiscalYear: " + fiscalYear + " (expected: 1990..2200)");
    }
    otherIncomes = List.copyOf(otherIncomes);
    deductions = List.copyOf(deductions);
    nonNegative("salaryRevenue", salaryRevenue);
    nonNegative("salaryIncome", salaryIncome);
    nonNegative("totalDeductions", totalDeductions);
    nonNegative("dependents", dependents);
    nonNegative("municipalIncomeLevy", municipalIncomeLevy);
    nonNegative("municipalPerCapita", municipalPerCapita);
    nonNegative("prefecturalIncomeLevy", prefecturalIncomeLevy);
    nonNegative("prefecturalPerCapita", prefecturalPerCapita);
    nonNegative("forestEnvironmentTax", forestEnvironmentTax);
    long incomes = salaryIncome + otherIncomes.stream().mapToLong(Amount::yen).sum();
    if (totalIncome != incomes) {
      throw new IllegalArgumentException("totalIncome: does not equal the salary income plus the other incomes");
    }
    if (totalDeductions != deductions.stream().mapToLong(Amount::yen).sum()) {
      throw new IllegalArgumentException("totalDeductions: does not equal the sum of the deductions");
    }
    if (taxableIncome != taxableIncome(totalIncome, totalDeductions)) {
      throw new IllegalArgumentException(
          "taxableIncome: expected the total income less the deductions, rounded down to 1,000 yen");
    }
    long levies = municipalIncomeLevy + municipalPerCapita + prefecturalIncomeLevy + prefecturalPerCapita + forestEnvironmentTax;
    if (annualTax != levies) {
      throw new IllegalArgumentException("annualTax: does not equal the sum of the levies");
    }
  }

  /** 課税標準額: income less deductions, never below zero, rounded down to 1,000 yen (地方税法 §20の4の2). */
  public static long taxableIncome(long totalIncome, long totalDeductions) {
    return Math.max(0, totalIncome - totalDeductions) / 1000 * 1000;
  }

  /** The year whose income is certified (令和7年中 for 令和8年度). */
  public int incomeYear() {
    return fiscalYear - 1;
  }

  @Override
  public CertificateType type() {
    return CertificateType.INCOME_TAX;
  }

  @Override
  public String toString() {
    return "IncomeTaxCertificate[municipality=" + municipality.code() + ", fiscalYear=" + fiscalYear
        + ", personal data withheld]";
  }

  private static void nonNegative(String field, long value) {
    if (value < 0) {
      throw new IllegalArgumentException(field + ": negative (expected: >= 0)");
    }
  }

  /** One labelled amount in yen, e.g. 社会保険料控除 1,234,000. */
  public record Amount(String label, long yen) {
    public Amount {
      Objects.requireNonNull(label, "label");
      if (yen < 0) {
        throw new IllegalArgumentException(label + ": negative (expected: >= 0)");
      }
    }

    @Override
    public String toString() {
      return "Amount[" + label + ", withheld]";
    }
  }
}
