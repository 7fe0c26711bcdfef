package jp.kofu.issuer.calendar;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.MonthDay;

/**
 * Municipal business days (開庁日): not a Saturday or Sunday, not a national holiday, and not in the
 * year-end closure (年末年始, 29 December to 3 January, 行政機関の休日に関する法律 第1条).
 */
public final class BusinessDays {
  private static final MonthDay CLOSURE_START = MonthDay.of(12, 29);
  private static final MonthDay CLOSURE_END = MonthDay.of(1, 3);

  private BusinessDays() {}

  /** 29 December to 3 January: offices and the store service are closed. */
  public static boolean isYearEndClosure(LocalDate day) {
    MonthDay md = MonthDay.from(day);
    return !md.isBefore(CLOSURE_START) || !md.isAfter(CLOSURE_END);
  }

  public static boolean isBusinessDay(LocalDate day) {
    DayOfWeek dow = day.getDayOfWeek();
    return dow != DayOfWeek.SATURDAY
        && dow != DayOfWeek.SUNDAY
        && !isYearEndClosure(day)
        && !JapaneseHolidays.isHoliday(day);
  }

  /**
   * The {@code n}-th business day after {@code day} (not counting {@code day} itself): a 利用登録
   * filed on a Friday takes effect, with {@code n = 5}, on the Friday after (holidays permitting).
   */
  public static LocalDate after(LocalDate day, int n) {
    if (n < 0) {
      throw new IllegalArgumentException("n: " + n + " (expected: >= 0)");
    }
    LocalDate d = day;
    for (int counted = 0; counted < n; ) {
      d = d.plusDays(1);
      if (isBusinessDay(d)) {
        counted++;
      }
    }
    return d;
  }

  /** The first business day on or after {@code day}. */
  public static LocalDate onOrAfter(LocalDate day) {
    LocalDate d = day;
    while (!isBusinessDay(d)) {
      d = d.plusDays(1);
    }
    return d;
  }
}
