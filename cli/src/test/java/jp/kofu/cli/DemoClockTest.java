package jp.kofu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.LocalDateTime;
import jp.kofu.issuer.JapanTime;
import org.junit.jupiter.api.Test;

class DemoClockTest {
  static Instant jst(int y, int mo, int d, int h, int mi) {
    return LocalDateTime.of(y, mo, d, h, mi).atZone(JapanTime.ZONE).toInstant();
  }

  @Test
  void runsNowInServiceHoursAndBeforeTheLastClosingOtherwise() {
    assertThat(DemoClock.lastOpen(jst(2026, 11, 26, 15, 0))).isEqualTo(jst(2026, 11, 26, 15, 0));
    // Too close to 23:00 for a whole run, or after it: 22:45 the same day.
    assertThat(DemoClock.lastOpen(jst(2026, 11, 26, 22, 50))).isEqualTo(jst(2026, 11, 26, 22, 45));
    assertThat(DemoClock.lastOpen(jst(2026, 11, 26, 23, 30))).isEqualTo(jst(2026, 11, 26, 22, 45));
    // Before 6:30: the evening before.
    assertThat(DemoClock.lastOpen(jst(2026, 11, 27, 5, 0))).isEqualTo(jst(2026, 11, 26, 22, 45));
    // 年末年始: the evening of 28 December.
    assertThat(DemoClock.lastOpen(jst(2027, 1, 2, 12, 0))).isEqualTo(jst(2026, 12, 28, 22, 45));
  }

  @Test
  void readsOnlyItsWallClockShiftedIntoTheHoursAndMovedForTheOutOfHoursCase() {
    DemoClock clock = new DemoClock(Clock.fixed(jst(2026, 11, 26, 23, 30), ZoneOffset.UTC));
    assertThat(clock.shifted()).isTrue();
    assertThat(clock.instant()).isEqualTo(jst(2026, 11, 26, 22, 45));
    Instant evening = jst(2026, 11, 26, 23, 10);
    assertThat(clock.at(evening, clock::instant)).isEqualTo(evening);
    assertThat(clock.instant()).isEqualTo(jst(2026, 11, 26, 22, 45));
    assertThat(new DemoClock(Clock.fixed(jst(2026, 11, 26, 15, 0), ZoneOffset.UTC)).shifted()).isFalse();
  }
}
