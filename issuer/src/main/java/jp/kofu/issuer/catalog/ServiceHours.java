package jp.kofu.issuer.catalog;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import jp.kofu.issuer.JapanTime;
import jp.kofu.issuer.calendar.BusinessDays;
import jp.kofu.issuer.spi.CertificateType;

/**
 * When a municipality issues at stores (DOMAIN.md §4): every day from {@code open} to {@code
 * close} (6:30–23:00 by default), never during the year-end closure (29 December to 3 January) or
 * a maintenance window, and family-register certificates, where the municipality says so, only in
 * its office hours on business days (weekdays 8:30–17:15 but national holidays). Times are Japan
 * time.
 *
 * @param familyRegisterOfficeHoursOnly 戸籍 and 附票 only in office hours
 * @param maintenance dated windows, in Japan time, in which nothing is issued
 */
public record ServiceHours(
    LocalTime open,
    LocalTime close,
    boolean familyRegisterOfficeHoursOnly,
    LocalTime officeOpen,
    LocalTime officeClose,
    List<Maintenance> maintenance) {
  public static final LocalTime DEFAULT_OPEN = LocalTime.of(6, 30);
  public static final LocalTime DEFAULT_CLOSE = LocalTime.of(23, 0);
  public static final LocalTime DEFAULT_OFFICE_OPEN = LocalTime.of(8, 30);
  public static final LocalTime DEFAULT_OFFICE_CLOSE = LocalTime.of(17, 15);

  /** The national default: 6:30–23:00 every day, 戸籍 likewise, no maintenance. */
  public static final ServiceHours DEFAULT =
      new ServiceHours(DEFAULT_OPEN, DEFAULT_CLOSE, false, DEFAULT_OFFICE_OPEN, DEFAULT_OFFICE_CLOSE, List.of());

  public ServiceHours {
    Objects.requireNonNull(open, "open");
    Objects.requireNonNull(close, "close");
    Objects.requireNonNull(officeOpen, "officeOpen");
    Objects.requireNonNull(officeClose, "officeClose");
    if (!open.isBefore(close)) {
      throw new IllegalArgumentException("open " + open + " is not before close " + close);
    }
    if (!officeOpen.isBefore(officeClose)) {
      throw new IllegalArgumentException("office open " + officeOpen + " is not before office close " + officeClose);
    }
    maintenance = maintenance.stream().sorted(Comparator.comparing(Maintenance::from)).toList();
  }

  /** A maintenance window, from inclusive to exclusive, in Japan time. */
  public record Maintenance(LocalDateTime from, LocalDateTime to) {
    public Maintenance {
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(to, "to");
      if (!from.isBefore(to)) {
        throw new IllegalArgumentException("maintenance from " + from + " is not before to " + to);
      }
    }

    boolean covers(LocalDateTime t) {
      return !t.isBefore(from) && t.isBefore(to);
    }
  }

  public ServiceHours withMaintenance(List<Maintenance> windows) {
    return new ServiceHours(open, close, familyRegisterOfficeHoursOnly, officeOpen, officeClose, windows);
  }

  public ServiceHours withFamilyRegisterOfficeHoursOnly(boolean only) {
    return new ServiceHours(open, close, only, officeOpen, officeClose, maintenance);
  }

  public boolean isOpen(CertificateType type, Instant at) {
    return closedUntil(type, JapanTime.at(at).toLocalDateTime()) == null;
  }

  /** The first moment at or after {@code at} when {@code type} can be issued. */
  public Instant nextOpen(CertificateType type, Instant at) {
    LocalDateTime t = JapanTime.at(at).toLocalDateTime();
    // Each step jumps to the end of one closure; a year has fewer than 1,500 of them.
    for (int step = 0; step < 5_000; step++) {
      LocalDateTime until = closedUntil(type, t);
      if (until == null) {
        return step == 0 ? at : t.atZone(JapanTime.ZONE).toInstant();
      }
      t = until;
    }
    throw new IllegalStateException("no opening within " + 5_000 + " closures: the maintenance windows never end");
  }

  /** Null when open at {@code t}; otherwise the end of the closure that {@code t} falls in. */
  private LocalDateTime closedUntil(CertificateType type, LocalDateTime t) {
    LocalDate day = t.toLocalDate();
    LocalTime time = t.toLocalTime();
    if (BusinessDays.isYearEndClosure(day)) {
      return day.plusDays(1).atStartOfDay();
    }
    for (Maintenance m : maintenance) {
      if (m.covers(t)) {
        return m.to();
      }
    }
    boolean office = familyRegisterOfficeHoursOnly && type.isFamilyRegister();
    LocalTime from = office ? later(open, officeOpen) : open;
    LocalTime to = office ? earlier(close, officeClose) : close;
    if (office && !BusinessDays.isBusinessDay(day)) {
      return day.plusDays(1).atStartOfDay();
    }
    if (time.isBefore(from)) {
      return day.atTime(from);
    }
    if (!time.isBefore(to)) {
      return day.plusDays(1).atStartOfDay();
    }
    return null;
  }

  private static LocalTime later(LocalTime a, LocalTime b) {
    return a.isAfter(b) ? a : b;
  }

  private static LocalTime earlier(LocalTime a, LocalTime b) {
    return a.isBefore(b) ? a : b;
  }

  /** The ISO-8601 form of a next opening as copiers get it (ErrorInfo "next_open"), in Japan time. */
  public static String iso(Instant instant) {
    ZonedDateTime jst = JapanTime.at(instant);
    return jst.toOffsetDateTime().toString();
  }
}
