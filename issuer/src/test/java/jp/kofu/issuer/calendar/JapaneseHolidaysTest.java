package jp.kofu.issuer.calendar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Against the Cabinet Office's published lists (内閣府「国民の祝日について」). */
class JapaneseHolidaysTest {
  @Test
  void year2026() {
    assertThat(JapaneseHolidays.of(2026).keySet())
        .containsExactlyElementsOf(dates(2026, "1-1 1-12 2-11 2-23 3-20 4-29 5-3 5-4 5-5 5-6 7-20 8-11 9-21 9-22 9-23 10-12 11-3 11-23"));
    assertThat(JapaneseHolidays.name(LocalDate.of(2026, 5, 6))).hasValue("振替休日");
    assertThat(JapaneseHolidays.name(LocalDate.of(2026, 9, 22))).hasValue("国民の休日");
  }

  @Test
  void year2025WithThreeSubstituteHolidays() {
    assertThat(JapaneseHolidays.of(2025).keySet())
        .containsExactlyElementsOf(dates(2025, "1-1 1-13 2-11 2-23 2-24 3-20 4-29 5-3 5-4 5-5 5-6 7-21 8-11 9-15 9-23 10-13 11-3 11-23 11-24"));
  }

  @Test
  void year2019OfTheEnthronement() {
    assertThat(JapaneseHolidays.of(2019).keySet())
        .containsExactlyElementsOf(
            dates(2019, "1-1 1-14 2-11 3-21 4-29 4-30 5-1 5-2 5-3 5-4 5-5 5-6 7-15 8-11 8-12 9-16 9-23 10-14 10-22 11-3 11-4 11-23"));
    assertThat(JapaneseHolidays.isHoliday(LocalDate.of(2019, 12, 23))).isFalse();
  }

  @Test
  void olympicYearsMovedTheirHolidays() {
    assertThat(JapaneseHolidays.of(2020).keySet())
        .containsExactlyElementsOf(dates(2020, "1-1 1-13 2-11 2-23 2-24 3-20 4-29 5-3 5-4 5-5 5-6 7-23 7-24 8-10 9-21 9-22 11-3 11-23"));
    assertThat(JapaneseHolidays.of(2021).keySet())
        .containsExactlyElementsOf(dates(2021, "1-1 1-11 2-11 2-23 3-20 4-29 5-3 5-4 5-5 7-22 7-23 8-8 8-9 9-20 9-23 11-3 11-23"));
  }

  @Test
  void silverWeekOf2015() {
    assertThat(JapaneseHolidays.name(LocalDate.of(2015, 9, 22))).hasValue("国民の休日");
  }

  @ParameterizedTest
  @CsvSource({"2024, 20, 22", "2027, 21, 23", "2030, 20, 23", "2032, 20, 22", "2044, 20, 22"})
  void equinoxesAsAnnounced(int year, int march, int september) {
    assertThat(JapaneseHolidays.name(LocalDate.of(year, 3, march))).hasValue("春分の日");
    assertThat(JapaneseHolidays.name(LocalDate.of(year, 9, september))).hasValue("秋分の日");
  }

  @Test
  void yearsOutsideTheLawsRangeAreRefused() {
    assertThatThrownBy(() -> JapaneseHolidays.of(1999)).hasMessageContaining("2000..2099");
  }

  static List<LocalDate> dates(int year, String monthDays) {
    return java.util.Arrays.stream(monthDays.split(" "))
        .map(md -> md.split("-"))
        .map(p -> LocalDate.of(year, Integer.parseInt(p[0]), Integer.parseInt(p[1])))
        .toList();
  }
}
