package jp.kofu.issuer.document;

import java.time.ZoneId;
import java.util.Objects;

/**
 * Renders any certificate as an unsigned PDF/A-2b document: A4, in Japanese, on the anti-forgery
 * background, with the certifying sentence, the date in the era calendar, the mayor's title and
 * name under the official seal, the verification QR code (when the meta carries a code) and page
 * numbers. One call for every type: the content's class decides the layout. Sign the result with
 * {@link PadesSigner}, or render and sign in one pass with {@link #renderSigned}.
 *
 * <p>Every PDF's Info carries KofuBinding, KofuDocumentNumber, KofuMunicipalityCode and
 * KofuCertificateType (see {@link DocumentMeta}).
 *
 * <p>Thread-safe; documents render concurrently (the font is read once and shared, immutable).
 */
public final class CertificateRenderer {
  private static final ZoneId JAPAN = ZoneId.of("Asia/Tokyo");

  private final CertificateFonts fonts;
  private final VerificationLink link;

  /** The shared font pool, and QR codes on {@link VerificationLink#DEFAULT_BASE}. */
  public CertificateRenderer() {
    this(CertificateFonts.shared(), VerificationLink.defaults());
  }

  public CertificateRenderer(CertificateFonts fonts, VerificationLink link) {
    this.fonts = Objects.requireNonNull(fonts, "fonts");
    this.link = Objects.requireNonNull(link, "link");
  }

  /**
   * The certificate as an unsigned PDF.
   *
   * @throws IllegalArgumentException when an item does not fit the layout even at the smallest
   *     size, or holds a character the font lacks (a 外字); the message names the item, never its
   *     content
   */
  public byte[] render(CertificateContent content, DocumentMeta meta) {
    return layOut(content, meta, null).pdf();
  }

  /**
   * The certificate as a PDF signed by {@code key} in the same pass: the file is written once with
   * its signature's /Contents reserved, then {@code signer} computes the CMS (and its timestamp)
   * over the byte range and patches it in place. The same signed PDF as {@code
   * signer.signCounted(render(content, meta), key)} would give, without the reload and the
   * incremental save.
   *
   * @throws IllegalArgumentException as {@link #render}
   */
  public PadesSigner.Signed renderSigned(CertificateContent content, DocumentMeta meta, PadesSigner signer,
      jp.kofu.pki.HeldCertificate key) {
    Objects.requireNonNull(signer, "signer");
    Objects.requireNonNull(key, "key");
    CertificatePdf.Written written = layOut(content, meta, signer.reservation());
    try {
      return signer.complete(written, key);
    } catch (IllegalArgumentException e) {
      // Only the layout refuses with IllegalArgumentException (the content); a signer that cannot
      // sign is a configuration fault, not the resident's data.
      throw new IllegalStateException("signing the certificate failed", e);
    }
  }

  private CertificatePdf.Written layOut(CertificateContent content, DocumentMeta meta,
      CertificatePdf.SignatureReservation signature) {
    Objects.requireNonNull(content, "content");
    Objects.requireNonNull(meta, "meta");
    MunicipalityIdentity municipality = content.municipality();
    CertificateLayout layout = new CertificateLayout(fonts, meta, municipality, link);
    switch (content) {
      case ResidenceCertificate c -> ResidenceCertificateRenderer.layOut(layout, c, meta);
      case SealRegistrationCertificate c -> SealRegistrationLayout.layOut(layout, c, meta);
      case FamilyRegisterCertificate c -> FamilyRegisterLayout.layOut(layout, c, meta);
      case FamilyRegisterAnnexCertificate c -> FamilyRegisterLayout.layOut(layout, c, meta);
      case IncomeTaxCertificate c -> IncomeTaxLayout.layOut(layout, c, meta);
    }
    return layout.finish(content.type().title(), content.type(), municipality, signature);
  }

  /** The certifying block: sentence, date of issue in the era calendar, the mayor. */
  static CertificateLayout.Certification certification(String sentence, MunicipalityIdentity m, DocumentMeta meta) {
    return new CertificateLayout.Certification(
        sentence,
        JapaneseDates.format(meta.issuedAt().withZoneSameInstant(JAPAN).toLocalDate(), "issuedAt"),
        m.mayorTitle(),
        m.mayorName());
  }
}
