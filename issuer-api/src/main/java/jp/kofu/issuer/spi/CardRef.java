package jp.kofu.issuer.spi;

import java.util.Objects;

/**
 * A user-certification certificate, by what identifies it: its serial (lowercase hex) and its
 * issuing CA's key id (SHA-256 of the CA's public key, lowercase hex). No personal data.
 */
public record CardRef(String serial, String issuerKeyId, CredentialKind kind) {
  public CardRef {
    Objects.requireNonNull(serial, "serial");
    Objects.requireNonNull(issuerKeyId, "issuerKeyId");
    Objects.requireNonNull(kind, "kind");
  }

  public enum CredentialKind {
    CARD,
    SMARTPHONE
  }
}
