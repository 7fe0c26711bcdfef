package jp.kofu.gateway.verify;

import java.time.Instant;
import jp.kofu.issuer.spi.CertificateType;

/**
 * The answer to a verification: what kofu can say about a document to anyone holding its code.
 * No personal data: the issuing municipality, the type, the document number (printed on the
 * document anyway), when, and the digest.
 *
 * @param sha256Hex SHA-256 of the PDF as issued, lowercase hex
 * @param validUntil until when the code is answered
 */
public record Verification(
    Status status,
    String municipalityCode,
    String municipalityName,
    CertificateType certificateType,
    String documentNumber,
    Instant issuedAt,
    String sha256Hex,
    int pageCount,
    Instant validUntil) {

  /** As kofu.verify.v1.VerificationStatus. */
  public enum Status {
    GENUINE,
    VOIDED,
    EXPIRED,
    DIGEST_MISMATCH,
    DOCUMENT_NUMBER_MISMATCH
  }

  Verification withStatus(Status s) {
    return new Verification(s, municipalityCode, municipalityName, certificateType, documentNumber, issuedAt, sha256Hex, pageCount, validUntil);
  }

  static Verification expired() {
    return new Verification(Status.EXPIRED, null, null, null, null, null, null, 0, null);
  }

  /** What the status means, for people, in Japanese and English. */
  public String explanation() {
    return switch (status) {
      case GENUINE -> "この証明書は交付されたものです。 This certificate was issued by the municipality below.";
      case VOIDED -> "この証明書は交付が取り消されました（印刷失敗・返金）。 This issuance was voided: the paper is not a valid certificate.";
      case EXPIRED -> "照合期間が過ぎています。 This code's verification period has ended.";
      case DIGEST_MISMATCH -> "ファイルが交付時のものと一致しません。 The file you hold differs from the document issued: it was altered.";
      case DOCUMENT_NUMBER_MISMATCH ->
          "照合番号と証明書番号が一致しません。この用紙は照合番号の証明書ではありません。 The code belongs to another document number:"
              + " this paper is not the certificate issued with it.";
    };
  }
}
