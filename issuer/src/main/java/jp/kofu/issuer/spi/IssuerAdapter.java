package jp.kofu.issuer.spi;

import java.util.Set;

/**
 * A municipality's issuance server as the gateway sees it. Implementations must be thread-safe:
 * the gateway calls them concurrently from many copiers.
 *
 * <p>Rules every adapter keeps (the contract test checks them):
 *
 * <ul>
 *   <li>Read live registry data at issuance: never serve a cached record (a cancelled seal
 *       registration must not be certified a second later).
 *   <li>Every document carries {@link IssueCommand#binding()} in its signed content, and only the
 *       data of the resident the command names.
 *   <li>Refuse with {@link IssuanceRefusedException} and its reason; any other exception means the
 *       municipality is failing.
 *   <li>Respect interruption: the gateway interrupts a call past its deadline, and an aborted call
 *       must leave nothing behind for another request to pick up.
 * </ul>
 */
public interface IssuerAdapter extends AutoCloseable {
  /** The 6-digit local-government codes this adapter serves. */
  Set<String> municipalityCodes();

  /**
   * Maps a card to the resident it belongs to in {@code municipalityCode}. For {@link
   * Relation#FAMILY_REGISTER}, the resident whose 利用登録 names the card.
   *
   * @throws IssuanceRefusedException with {@link RefusalReason#CARD_NOT_REGISTERED} or {@link
   *     RefusalReason#DOMICILE_NOT_REGISTERED}
   */
  ResidentRef resolveCard(CardQuery query) throws IssuanceRefusedException;

  /** What the resident can get here now; unavailable types carry their reason. */
  MunicipalityOfferings offerings(OfferingsQuery query);

  /** Produces the signed document, or refuses. */
  IssuedDocument issue(IssueCommand command) throws IssuanceRefusedException;

  @Override
  default void close() {}
}
