package jp.kofu.issuer.reference;

/**
 * The 6-digit local-government code (JIS X 0402 with check digit): 2 digits of prefecture, 3 of
 * municipality, 1 check digit.
 */
public final class LocalGovernmentCode {
  private LocalGovernmentCode() {}

  /**
   * The check digit of a 5-digit code: S = 6·d1 + 5·d2 + 4·d3 + 3·d4 + 2·d5, check = (11 − S mod 11)
   * mod 10. Example: 22138 → 4 (221384, 浜松市中央区).
   */
  public static int checkDigit(String fiveDigits) {
    if (fiveDigits.length() != 5) {
      throw new IllegalArgumentException("expected 5 digits");
    }
    int s = 0;
    for (int i = 0; i < 5; i++) {
      char c = fiveDigits.charAt(i);
      if (c < '0' || c > '9') {
        throw new IllegalArgumentException("expected 5 digits");
      }
      s += (6 - i) * (c - '0');
    }
    return (11 - s % 11) % 10;
  }

  /** True when {@code code} is 6 ASCII digits whose last is the check digit of the first five. */
  public static boolean isValid(String code) {
    if (code == null || code.length() != 6) {
      return false;
    }
    for (int i = 0; i < 6; i++) {
      char c = code.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return checkDigit(code.substring(0, 5)) == code.charAt(5) - '0';
  }

  /** Throws IllegalArgumentException saying what was expected. */
  public static String require(String code) {
    if (!isValid(code)) {
      throw new IllegalArgumentException(
          "local-government code: '" + code + "' (expected: 6 digits with a valid JIS X 0402 check digit)");
    }
    return code;
  }
}
