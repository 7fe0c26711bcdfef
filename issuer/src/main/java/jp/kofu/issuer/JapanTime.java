package jp.kofu.issuer;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/** Japan's civil time: every date a municipality prints or a rule checks is a date in JST. */
public final class JapanTime {
  public static final ZoneId ZONE = ZoneId.of("Asia/Tokyo");

  private JapanTime() {}

  public static LocalDate date(Instant at) {
    return at.atZone(ZONE).toLocalDate();
  }

  public static ZonedDateTime at(Instant at) {
    return at.atZone(ZONE);
  }
}
