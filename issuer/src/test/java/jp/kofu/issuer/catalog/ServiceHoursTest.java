package jp.kofu.issuer.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import jp.kofu.issuer.JapanTime;
import jp.kofu.issuer.spi.CertificateType;
import org.junit.jupiter.api.Test;

/** Hours judged on given instants (Japan time), never on the wall clock. */
class ServiceHoursTest {
  static Instant jst(int y, int mo, int d, int h, int mi) {
    return LocalDateTime.of(y, mo, d, h, mi).atZone(JapanTime.ZONE).toInstant();
  }

  @Test
  void openFromHalfPastSixToElevenEveryDayButTheYearEnd() {
    ServiceHours h = ServiceHours.DEFAULT;
    assertThat(h.isOpen(CertificateType.RESIDENCE, jst(2026, 11, 28, 6, 30))).isTrue(); // a Saturday
    assertThat(h.isOpen(CertificateType.RESIDENCE, jst(2026, 11, 28, 6, 29))).isFalse();
    assertThat(h.isOpen(CertificateType.RESIDENCE, jst(2026, 11, 23, 22, 59))).isTrue(); // a holiday
    assertThat(h.isOpen(CertificateType.RESIDENCE, jst(2026, 11, 23, 23, 0))).isFalse();
    assertThat(h.isOpen(CertificateType.FAMILY_REGISTER_FULL, jst(2026, 11, 23, 12, 0))).isTrue();
    assertThat(h.isOpen(CertificateType.RESIDENCE, jst(2026, 12, 29, 12, 0))).isFalse();
    assertThat(h.nextOpen(CertificateType.RESIDENCE, jst(2026, 12, 28, 23, 30))).isEqualTo(jst(2027, 1, 4, 6, 30));
    assertThat(h.nextOpen(CertificateType.RESIDENCE, jst(2026, 11, 26, 12, 0))).isEqualTo(jst(2026, 11, 26, 12, 0));
  }

  @Test
  void familyRegistersOnlyInOfficeHoursWhereConfigured() {
    ServiceHours h = ServiceHours.DEFAULT.withFamilyRegisterOfficeHoursOnly(true);
    // Friday 20 November 2026 after 17:15: next is Tuesday 24 (Monday 23 is 勤労感謝の日) at 8:30.
    assertThat(h.nextOpen(CertificateType.FAMILY_REGISTER_INDIVIDUAL, jst(2026, 11, 20, 17, 15))).isEqualTo(jst(2026, 11, 24, 8, 30));
    assertThat(h.isOpen(CertificateType.FAMILY_REGISTER_ANNEX, jst(2026, 11, 20, 17, 14))).isTrue();
    assertThat(h.isOpen(CertificateType.RESIDENCE, jst(2026, 11, 21, 20, 0))).isTrue();
  }

  @Test
  void maintenanceWindowsAcrossMidnightAndBackToBack() {
    ServiceHours h =
        ServiceHours.DEFAULT.withMaintenance(
            List.of(
                new ServiceHours.Maintenance(LocalDateTime.of(2026, 12, 5, 22, 0), LocalDateTime.of(2026, 12, 6, 7, 0)),
                new ServiceHours.Maintenance(LocalDateTime.of(2026, 12, 6, 7, 0), LocalDateTime.of(2026, 12, 6, 9, 30))));
    assertThat(h.isOpen(CertificateType.RESIDENCE, jst(2026, 12, 5, 21, 59))).isTrue();
    assertThat(h.nextOpen(CertificateType.RESIDENCE, jst(2026, 12, 5, 22, 0))).isEqualTo(jst(2026, 12, 6, 9, 30));
  }
}
