package jp.kofu.issuer.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * SPI 1.1: issue this certificate for the holder of this card, now. The gateway's one call per
 * attempt ({@link IssuerAdapter#issue(CardIssueCommand)}): the adapter maps the card to its holder
 * itself, from the same live read it issues from, so an attempt costs one call, one permit and one
 * deadline.
 *
 * @param card the card that asked, as the gateway authenticated it; for {@link
 *     Relation#FAMILY_REGISTER}, the card a 利用登録 must name
 * @param issuanceId the gateway's id of the issuance, printed as the document number
 * @param binding 32 bytes the signed document must carry (see {@link IssueCommand#binding()})
 * @param verificationCode the public verification code to print, or null where the gateway offers
 *     none
 */
public record CardIssueCommand(
    String municipalityCode,
    CardRef card,
    Relation relation,
    CertificateRequest request,
    String issuanceId,
    byte[] binding,
    Instant at,
    String verificationCode) {
  public CardIssueCommand {
    Objects.requireNonNull(municipalityCode, "municipalityCode");
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

  @Override
  public byte[] binding() {
    return binding.clone();
  }

  /** The question {@link IssuerAdapter#resolveCard} answers for this command. */
  public CardQuery cardQuery() {
    return new CardQuery(municipalityCode, card, relation, at);
  }

  /** The SPI 1.0 form of this command, for the resident the card resolved to. */
  public IssueCommand forResident(String residentHandle) {
    return new IssueCommand(municipalityCode, residentHandle, card, relation, request, issuanceId, binding, at, verificationCode);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CardIssueCommand c
        && municipalityCode.equals(c.municipalityCode) && card.equals(c.card) && relation == c.relation
        && request.equals(c.request) && issuanceId.equals(c.issuanceId) && java.util.Arrays.equals(binding, c.binding)
        && at.equals(c.at) && Objects.equals(verificationCode, c.verificationCode);
  }

  @Override
  public int hashCode() {
    return Objects.hash(municipalityCode, card, issuanceId, at) * 31 + java.util.Arrays.hashCode(binding);
  }
}
