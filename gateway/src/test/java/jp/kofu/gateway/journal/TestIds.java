package jp.kofu.gateway.journal;

import java.security.SecureRandom;

/** Ids of the journal's formats, random, for tests. */
public final class TestIds {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

  private TestIds() {}

  /** 26 Crockford base32 characters, as an issuance id. */
  public static String issuanceId() {
    StringBuilder s = new StringBuilder(26);
    for (int i = 0; i < 26; i++) {
      s.append(CROCKFORD.charAt(RANDOM.nextInt(32)));
    }
    return s.toString();
  }
}
