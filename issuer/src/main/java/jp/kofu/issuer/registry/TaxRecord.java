package jp.kofu.issuer.registry;

import java.util.List;
import java.util.Objects;

/**
 * 個人住民税 as assessed for one 年度, or the record that nothing was filed ({@code filed} false,
 * every other field empty). Personal data: never log it.
 *
 * @param fiscalYear the 年度, e.g. 2026; the income is that of the calendar year before
 * @param address 住所 on the 賦課期日 (1 January)
 */
public record TaxRecord(
    long residentId,
    int fiscalYear,
    boolean filed,
    String address,
    long salaryRevenue,
    long salaryIncome,
    List<Amount> otherIncomes,
    List<Amount> deductions,
    boolean spouseDeduction,
    int dependents,
    long municipalIncomeLevy,
    long municipalPerCapita,
    long prefecturalIncomeLevy,
    long prefecturalPerCapita,
    long forestEnvironmentTax) {
  public TaxRecord {
    otherIncomes = List.copyOf(otherIncomes);
    deductions = List.copyOf(deductions);
  }

  /** The record of a year without any filing. */
  public static TaxRecord notFiled(long residentId, int fiscalYear) {
    return new TaxRecord(residentId, fiscalYear, false, null, 0, 0, List.of(), List.of(), false, 0, 0, 0, 0, 0, 0);
  }

  public long totalIncome() {
    return salaryIncome + otherIncomes.stream().mapToLong(Amount::yen).sum();
  }

  public long totalDeductions() {
    return deductions.stream().mapToLong(Amount::yen).sum();
  }

  public long annualTax() {
    return municipalIncomeLevy + municipalPerCapita + prefecturalIncomeLevy + prefecturalPerCapita + forestEnvironmentTax;
  }

  @Override
  public String toString() {
    return "TaxRecord[resident=" + residentId + ", fiscalYear=" + fiscalYear + ", filed=" + filed + "]";
  }

  /** One amount of income or deduction, e.g. 社会保険料控除 123,456 yen. */
  public record Amount(String label, long yen) {
    public Amount {
      Objects.requireNonNull(label, "label");
      if (yen < 0) {
        throw new IllegalArgumentException(label + ": negative (expected: >= 0)");
      }
    }

    @Override
    public String toString() {
      return "Amount[" + label + ", personal data withheld]";
    }
  }
}
