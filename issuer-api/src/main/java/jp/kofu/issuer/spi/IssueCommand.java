package jp.kofu.issuer.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * Issue this certificate for this resident, now: the SPI 1.0 command, naming the resident a previous
 * {@link IssuerAdapter#resolveCard} call returned. The gateway sends {@link CardIssueCommand} since
 * SPI 1.1; this form remains for adapters written against 1.0 and for issuer servers answering
 * gateways of 1.0.
 *
 * @param issuanceId the gateway's id of the issuance, printed as the document number
 * @param binding 32 bytes the signed document must carry (PDF Info entry "KofuBinding", lowercase
 *     hex): the gateway refuses any document without it
 * @param verificationCode the public verification code the gateway made for this issuance, to
 *     print on the document and in its QR code (and to return in {@link
 *     IssuedDocument#verificationCode()}); null where the gateway offers none
 */
public record IssueCommand(
    String municipalityCode,
    String residentHandle,
    CardRef card,
    Relation relation,
    CertificateRequest request,
    String issuanceId,
    byte[] binding,
    Instant at,
    String verificationCode) {
  public IssueCommand {
    Objects.requireNonNull(municipalityCode, "municipalityCode");
    Objects.requireNonNull(residentHandle, "residentHandle");
    Objects.requireNonNull(card, "card");
    Objects.requireNonNull(relation, "relation");
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(issuanceId, "issuanceId");
    binding = binding.clone();
    if (binding.length != 32) {
      throw new IllegalArgumentException("binding: " + binding.length + " bytes (expected: 32)");
    }
    Objects.requireNonNull(at, "at");
  }

  /** A command without a verification code. */
  public IssueCommand(
      String municipalityCode,
      String residentHandle,
      CardRef card,
      Relation relation,
      CertificateRequest request,
      String issuanceId,
      byte[] binding,
      Instant at) {
    this(municipalityCode, residentHandle, card, relation, request, issuanceId, binding, at, null);
  }

  @Override
  public byte[] binding() {
    return binding.clone();
  }

  /** This command without its resident handle: the SPI 1.1 form, which the adapter resolves itself. */
  public CardIssueCommand forCard() {
    return new CardIssueCommand(municipalityCode, card, relation, request, issuanceId, binding, at, verificationCode);
  }
}
