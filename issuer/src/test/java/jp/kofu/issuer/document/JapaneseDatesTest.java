package jp.kofu.issuer.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class JapaneseDatesTest {
  @Test
  void formatsInTheEraCalendar() {
    assertThat(JapaneseDates.format(LocalDate.of(2026, 11, 26), "d")).isEqualTo("令和8年11月26日");
    assertThat(JapaneseDates.format(LocalDate.of(1958, 3, 14), "d")).isEqualTo("昭和33年3月14日");
    assertThat(JapaneseDates.format(LocalDate.of(1873, 1, 1), "d")).isEqualTo("明治6年1月1日");
  }

  @Test
  void firstYearOfAnEraIsGannen() {
    assertThat(JapaneseDates.format(LocalDate.of(2019, 5, 1), "d")).isEqualTo("令和元年5月1日");
    assertThat(JapaneseDates.format(LocalDate.of(1989, 1, 8), "d")).isEqualTo("平成元年1月8日");
    assertThat(JapaneseDates.format(LocalDate.of(1926, 12, 25), "d")).isEqualTo("昭和元年12月25日");
    assertThat(JapaneseDates.format(LocalDate.of(1912, 7, 30), "d")).isEqualTo("大正元年7月30日");
  }

  @Test
  void lastDayOfAnEraKeepsItsEra() {
    assertThat(JapaneseDates.format(LocalDate.of(2019, 4, 30), "d")).isEqualTo("平成31年4月30日");
    assertThat(JapaneseDates.format(LocalDate.of(1989, 1, 7), "d")).isEqualTo("昭和64年1月7日");
  }

  @Test
  void beforeTheEraCalendarIsRefusedWithoutTheDate() {
    assertThatThrownBy(() -> JapaneseDates.format(LocalDate.of(1872, 12, 31), "birthDate"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("birthDate: ")
        .hasMessageNotContaining("1872");
  }
}
