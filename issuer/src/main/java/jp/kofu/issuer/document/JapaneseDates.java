package jp.kofu.issuer.document;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.chrono.JapaneseDate;
import java.time.format.TextStyle;
import java.time.temporal.ChronoField;
import java.util.Locale;

/** Dates as Japanese certificates print them: in the era calendar (和暦), e.g. 令和8年11月26日. */
final class JapaneseDates {
  private JapaneseDates() {}

  /**
   * 令和8年11月26日; the first year of an era is 元年 (令和元年5月1日), as on every official document.
   *
   * @throws IllegalArgumentException for a date before Meiji 6 (1873), where the era calendar of
   *     java.time starts; the message names the field, never the date
   */
  static String format(LocalDate date, String field) {
    JapaneseDate japanese;
    try {
      japanese = JapaneseDate.from(date);
    } catch (DateTimeException e) {
      throw new IllegalArgumentException(field + ": before the era calendar (expected: 1873 or later)");
    }
    int year = japanese.get(ChronoField.YEAR_OF_ERA);
    return japanese.getEra().getDisplayName(TextStyle.FULL, Locale.JAPAN)
        + (year == 1 ? "元" : Integer.toString(year))
        + "年"
        + date.getMonthValue()
        + "月"
        + date.getDayOfMonth()
        + "日";
  }

  /** The era year of 1 July of a Gregorian year, e.g. 2026 → 令和8年, 2019 → 令和元年 (for 年度 and 年分). */
  static String year(int gregorianYear) {
    String date = format(LocalDate.of(gregorianYear, 7, 1), "year");
    return date.substring(0, date.indexOf('年') + 1);
  }
}
