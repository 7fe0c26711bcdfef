package jp.kofu.issuer.document;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Objects;
import jp.kofu.issuer.spi.CertificateType;

/**
 * What {@link SignedDocuments#verify} established about a signed certificate. Everything here
 * comes from signed bytes.
 *
 * @param signer the municipality's signing certificate
 * @param municipalityCode the 6-digit code from the signer's subject serialNumber
 * @param bindingHex the Info entry KofuBinding (64 lowercase hex digits)
 * @param documentNumber the Info entry KofuDocumentNumber
 * @param certificateType the Info entry KofuCertificateType
 * @param pageCount the number of pages
 * @param signingTime the signature dictionary's /M, as claimed by the signer
 * @param sha256Hex SHA-256 of the whole file, lowercase hex
 * @param timestampTime the genTime of the verified signature timestamp (PAdES B-T), attested by
 *     the time-stamping unit; null for a B-B signature
 * @param level the PAdES baseline level: B-B, B-T, or B-LT when the document's DSS holds
 *     current revision data for every certificate of both chains
 */
public record VerifiedDocument(
    X509Certificate signer,
    String municipalityCode,
    String bindingHex,
    String documentNumber,
    CertificateType certificateType,
    int pageCount,
    Instant signingTime,
    String sha256Hex,
    Instant timestampTime,
    PadesLevel level) {
  public VerifiedDocument {
    Objects.requireNonNull(level, "level");
    Objects.requireNonNull(signer, "signer");
    Objects.requireNonNull(municipalityCode, "municipalityCode");
    Objects.requireNonNull(bindingHex, "bindingHex");
    Objects.requireNonNull(documentNumber, "documentNumber");
    Objects.requireNonNull(certificateType, "certificateType");
    Objects.requireNonNull(signingTime, "signingTime");
    Objects.requireNonNull(sha256Hex, "sha256Hex");
  }

  /** Whether the signature carries a verified timestamp (PAdES baseline B-T). */
  public boolean timestamped() {
    return timestampTime != null;
  }
}
