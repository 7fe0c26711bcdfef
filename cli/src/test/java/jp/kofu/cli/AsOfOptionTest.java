package jp.kofu.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import jp.kofu.gateway.embedded.EmbeddedWorld;
import jp.kofu.issuer.JapanTime;
import jp.kofu.proto.type.v1.CertificateRequest;
import jp.kofu.proto.type.v1.CertificateType;
import jp.kofu.sim.card.CardWallet;
import jp.kofu.sim.copier.Copier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kofu gateway --as-of}: a development world at a chosen time, refused in production. */
class AsOfOptionTest {
  static final Instant NOW = Instant.parse("2026-11-25T16:30:00Z"); // 01:30 in Japan: closed

  @Test
  void anInstantOrAnOffsetFromNow() {
    assertThat(AsOfOption.target("2026-11-26T10:00+09:00", NOW)).isEqualTo(Instant.parse("2026-11-26T01:00:00Z"));
    assertThat(AsOfOption.target("2026-11-26T10:00:30Z", NOW)).isEqualTo(Instant.parse("2026-11-26T10:00:30Z"));
    assertThat(AsOfOption.target("+8h", NOW)).isEqualTo(NOW.plus(Duration.ofHours(8)));
    assertThat(AsOfOption.target("-30m", NOW)).isEqualTo(NOW.minus(Duration.ofMinutes(30)));
    assertThat(AsOfOption.target("+1d2h", NOW)).isEqualTo(NOW.plus(Duration.ofHours(26)));
    for (String bad : new String[] {"+", "8h", "tomorrow", "2026-11-26T10:00", "+8x", "2026-11-26"}) {
      assertThatThrownBy(() -> AsOfOption.target(bad, NOW)).as(bad).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected");
    }
    assertThat(AsOfOption.describe(Duration.ofMinutes(-90))).isEqualTo("1 h 30 min behind");
  }

  @Test
  void aProductionGatewayRefusesIt(@TempDir Path dir) {
    PrintStream saved = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    int exit;
    try {
      exit = Main.commandLine().execute("gateway", "--config", dir.resolve("kofu-gateway.yaml").toString(), "--as-of", "+8h");
    } finally {
      System.setErr(saved);
    }
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("--as-of: only for the development world");
  }

  @Test
  void aDevelopmentWorldRunsAtTheChosenTimeAndSaysSo(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("var");
    // The next weekday's 10:00 in Japan, at least a day ahead: in service hours whatever the wall
    // clock says now, and later than the world's certificates, which are made first at the wall clock.
    LocalDate day = JapanTime.date(Instant.now()).plusDays(1);
    while (day.getDayOfWeek() == DayOfWeek.SATURDAY || day.getDayOfWeek() == DayOfWeek.SUNDAY
        || (day.getMonthValue() == 12 && day.getDayOfMonth() >= 29) || (day.getMonthValue() == 1 && day.getDayOfMonth() <= 3)) {
      day = day.plusDays(1);
    }
    Instant at = day.atTime(LocalTime.of(10, 0)).atZone(JapanTime.ZONE).toInstant();
    AsOfOption option = new AsOfOption();
    option.asOf = at.atZone(JapanTime.ZONE).toOffsetDateTime().toString();

    PrintStream saved = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    Clock clock;
    try {
      clock = option.clock(data, Clock.systemUTC(), c -> EmbeddedWorld.options().clock(c).residentsEach(30));
    } finally {
      System.setOut(saved);
    }
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("DEVELOPMENT CLOCK: this world runs at " + at.atZone(JapanTime.ZONE).toOffsetDateTime());
    assertThat(Duration.between(at, clock.instant()).abs()).isLessThan(Duration.ofMinutes(1));

    try (EmbeddedWorld world = EmbeddedWorld.start(EmbeddedWorld.options().dataDir(data).clock(clock).residentsEach(30));
        Copier copier = Copier.forWorld(world.address(), world.pki(), "kofu-mart", "store-0001", "as-of")) {
      CardWallet wallet = CardWallet.open(world.walletDir(), world.pki());
      CardWallet.Entry entry = wallet.entries().stream().filter(e -> e.municipalityCode().equals(jp.kofu.issuer.seed.Seeder.DEMO_MUNICIPALITY)).findFirst().orElseThrow();
      Copier.Outcome outcome =
          copier.issueOnce(wallet.card(entry.residentId()), entry.pin(), entry.municipalityCode(),
              CertificateRequest.newBuilder().setType(CertificateType.CERTIFICATE_TYPE_RESIDENCE).setCopies(1).build());
      // Issued, and signed at the world's time, not the wall clock's.
      assertThat(Duration.between(at, outcome.verified().signingTime()).abs()).isLessThan(Duration.ofMinutes(5));
    }

    // Before the world's certificates: refused, with why.
    AsOfOption early = new AsOfOption();
    early.asOf = "-1d";
    assertThatThrownBy(() -> early.clock(data, Clock.systemUTC(), c -> EmbeddedWorld.options().clock(c).residentsEach(30)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("before the development world's certificates");
  }
}
