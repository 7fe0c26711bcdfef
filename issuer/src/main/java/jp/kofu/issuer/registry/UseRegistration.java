package jp.kofu.issuer.registry;

import java.time.LocalDate;
import java.util.Objects;
import jp.kofu.issuer.calendar.BusinessDays;
import jp.kofu.issuer.spi.CardRef;

/**
 * A 利用登録: a card registered with the 本籍地 so that its holder can get family-register
 * certificates at stores. It takes effect {@value #BUSINESS_DAYS_TO_EFFECT} business days after it
 * was filed (weekends, national holidays and 年末年始 do not count).
 *
 * @param municipalityCode the 本籍地 it was filed with
 * @param memberId the family-register member the card belongs to
 * @param cancelledOn when it was withdrawn, or null
 */
public record UseRegistration(String municipalityCode, CardRef card, long memberId, LocalDate filedOn, LocalDate cancelledOn) {
  public static final int BUSINESS_DAYS_TO_EFFECT = 5;

  public UseRegistration {
    Objects.requireNonNull(municipalityCode, "municipalityCode");
    Objects.requireNonNull(card, "card");
    Objects.requireNonNull(filedOn, "filedOn");
  }

  /** The first day the registration works. */
  public LocalDate effectiveOn() {
    return BusinessDays.after(filedOn, BUSINESS_DAYS_TO_EFFECT);
  }

  public boolean effectiveOn(LocalDate day) {
    return !day.isBefore(effectiveOn()) && (cancelledOn == null || cancelledOn.isAfter(day));
  }
}
