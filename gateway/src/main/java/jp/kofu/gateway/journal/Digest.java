package jp.kofu.gateway.journal;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import jp.kofu.pki.X509;

/**
 * A 256-bit digest or MAC as the journal keeps it (a document's SHA-256, an order's digest, a
 * card's keyed hash, a document binding): bytes, compared by value. Hex only where text is
 * needed (event payloads, messages).
 */
public final class Digest {
  public static final int LENGTH = 32;

  private final byte[] bytes;

  private Digest(byte[] bytes) {
    if (bytes.length != LENGTH) {
      throw new IllegalArgumentException("digest: " + bytes.length + " bytes (expected: " + LENGTH + ")");
    }
    this.bytes = bytes;
  }

  public static Digest of(byte[] bytes) {
    return new Digest(Objects.requireNonNull(bytes, "bytes").clone());
  }

  /** The SHA-256 of {@code data}. */
  public static Digest sha256(byte[] data) {
    return new Digest(X509.sha256(data));
  }

  /** From its hex form (64 characters). */
  public static Digest ofHex(String hex) {
    return new Digest(HexFormat.of().parseHex(Objects.requireNonNull(hex, "hex")));
  }

  public byte[] bytes() {
    return bytes.clone();
  }

  public String hex() {
    return HexFormat.of().formatHex(bytes);
  }

  /** Whether this is the digest of {@code data}'s SHA-256. */
  public boolean isSha256Of(byte[] data) {
    return Arrays.equals(bytes, X509.sha256(data));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Digest d && Arrays.equals(bytes, d.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return hex();
  }
}
