package jp.kofu.issuer.calendar;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** 利用登録 takes effect 5 business days after filing: weekends, holidays and 年末年始 skipped. */
class BusinessDaysTest {
  @ParameterizedTest(name = "filed {0} -> effective {1}")
  @CsvSource({
    // a plain week: Monday to Monday
    "2026-11-09, 2026-11-16",
    // 勤労感謝の日 on Monday 23 November
    "2026-11-20, 2026-11-30",
    // 年末年始: 29 Dec to 3 Jan closed, then a normal week
    "2026-12-25, 2027-01-07",
    // filed during the closure itself
    "2026-12-30, 2027-01-08",
    // Golden Week: 3-6 May with the substitute holiday on Wednesday 6 May
    "2026-04-30, 2026-05-12",
    // Silver Week: 21-23 September 2026, 22nd being a citizens' holiday
    "2026-09-18, 2026-09-30",
    // filed on a Saturday
    "2026-11-14, 2026-11-20"
  })
  void fiveBusinessDaysAfterFiling(LocalDate filed, LocalDate effective) {
    assertThat(BusinessDays.after(filed, 5)).isEqualTo(effective);
  }

  @Test
  void yearEndClosureIs29DecemberTo3January() {
    assertThat(BusinessDays.isYearEndClosure(LocalDate.of(2026, 12, 28))).isFalse();
    assertThat(BusinessDays.isYearEndClosure(LocalDate.of(2026, 12, 29))).isTrue();
    assertThat(BusinessDays.isYearEndClosure(LocalDate.of(2027, 1, 3))).isTrue();
    assertThat(BusinessDays.isYearEndClosure(LocalDate.of(2027, 1, 4))).isFalse();
    assertThat(BusinessDays.isBusinessDay(LocalDate.of(2027, 1, 4))).isTrue();
  }

  @Test
  void holidaysAndWeekendsAreNotBusinessDays() {
    assertThat(BusinessDays.isBusinessDay(LocalDate.of(2026, 11, 23))).isFalse();
    assertThat(BusinessDays.isBusinessDay(LocalDate.of(2026, 11, 28))).isFalse();
    assertThat(BusinessDays.isBusinessDay(LocalDate.of(2026, 11, 26))).isTrue();
    assertThat(BusinessDays.onOrAfter(LocalDate.of(2026, 5, 2))).isEqualTo(LocalDate.of(2026, 5, 7));
  }
}
