package jp.kofu.issuer.document;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The value that binds a document to the one request it was made for: SHA-256 over a version tag
 * and the card (issuing CA key id, serial), the copier's order id, the gateway's issuance id and
 * the municipality, each length-prefixed. The municipality signs it into the document (Info entry
 * "KofuBinding"); the gateway and the copier each recompute it from what they know and refuse a
 * document that carries another value. A document meant for one resident's request can therefore
 * never be delivered for another's — the failure of Yokohama and Kawasaki (DOMAIN.md §7).
 */
public final class DocumentBinding {
  private static final String VERSION = "kofu-binding-v1";

  private DocumentBinding() {}

  public static byte[] compute(
      String cardIssuerKeyId, String cardSerial, String orderId, String issuanceId, String municipalityCode) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      for (String s : new String[] {VERSION, cardIssuerKeyId, cardSerial, orderId, issuanceId, municipalityCode}) {
        out.writeUTF(s);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes.toByteArray());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
