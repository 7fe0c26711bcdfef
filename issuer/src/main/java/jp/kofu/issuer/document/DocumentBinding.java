package jp.kofu.issuer.document;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The value that binds a document to the one request it was made for: SHA-256 over a version tag
 * and the card (issuing CA key id, serial), the copier's order id, the gateway's issuance id and
 * the municipality, each length-prefixed. The municipality signs it into the document (Info entry
 * "KofuBinding"); the gateway and the copier each recompute it from what they know and refuse a
 * document that carries another value. A document meant for one resident's request can therefore
 * never be delivered for another's — the failure of Yokohama and Kawasaki (DOMAIN.md §7).
 *
 * <p>docs/BINDING.md specifies it byte by byte for copiers in other languages, and
 * proto/testdata/binding-vectors.json holds its test vectors: each field is printable ASCII
 * (0x21..0x7E, 1..255 bytes), framed as a 2-byte big-endian length and the bytes. (For such
 * strings this is exactly what {@code DataOutputStream.writeUTF} wrote in earlier versions, so
 * bindings already journaled keep their value.)
 */
public final class DocumentBinding {
  /** The first field of the preimage. */
  public static final String VERSION = "kofu-binding-v1";
  /** The longest field, in bytes. */
  public static final int MAX_FIELD = 255;

  private DocumentBinding() {}

  /** The 32-byte binding. */
  public static byte[] compute(
      String cardIssuerKeyId, String cardSerial, String orderId, String issuanceId, String municipalityCode) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(preimage(cardIssuerKeyId, cardSerial, orderId, issuanceId, municipalityCode));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The bytes that are hashed: for each of {@link #VERSION}, the card issuer's key id, the card
   * serial, the order id, the issuance id and the municipality code, its length as 2 bytes
   * big-endian followed by its ASCII bytes.
   *
   * @throws IllegalArgumentException when a field is empty, longer than {@link #MAX_FIELD}, or
   *     holds anything but printable ASCII without space
   */
  public static byte[] preimage(
      String cardIssuerKeyId, String cardSerial, String orderId, String issuanceId, String municipalityCode) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    String[] names = {"version", "cardIssuerKeyId", "cardSerial", "orderId", "issuanceId", "municipalityCode"};
    String[] values = {VERSION, cardIssuerKeyId, cardSerial, orderId, issuanceId, municipalityCode};
    for (int i = 0; i < values.length; i++) {
      byte[] b = field(names[i], values[i]);
      out.write(b.length >>> 8);
      out.write(b.length & 0xff);
      out.writeBytes(b);
    }
    return out.toByteArray();
  }

  private static byte[] field(String name, String value) {
    if (value == null || value.isEmpty() || value.length() > MAX_FIELD) {
      throw new IllegalArgumentException(name + ": " + (value == null ? "null" : value.length() + " characters") + " (expected: 1.." + MAX_FIELD + ")");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        throw new IllegalArgumentException(name + ": character " + i + " is not printable ASCII (expected: 0x21..0x7E)");
      }
    }
    return value.getBytes(StandardCharsets.US_ASCII);
  }
}
