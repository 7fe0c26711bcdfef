package jp.kofu.issuer.spi.document;

import java.nio.file.Path;
import jp.kofu.issuer.spi.CardIssueCommand;
import jp.kofu.issuer.spi.IssuanceRefusedException;
import jp.kofu.issuer.spi.IssuedDocument;

/**
 * SPI 1.1: kofu's certificate layouts and PAdES signing, for an adapter that does not produce PDFs
 * of its own. The gateway hosts the implementation ({@link
 * jp.kofu.issuer.spi.AdapterContext#documents()}); a plugin never bundles it. Thread-safe.
 *
 * <p>Every document made here carries what the gateway checks: the command's binding, issuance id
 * (the document number) and verification code (printed and in the QR code), the municipality's code,
 * and a PAdES signature by the municipality's key.
 */
public interface CertificateDocuments {
  /**
   * A municipality's document-signing key, from a directory holding {@code cert.pem} (the
   * certificate, then its chain) and {@code key.pem}, issued by the municipal signing CA the gateway
   * trusts.
   *
   * @throws IllegalArgumentException when the files are missing or unreadable (the message names the
   *     directory, never key material)
   */
  DocumentSigner signer(Path directory);

  /**
   * A 住民票の写し of the card holder alone ({@link jp.kofu.issuer.spi.HouseholdScope#SELF}, no
   * options), laid out as kofu prints it, signed with {@code signer}.
   *
   * @param feePerCopyYen what the municipality charges for one copy (returned in the document)
   * @throws IssuanceRefusedException with {@link jp.kofu.issuer.spi.RefusalReason#DATA_TOO_LONG} when
   *     the layout cannot print the data (too long, or a character the font lacks)
   */
  IssuedDocument residence(
      CardIssueCommand command, IssuingMunicipality municipality, ResidenceEntry resident, int feePerCopyYen, DocumentSigner signer)
      throws IssuanceRefusedException;
}
