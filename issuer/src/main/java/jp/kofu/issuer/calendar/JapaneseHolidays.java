package jp.kofu.issuer.calendar;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.Month;
import java.time.temporal.TemporalAdjusters;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Japan's national holidays (国民の祝日に関する法律), 2000 to 2099: the fixed and Happy-Monday
 * holidays, the equinoxes, the special years (the 2019 enthronement, the moved holidays of the
 * Tokyo Olympics in 2020 and 2021), substitute holidays (振替休日: a holiday on a Sunday moves to the
 * next day that is not a holiday) and citizens' holidays (国民の休日: a day between two holidays).
 *
 * <p>Written here rather than taken from a library: the one holiday library Maven Central serves
 * (jollyday 1.5) has no equinoxes, no substitute holidays but one, and the pre-2019 Emperor's
 * Birthday, so it would shift every 利用登録 date it touched.
 *
 * <p>The equinoxes are the Cabinet's announcement each February, computed here with the formula
 * of the National Astronomical Observatory that every announcement since 1980 has matched; a
 * holiday the law adds later must be added here. Thread-safe; years are computed once.
 */
public final class JapaneseHolidays {
  public static final int FIRST_YEAR = 2000;
  public static final int LAST_YEAR = 2099;

  private static final Map<Integer, NavigableMap<LocalDate, String>> YEARS = new ConcurrentHashMap<>();

  private JapaneseHolidays() {}

  /** Whether {@code day} is a national holiday, substitute holiday or citizens' holiday. */
  public static boolean isHoliday(LocalDate day) {
    return of(day.getYear()).containsKey(day);
  }

  /** The holiday's name (e.g. 春分の日, 振替休日, 国民の休日), if {@code day} is one. */
  public static Optional<String> name(LocalDate day) {
    return Optional.ofNullable(of(day.getYear()).get(day));
  }

  /** Every holiday of {@code year}, in date order, with its name. */
  public static NavigableMap<LocalDate, String> of(int year) {
    if (year < FIRST_YEAR || year > LAST_YEAR) {
      throw new IllegalArgumentException("year: " + year + " (expected: " + FIRST_YEAR + ".." + LAST_YEAR + ")");
    }
    return YEARS.computeIfAbsent(year, JapaneseHolidays::compute);
  }

  private static NavigableMap<LocalDate, String> compute(int year) {
    TreeMap<LocalDate, String> days = new TreeMap<>();
    days.put(LocalDate.of(year, 1, 1), "元日");
    days.put(monday(year, Month.JANUARY, 2), "成人の日");
    days.put(LocalDate.of(year, 2, 11), "建国記念の日");
    if (year >= 2020) {
      days.put(LocalDate.of(year, 2, 23), "天皇誕生日");
    }
    days.put(LocalDate.of(year, 3, vernalEquinox(year)), "春分の日");
    days.put(LocalDate.of(year, 4, 29), year >= 2007 ? "昭和の日" : "みどりの日");
    days.put(LocalDate.of(year, 5, 3), "憲法記念日");
    if (year >= 2007) {
      days.put(LocalDate.of(year, 5, 4), "みどりの日");
    }
    days.put(LocalDate.of(year, 5, 5), "こどもの日");
    switch (year) {
      case 2020 -> {
        days.put(LocalDate.of(2020, 7, 23), "海の日");
        days.put(LocalDate.of(2020, 7, 24), "スポーツの日");
        days.put(LocalDate.of(2020, 8, 10), "山の日");
      }
      case 2021 -> {
        days.put(LocalDate.of(2021, 7, 22), "海の日");
        days.put(LocalDate.of(2021, 7, 23), "スポーツの日");
        days.put(LocalDate.of(2021, 8, 8), "山の日");
      }
      default -> {
        days.put(year >= 2003 ? monday(year, Month.JULY, 3) : LocalDate.of(year, 7, 20), "海の日");
        if (year >= 2016) {
          days.put(LocalDate.of(year, 8, 11), "山の日");
        }
        days.put(monday(year, Month.OCTOBER, 2), year >= 2020 ? "スポーツの日" : "体育の日");
      }
    }
    days.put(year >= 2003 ? monday(year, Month.SEPTEMBER, 3) : LocalDate.of(year, 9, 15), "敬老の日");
    days.put(LocalDate.of(year, 9, autumnalEquinox(year)), "秋分の日");
    days.put(LocalDate.of(year, 11, 3), "文化の日");
    days.put(LocalDate.of(year, 11, 23), "勤労感謝の日");
    if (year <= 2018) {
      days.put(LocalDate.of(year, 12, 23), "天皇誕生日");
    }
    if (year == 2019) {
      // 天皇の即位の日及び即位礼正殿の儀の行われる日を休日とする法律 (平成30年法律第99号).
      days.put(LocalDate.of(2019, 5, 1), "即位の日");
      days.put(LocalDate.of(2019, 10, 22), "即位礼正殿の儀");
    }

    TreeMap<LocalDate, String> all = new TreeMap<>(days);
    // 国民の休日 (第3条第3項): a day whose previous and next days are both national holidays.
    for (LocalDate d : days.keySet()) {
      LocalDate between = d.plusDays(1);
      if (!days.containsKey(between) && days.containsKey(between.plusDays(1))) {
        all.put(between, "国民の休日");
      }
    }
    // 振替休日 (第3条第2項, since 2007): a holiday on a Sunday makes the nearest following day
    // that is not a holiday a holiday.
    for (LocalDate d : days.keySet()) {
      if (d.getDayOfWeek() == DayOfWeek.SUNDAY) {
        LocalDate substitute = d.plusDays(1);
        while (all.containsKey(substitute)) {
          substitute = substitute.plusDays(1);
        }
        all.put(substitute, "振替休日");
      }
    }
    return java.util.Collections.unmodifiableNavigableMap(all);
  }

  private static LocalDate monday(int year, Month month, int nth) {
    return LocalDate.of(year, month, 1).with(TemporalAdjusters.dayOfWeekInMonth(nth, DayOfWeek.MONDAY));
  }

  /** Day of March; the observatory's formula for 1980–2099. */
  static int vernalEquinox(int year) {
    return (int) Math.floor(20.8431 + 0.242194 * (year - 1980) - Math.floor((year - 1980) / 4.0));
  }

  /** Day of September; the observatory's formula for 1980–2099. */
  static int autumnalEquinox(int year) {
    return (int) Math.floor(23.2488 + 0.242194 * (year - 1980) - Math.floor((year - 1980) / 4.0));
  }
}
