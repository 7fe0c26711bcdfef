package jp.kofu.issuer.document;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import jp.kofu.issuer.JapanTime;
import jp.kofu.issuer.spi.CardIssueCommand;
import jp.kofu.issuer.spi.IssuanceRefusedException;
import jp.kofu.issuer.spi.IssuedDocument;
import jp.kofu.issuer.spi.RefusalReason;
import jp.kofu.issuer.spi.document.CertificateDocuments;
import jp.kofu.issuer.spi.document.DocumentSigner;
import jp.kofu.issuer.spi.document.IssuingMunicipality;
import jp.kofu.issuer.spi.document.ResidenceEntry;
import jp.kofu.pki.HeldCertificate;

/**
 * The {@link CertificateDocuments} the gateway hands plugins: the public facade over this package's
 * renderer and PAdES signer, so that a plugin compiles against the issuer-api artifact alone.
 */
public final class PluginDocuments implements CertificateDocuments {
  private final CertificateRenderer renderer;
  private final PadesSigner signer;

  /**
   * @param signer signs every document (PAdES B-B, or B-T with a time-stamping source)
   * @param link where the QR code of each document points (the verification page)
   */
  public PluginDocuments(PadesSigner signer, VerificationLink link) {
    this.signer = Objects.requireNonNull(signer, "signer");
    this.renderer = new CertificateRenderer(CertificateFonts.shared(), Objects.requireNonNull(link, "link"));
  }

  /** PAdES B-B on {@code clock}, QR codes on the default verification page: for tests and tools. */
  public static PluginDocuments standard(java.time.Clock clock) {
    return new PluginDocuments(new PadesSigner(clock), VerificationLink.defaults());
  }

  @Override
  public DocumentSigner signer(Path directory) {
    HeldCertificate held;
    try {
      held = HeldCertificate.readFrom(directory);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("signing key: cert.pem and key.pem unreadable in " + directory);
    }
    return new Held(held);
  }

  @Override
  public IssuedDocument residence(
      CardIssueCommand command, IssuingMunicipality municipality, ResidenceEntry resident, int feePerCopyYen, DocumentSigner documentSigner)
      throws IssuanceRefusedException {
    if (!(documentSigner instanceof Held held)) {
      throw new IllegalArgumentException("signer: not one CertificateDocuments.signer made");
    }
    MunicipalityIdentity identity =
        new MunicipalityIdentity(municipality.code(), municipality.prefecture(), municipality.name(), municipality.mayorTitle(), municipality.mayorName());
    ResidenceCertificate content =
        new ResidenceCertificate(
            identity,
            identity.fullName() + resident.address(),
            resident.fullName(),
            List.of(
                new ResidenceCertificate.Person(
                    resident.fullName(), resident.fullNameKana(), resident.birthDate(), sex(resident.sex()), null,
                    resident.becameResidentOn(), resident.addressSince(), null, null, null, null, null, null, null)),
            Set.of(),
            false);
    DocumentMeta meta = new DocumentMeta(command.issuanceId(), JapanTime.at(command.at()), command.binding(), command.verificationCode());
    byte[] unsigned;
    try {
      unsigned = renderer.render(content, meta);
    } catch (IllegalArgumentException e) {
      // The layout names the field it cannot print, never the content.
      throw new IssuanceRefusedException(RefusalReason.DATA_TOO_LONG, e.getMessage());
    }
    PadesSigner.Signed signed = signer.signCounted(unsigned, held.key());
    // Handed over, not copied: the signer made the array for this document, and the plugin never sees it.
    return IssuedDocument.handOver(signed.pdf(), signed.pageCount(), feePerCopyYen, command.verificationCode());
  }

  private static Sex sex(ResidenceEntry.Sex sex) {
    return switch (sex) {
      case MALE -> Sex.MALE;
      case FEMALE -> Sex.FEMALE;
    };
  }

  private record Held(HeldCertificate key) implements DocumentSigner {
    @Override
    public X509Certificate certificate() {
      return key.certificate();
    }

    @Override
    public String toString() {
      return "DocumentSigner[" + key.certificate().getSubjectX500Principal().getName() + "]";
    }
  }
}
