package jp.kofu.issuer.document;

import java.time.ZonedDateTime;
import java.util.HexFormat;
import java.util.Objects;

/**
 * What every kofu document carries besides its content.
 *
 * @param documentNumber the issuance id, printed on every page
 * @param issuedAt when, in Japan time; printed in the Japanese era calendar
 * @param binding the 32 bytes the gateway asked for; stored as the Info entry "KofuBinding"
 * @param verificationCode the public verification code, or null
 */
public record DocumentMeta(String documentNumber, ZonedDateTime issuedAt, byte[] binding, String verificationCode) {
  /** PDF Info entry: {@link #bindingHex()}. */
  public static final String INFO_BINDING = "KofuBinding";
  /** PDF Info entry: {@link #documentNumber()}. */
  public static final String INFO_DOCUMENT_NUMBER = "KofuDocumentNumber";
  /** PDF Info entry: the issuing municipality's 6-digit code. */
  public static final String INFO_MUNICIPALITY_CODE = "KofuMunicipalityCode";
  /** PDF Info entry: the {@link jp.kofu.issuer.spi.CertificateType} name, e.g. RESIDENCE. */
  public static final String INFO_CERTIFICATE_TYPE = "KofuCertificateType";

  public DocumentMeta {
    Objects.requireNonNull(documentNumber, "documentNumber");
    Objects.requireNonNull(issuedAt, "issuedAt");
    binding = binding.clone();
  }

  @Override
  public byte[] binding() {
    return binding.clone();
  }

  public String bindingHex() {
    return HexFormat.of().formatHex(binding);
  }
}
