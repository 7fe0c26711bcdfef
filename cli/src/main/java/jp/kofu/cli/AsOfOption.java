package jp.kofu.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import jp.kofu.gateway.embedded.EmbeddedWorld;
import jp.kofu.issuer.JapanTime;
import jp.kofu.pki.Pem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/**
 * {@code --as-of}: the development world runs at another time than the wall clock's, e.g. in
 * service hours at night. Its clock starts at the chosen instant and runs on from there; the
 * gateway, its municipalities, the trust world's OCSP responder and the journal all use it.
 * Development world only: a production gateway runs on the system clock.
 *
 * <p>A new world is first made at the wall clock, so that its certificates are valid for clients
 * that check them at the real time (a simulator, openssl); the chosen instant must then not be
 * before the world's certificates, or the world would refuse its own copiers and cards.
 */
final class AsOfOption {
  private static final Logger log = LoggerFactory.getLogger(AsOfOption.class);
  private static final Pattern OFFSET = Pattern.compile("([+-])(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");

  @Option(
      names = "--as-of",
      paramLabel = "INSTANT|OFFSET",
      description = {
        "Development world only: run at this time instead of the wall clock's, e.g.",
        "2026-11-26T10:00+09:00, or an offset from now such as +8h, -30m, +1d2h. The clock",
        "runs on from there. Not before the world's certificates were made (DATA/pki)."
      })
  String asOf;

  boolean set() {
    return asOf != null;
  }

  /**
   * The instant {@code spec} names when the wall clock says {@code now}.
   *
   * @throws IllegalArgumentException with what was expected
   */
  static Instant target(String spec, Instant now) {
    Matcher m = OFFSET.matcher(spec);
    if (m.matches() && spec.length() > 1) {
      Duration d =
          Duration.ofDays(number(m.group(2)))
              .plusHours(number(m.group(3)))
              .plusMinutes(number(m.group(4)))
              .plusSeconds(number(m.group(5)));
      return m.group(1).equals("-") ? now.minus(d) : now.plus(d);
    }
    try {
      return OffsetDateTime.parse(spec).toInstant();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "--as-of: '" + spec + "' (expected: an instant with its offset, e.g. 2026-11-26T10:00+09:00, or an offset such as +8h, -30m, +1d2h)");
    }
  }

  private static long number(String s) {
    return s == null ? 0 : Long.parseLong(s);
  }

  /**
   * Makes the world in {@code dataDir} at the wall clock if it does not exist yet, checks that the
   * chosen instant is not before its certificates, says loudly what the clock is, and returns it.
   *
   * @param options the world's options for a clock (the same as the run that follows)
   * @throws IllegalArgumentException when the instant is unusable, with why
   */
  Clock clock(Path dataDir, Clock wall, Function<Clock, EmbeddedWorld.Options> options) {
    Instant target = target(asOf, wall.instant());
    if (!Files.exists(dataDir.resolve("pki").resolve("terminal").resolve("ca").resolve("cert.pem"))) {
      System.out.println("kofu: making the development world in " + dataDir + " at the wall clock first, so its certificates are valid now");
      EmbeddedWorld.start(options.apply(wall).dataDir(dataDir).port(0).verificationPort(0)).close();
      // Municipal signing certificates are made at a municipality's first issuance: make them now.
      jp.kofu.pki.TrustWorld pki = jp.kofu.pki.TrustWorld.openOrCreate(dataDir.resolve("pki"), wall);
      Path catalog = dataDir.resolve("issuer").resolve("municipalities");
      if (Files.isDirectory(catalog)) {
        for (var profile : jp.kofu.issuer.catalog.MunicipalityCatalog.load(catalog).all()) {
          pki.municipalSigner(profile.code(), profile.identity().fullName());
        }
      }
    }
    Instant made = newestCertificate(dataDir.resolve("pki"));
    if (target.isBefore(made)) {
      throw new IllegalArgumentException(
          "--as-of: " + target.atZone(JapanTime.ZONE).toOffsetDateTime()
              + " is before the development world's certificates (valid from " + made.atZone(JapanTime.ZONE).toOffsetDateTime()
              + "): its copiers and cards would not be valid yet (expected: a later instant, or a new --data)");
    }
    Duration offset = Duration.between(wall.instant(), target);
    String banner =
        "DEVELOPMENT CLOCK: this world runs at " + target.atZone(JapanTime.ZONE).toOffsetDateTime() + " (Japan time), "
            + describe(offset) + " the wall clock; service hours, sessions, revocation and the journal all follow it";
    System.out.println("kofu: " + "*".repeat(banner.length()));
    System.out.println("kofu: " + banner);
    System.out.println("kofu: " + "*".repeat(banner.length()));
    log.warn(banner);
    return Clock.offset(wall, offset);
  }

  static String describe(Duration offset) {
    Duration abs = offset.abs();
    String amount = abs.toHours() + " h " + abs.toMinutesPart() + " min";
    return offset.isNegative() ? amount + " behind" : amount + " ahead of";
  }

  /** The latest notBefore of the world's certificates (each cert.pem's first). */
  static Instant newestCertificate(Path pki) {
    try (Stream<Path> files = Files.walk(pki)) {
      return files.filter(p -> p.getFileName().toString().equals("cert.pem"))
          .map(p -> Pem.certificates(p))
          .filter(l -> !l.isEmpty())
          .map(l -> l.get(0).getNotBefore().toInstant())
          .max(Instant::compareTo)
          .orElse(Instant.MIN);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
