package jp.kofu.issuer.spi;

import java.util.Set;

/**
 * A municipality's issuance server (証明書発行サーバ) as the gateway sees it. One adapter may serve
 * many municipalities (a vendor's shared cloud); every call names the municipality it is about.
 *
 * <p>The contract every adapter keeps (the abstract {@code IssuerAdapterContractTest} in kofu's
 * issuer test-jar checks it; docs/PLUGINS.md explains it):
 *
 * <ul>
 *   <li><b>Thread-safe, no request state in fields.</b> The gateway calls an adapter concurrently
 *       from many copiers, also for the same resident in the same second. Everything a call needs
 *       comes in its argument; nothing of one call may be kept where another can reach it (the
 *       Kawasaki failure, where a later request overwrote an earlier one).
 *   <li><b>Live data.</b> Read the resident registry at every call; never serve a cached record (a
 *       seal registration cancelled a second ago must not be certified).
 *   <li><b>The binding.</b> Every document carries {@link IssueCommand#binding()} in its signed
 *       content and only the data of the resident the command names, signed with the key of the
 *       municipality the command names. The gateway verifies all three and discards a document
 *       that fails (reason DOCUMENT_BINDING_MISMATCH, alerted).
 *   <li><b>Refusals are answers.</b> A rule of the municipality (moved out, under 15, ...) is an
 *       {@link IssuanceRefusedException} with its {@link RefusalReason}. Any other exception means
 *       the municipality is failing; the gateway counts it towards opening the municipality's
 *       circuit breaker and tells the copier MUNICIPALITY_UNAVAILABLE.
 *   <li><b>Deadlines and interruption.</b> The gateway runs each call on its own (virtual) thread
 *       under a deadline. Past it, or when the copier goes away, the thread is interrupted and the
 *       call's result, if it ever comes, is dropped. Blocking work must respond to interruption
 *       (JDBC drivers, gRPC and {@code java.nio} channels do) and an aborted call must leave
 *       nothing behind for another call to pick up: no shared "current document", no queue of
 *       finished documents (the Yokohama failure, where the next applicant received the file of a
 *       request that had timed out).
 * </ul>
 */
public interface IssuerAdapter extends AutoCloseable {
  /**
   * The 6-digit local-government codes this adapter serves, fixed for its lifetime. The gateway
   * routes exactly these codes to it; a code served by two adapters stops the gateway at start-up.
   */
  Set<String> municipalityCodes();

  /**
   * Maps a card to the resident it belongs to in {@code query.municipalityCode()}. For {@link
   * Relation#FAMILY_REGISTER}, the resident whose 利用登録 names the card.
   *
   * @throws IssuanceRefusedException with {@link RefusalReason#CARD_NOT_REGISTERED} (the card is
   *     unknown here, or not usable before the next nightly batch) or {@link
   *     RefusalReason#DOMICILE_NOT_REGISTERED}
   */
  ResidentRef resolveCard(CardQuery query) throws IssuanceRefusedException;

  /**
   * What the resident can get here now. A type that exists but cannot be issued is listed with its
   * {@link Offering#unavailableReason()}, shown to the copier ({@link
   * RefusalReason#shownToCopier()}: never {@link RefusalReason#SUPPORT_MEASURE}).
   *
   * @throws IssuanceRefusedException when the handle is unknown ({@link
   *     RefusalReason#CARD_NOT_REGISTERED})
   */
  MunicipalityOfferings offerings(OfferingsQuery query) throws IssuanceRefusedException;

  /**
   * SPI 1.0: produces the signed document from live data, or refuses. Checks again that {@code
   * command.card()} maps to {@code command.residentHandle()}: the card may have been reissued since
   * {@link #resolveCard}.
   *
   * <p>The gateway no longer calls this itself (it calls {@link #issue(CardIssueCommand)}); an
   * adapter of SPI 1.0 implements only this and gets the other by its default, and an adapter of SPI
   * 1.1 implements both (an issuer server still answers gateways of SPI 1.0 with this one).
   */
  IssuedDocument issue(IssueCommand command) throws IssuanceRefusedException;

  /**
   * SPI 1.1, the gateway's one call per attempt: maps {@code command.card()} to its holder (as
   * {@link #resolveCard} does, with the same refusals) and produces the signed document for that
   * holder from live data, or refuses. One call: one concurrency permit, one thread, one deadline.
   *
   * <p>The default, for adapters written against SPI 1.0, makes the two steps inside this one call:
   * {@link #resolveCard}, then {@link #issue(IssueCommand)} for the resident it answered. An adapter
   * of SPI 1.1 overrides it to read the card's holder once and issue from that read.
   */
  default IssuedDocument issue(CardIssueCommand command) throws IssuanceRefusedException {
    ResidentRef resident = resolveCard(command.cardQuery());
    return issue(command.forResident(resident.residentHandle()));
  }

  /** Releases connections and threads; called once when the gateway stops. */
  @Override
  default void close() {}
}
