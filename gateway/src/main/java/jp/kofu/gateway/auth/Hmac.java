package jp.kofu.gateway.auth;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC-SHA256 under one of the gateway's secrets. Thread-safe. */
public final class Hmac {
  private final SecretKeySpec key;
  private final ThreadLocal<Mac> mac;

  public Hmac(byte[] secret, String purpose) {
    if (secret.length < 32) {
      throw new IllegalArgumentException("secret: " + secret.length + " bytes (expected: at least 32)");
    }
    // One key per purpose, derived from the configured secret, so a challenge MAC can never
    // pass for a session MAC.
    byte[] derived = derive(secret, purpose);
    this.key = new SecretKeySpec(derived, "HmacSHA256");
    this.mac = ThreadLocal.withInitial(this::newMac);
  }

  private static byte[] derive(byte[] secret, String purpose) {
    try {
      Mac m = Mac.getInstance("HmacSHA256");
      m.init(new SecretKeySpec(secret, "HmacSHA256"));
      return m.doFinal(("kofu/" + purpose).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private Mac newMac() {
    try {
      Mac m = Mac.getInstance("HmacSHA256");
      m.init(key);
      return m;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public byte[] mac(byte[]... parts) {
    Mac m = mac.get();
    for (byte[] p : parts) {
      m.update(p);
    }
    return m.doFinal();
  }

  public boolean verify(byte[] expectedMac, byte[]... parts) {
    return MessageDigest.isEqual(expectedMac, mac(parts));
  }
}
