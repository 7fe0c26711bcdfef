package jp.kofu.issuer.document;

import java.net.URI;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the QR code on a certificate says, and the verification code printed beside it.
 *
 * <p>The QR code carries one URL: {@code BASE/v/CODE?d=DOCUMENT_NUMBER}, e.g.
 * {@code https://verify.kofu.example/v/7KQ2-M9XD-4WPA?d=KF-20261126-000123}. A phone's camera opens
 * it directly; a bank clerk without one types the code printed in the footer (照合番号) on the
 * verification page. The code is 12 characters of Crockford's base32 (no I, L, O, U: nothing to
 * misread), grouped by four: 60 random bits, so it cannot be guessed, and short enough to type.
 * The document number rides along so that a page can say which document a wrong code was meant
 * for; the code alone finds the issuance record.
 *
 * <p>No personal data goes into the link: a code identifies an issuance, not a person.
 */
public final class VerificationLink {
  /** The default base, for development; a deployment configures its own. */
  public static final URI DEFAULT_BASE = URI.create("https://verify.kofu.example");

  private static final String ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  private static final Pattern CODE = Pattern.compile("[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}");
  private static final Pattern LINK =
      Pattern.compile("^(?<base>https?://[^?#]+?)/v/(?<code>[0-9A-Z-]{14})\\?d=(?<doc>[A-Za-z0-9._-]{1,64})$");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String base;

  public VerificationLink(URI base) {
    Objects.requireNonNull(base, "base");
    String s = base.toString();
    if (!s.startsWith("https://") && !s.startsWith("http://")) {
      throw new IllegalArgumentException("base: " + s + " (expected: an http or https URL)");
    }
    this.base = s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  /** The link on {@link #DEFAULT_BASE}. */
  public static VerificationLink defaults() {
    return new VerificationLink(DEFAULT_BASE);
  }

  /** The text of the QR code of a document. */
  public String forDocument(String documentNumber, String code) {
    Objects.requireNonNull(documentNumber, "documentNumber");
    if (!isWellFormed(code)) {
      throw new IllegalArgumentException("code: not a verification code (expected: XXXX-XXXX-XXXX in Crockford base32)");
    }
    if (!documentNumber.matches("[A-Za-z0-9._-]{1,64}")) {
      throw new IllegalArgumentException("documentNumber: expected 1..64 of A-Z a-z 0-9 . _ -");
    }
    return base + "/v/" + code + "?d=" + documentNumber;
  }

  /** A new random verification code, e.g. 7KQ2-M9XD-4WPA. */
  public static String newCode() {
    long bits = RANDOM.nextLong();
    StringBuilder code = new StringBuilder(14);
    for (int i = 0; i < 12; i++) {
      if (i == 4 || i == 8) {
        code.append('-');
      }
      code.append(ALPHABET.charAt((int) (bits >>> (5 * i)) & 31));
    }
    return code.toString();
  }

  /** Whether {@code code} has the form of a verification code (says nothing of its validity). */
  public static boolean isWellFormed(String code) {
    return code != null && CODE.matcher(code).matches();
  }

  /**
   * A code as a person typed it: upper-cased, spaces dropped, the look-alikes O→0, I and L→1
   * replaced, and the dashes put back; empty when it cannot be a code.
   */
  public static Optional<String> normalize(String typed) {
    if (typed == null) {
      return Optional.empty();
    }
    String s = typed.toUpperCase(java.util.Locale.ROOT).replaceAll("[\\s-]", "")
        .replace('O', '0').replace('I', '1').replace('L', '1');
    if (s.length() != 12) {
      return Optional.empty();
    }
    String code = s.substring(0, 4) + "-" + s.substring(4, 8) + "-" + s.substring(8);
    return isWellFormed(code) ? Optional.of(code) : Optional.empty();
  }

  /** What a scanned QR code says, or empty when it is not a kofu verification link. */
  public static Optional<Scanned> parse(String scanned) {
    if (scanned == null) {
      return Optional.empty();
    }
    Matcher m = LINK.matcher(scanned.trim());
    if (!m.matches() || !isWellFormed(m.group("code"))) {
      return Optional.empty();
    }
    return Optional.of(new Scanned(URI.create(m.group("base")), m.group("code"), m.group("doc")));
  }

  /** The parts of a scanned link. */
  public record Scanned(URI base, String code, String documentNumber) {}
}
