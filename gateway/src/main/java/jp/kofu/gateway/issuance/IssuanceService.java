package jp.kofu.gateway.issuance;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jp.kofu.gateway.auth.Hmac;
import jp.kofu.gateway.auth.SessionClaims;
import jp.kofu.gateway.error.KofuException;
import jp.kofu.gateway.error.Reasons;
import jp.kofu.gateway.journal.Digest;
import jp.kofu.gateway.journal.Issuance;
import jp.kofu.gateway.journal.IssuanceJournal;
import jp.kofu.gateway.journal.IssuanceState;
import jp.kofu.gateway.journal.IssuedFacts;
import jp.kofu.gateway.routing.Municipality;
import jp.kofu.gateway.routing.MunicipalityRouter;
import jp.kofu.issuer.document.DocumentBinding;
import jp.kofu.issuer.document.VerificationLink;
import jp.kofu.issuer.spi.CardIssueCommand;
import jp.kofu.issuer.spi.CardQuery;
import jp.kofu.issuer.spi.CardRef;
import jp.kofu.issuer.spi.CertificateOption;
import jp.kofu.issuer.spi.CertificateRequest;
import jp.kofu.issuer.spi.IssuanceRefusedException;
import jp.kofu.issuer.spi.IssuedDocument;
import jp.kofu.issuer.spi.MunicipalityOfferings;
import jp.kofu.issuer.spi.OfferingsQuery;
import jp.kofu.issuer.spi.Relation;
import jp.kofu.issuer.spi.ResidentRef;
import jp.kofu.proto.type.v1.Reason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Offerings, issuance and delivery for an authenticated session. Thread-safe. */
public final class IssuanceService {
  private static final Logger log = LoggerFactory.getLogger(IssuanceService.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Clock clock;
  private final MunicipalityRouter router;
  private final IssuanceJournal journal;
  private final Hmac cardKeys;
  private final DocumentCheck documentCheck;
  private final Duration attemptTimeout;
  private final MemberHandles memberHandles;

  /**
   * @param cardKeys keys the card in the journal (a keyed hash, not the serial itself)
   * @param attemptTimeout after this, an attempt that neither issued nor released its order is
   *     presumed dead and a retry may take the order over
   */
  public IssuanceService(
      Clock clock,
      MunicipalityRouter router,
      IssuanceJournal journal,
      Hmac cardKeys,
      DocumentCheck documentCheck,
      Duration attemptTimeout) {
    this.clock = clock;
    this.router = router;
    this.journal = journal;
    this.cardKeys = cardKeys;
    this.documentCheck = documentCheck;
    this.attemptTimeout = attemptTimeout;
    // A key of its own, derived from the card key's secret: a member handle never passes for a
    // journal card key, nor the reverse.
    this.memberHandles = new MemberHandles(new Hmac(cardKeys.mac("kofu/member-handles".getBytes(StandardCharsets.US_ASCII)), "member-handle"));
  }

  public IssuanceJournal journal() {
    return journal;
  }

  /** The journal's key for a card. */
  public Digest cardKey(CardRef card) {
    return Digest.of(cardKeys.mac((card.issuerKeyId() + ":" + card.serial()).getBytes(StandardCharsets.US_ASCII)));
  }

  /** What the card holder can get now: the address municipality, then the family-register one. */
  public List<OfferedMunicipality> offerings(SessionClaims session) {
    Instant now = clock.instant();
    List<OfferedMunicipality> out = new ArrayList<>();
    String address = session.addressMunicipality();
    Optional<String> domicile = offeringsOf(address, Relation.ADDRESS, session, now, out);
    if (domicile.isPresent() && !domicile.get().equals(address)) {
      offeringsOf(domicile.get(), Relation.FAMILY_REGISTER, session, now, out);
    }
    return out;
  }

  private Optional<String> offeringsOf(String code, Relation relation, SessionClaims session, Instant now, List<OfferedMunicipality> out) {
    CardRef card = session.card();
    String name = router.displayName(code);
    Optional<Municipality> municipality = router.find(code);
    if (municipality.isEmpty()) {
      out.add(new OfferedMunicipality(code, name, relation, List.of(), Reason.MUNICIPALITY_NOT_SERVED));
      return Optional.empty();
    }
    Municipality m = municipality.get();
    try {
      Listed listed = listed(m, code, card, relation, now);
      MunicipalityOfferings offerings = listed.offerings();
      out.add(
          new OfferedMunicipality(
              code, offerings.municipalityName(), relation, memberHandles.forSession(session.sessionId(), code, offerings.offerings()), null));
      return Optional.ofNullable(listed.resident().familyRegisterMunicipalityCode());
    } catch (IssuanceRefusedException e) {
      out.add(new OfferedMunicipality(code, name, relation, List.of(), Reasons.forCopier(e.reason())));
    } catch (KofuException e) {
      out.add(new OfferedMunicipality(code, name, relation, List.of(), e.reason()));
    }
    return Optional.empty();
  }

  /** The card resolved and its offerings listed: what one call to the municipality answers. */
  private record Listed(ResidentRef resident, MunicipalityOfferings offerings) {}

  /**
   * The card resolved to its holder and the holder's offerings listed, in one call to the
   * municipality (operation "offerings"): one permit of its limit, one deadline over both, one
   * thread hop, as {@code issue} makes one call for an attempt (SPI 1.1).
   */
  private static Listed listed(Municipality m, String code, CardRef card, Relation relation, Instant now) throws IssuanceRefusedException {
    return m.call(
        "offerings",
        a -> {
          ResidentRef resident = a.resolveCard(new CardQuery(code, card, relation, now));
          return new Listed(resident, a.offerings(new OfferingsQuery(code, resident.residentHandle(), relation, now)));
        });
  }

  /**
   * Issues (or replays) one order: journaled first, then produced by the municipality, verified,
   * journaled as issued, and only then handed back for streaming.
   */
  public Delivery issue(SessionClaims session, Order asked) {
    Municipality municipality = router.route(asked.municipalityCode());
    Instant now = clock.instant();
    CardRef card = session.card();
    Relation relation = asked.municipalityCode().equals(session.addressMunicipality()) ? Relation.ADDRESS : Relation.FAMILY_REGISTER;
    Order order = withMunicipalHandles(session, asked, municipality, relation, now);
    Digest cardKey = cardKey(card);
    Digest digest = orderDigest(cardKey, order, relation);
    String attempt = newAttemptId();
    // An order seen before (a retry, a replay) is read, not inserted again: the insert of a known
    // order id fails inside the database (an exception thrown and caught there) and joins the
    // journal's group commit for nothing. A new order id is inserted as before, and begin still
    // settles a race between two first attempts.
    Optional<Issuance> known = journal.findByOrder(order.orderId());
    IssuanceJournal.Begin begin;
    byte[] binding = null;
    if (known.isPresent()) {
      begin = new IssuanceJournal.Begin(known.get(), false);
    } else {
      String issuanceId = Ulid.next(now);
      binding = DocumentBinding.compute(card.issuerKeyId(), card.serial(), order.orderId(), issuanceId, order.municipalityCode());
      begin =
          journal.begin(
              new Issuance.Order(
                  issuanceId, order.orderId(), digest, cardKey, session.sessionId(), session.terminal().storeChain(),
                  session.terminal().store(), session.terminal().terminal(), order.municipalityCode(), relation,
                  order.request().type(), order.request().copies(), Digest.of(binding)),
              attempt,
              now);
    }
    Issuance row = begin.issuance();
    if (!begin.created()) {
      if (!row.order().orderDigest().equals(digest)) {
        throw new KofuException(Reason.ORDER_CONFLICT, "order_id was already used for another order", Map.of("field", "order_id"));
      }
      if (!placedBy(row, session.terminal())) {
        // Only the copier that placed an order receives its document, and confirms its delivery.
        throw new KofuException(Reason.ORDER_CONFLICT, "order_id was already used at another copier", Map.of("field", "order_id"));
      }
      Claim claim = replayOrClaim(row, session.sessionId(), attempt, now);
      if (claim.replayed() != null) {
        return claim.replayed();
      }
      row = claim.owned();
      binding = row.order().binding().bytes();
    }
    return produce(row, session.sessionId(), municipality, card, relation, order, binding);
  }

  /**
   * The order with its session member handles replaced by the municipality's own handles, listed
   * again now: a handle this session was not shown (one from an earlier session of the same card
   * included) is FIELD_INVALID. The order digest is then over the municipality's handles, so the
   * same order retried in the same session is the same order.
   */
  private Order withMunicipalHandles(SessionClaims session, Order order, Municipality m, Relation relation, Instant now) {
    CertificateRequest r = order.request();
    if (r.memberHandles().isEmpty()) {
      return order;
    }
    String code = order.municipalityCode();
    Map<String, String> municipal = new java.util.HashMap<>();
    try {
      MunicipalityOfferings offerings = listed(m, code, session.card(), relation, now).offerings();
      for (jp.kofu.issuer.spi.Offering o : offerings.offerings()) {
        if (o.type() == r.type()) {
          for (jp.kofu.issuer.spi.Offering.HouseholdMember member : o.householdMembers()) {
            municipal.put(memberHandles.forSession(session.sessionId(), code, member.memberHandle()), member.memberHandle());
          }
        }
      }
    } catch (IssuanceRefusedException e) {
      Map<String, String> metadata = new java.util.LinkedHashMap<>(e.details());
      metadata.put("municipality_code", code);
      throw new KofuException(Reasons.forCopier(e.reason()), "refused by the municipality", metadata);
    }
    List<String> handles = new ArrayList<>(r.memberHandles().size());
    for (String h : r.memberHandles()) {
      String own = municipal.get(h);
      if (own == null) {
        throw KofuException.invalidField(
            "certificate.member_handles", "handles from Offering.household_members listed in this session");
      }
      handles.add(own);
    }
    return new Order(
        order.orderId(), code, new CertificateRequest(r.type(), r.options(), r.scope(), handles, r.copies(), r.fiscalYear()));
  }

  /** An order seen before: answered with its document again, or taken over by this attempt. */
  private record Claim(Delivery replayed, Issuance owned) {}

  /** For an order seen before: its document again, or this attempt takes the order over. */
  private Claim replayOrClaim(Issuance row, String sessionId, String attempt, Instant now) {
    switch (row.state()) {
      case ISSUED:
        return new Claim(replay(row, sessionId), null);
      case DELIVERED:
      case VOIDED:
        throw new KofuException(Reason.ISSUANCE_ALREADY_FINAL, "this order was already " + row.state().name().toLowerCase(java.util.Locale.ROOT));
      case ORDERED:
      case REFUSED:
        boolean stale = row.attemptId() != null && row.attempt().startedAt().plus(attemptTimeout).isBefore(now);
        Optional<Issuance> claimed = row.attemptId() == null || stale ? journal.claim(row, attempt, now) : Optional.empty();
        if (claimed.isPresent()) {
          if (stale) {
            log.warn("issuance {}: took over an attempt that died", row.issuanceId());
          }
          return new Claim(null, claimed.get());
        }
        return new Claim(asJournaled(row.issuanceId(), sessionId, "is being issued by another request"), null);
    }
    throw new IllegalStateException(row.state().name());
  }

  /**
   * What the copier is told when this attempt lost the order to another: the journal's truth,
   * never this attempt's own outcome. Its document if another attempt issued it; else retry.
   */
  private Delivery asJournaled(String issuanceId, String sessionId, String why) {
    Issuance current = journal.find(issuanceId).orElseThrow();
    if (current.state() == IssuanceState.ISSUED) {
      return replay(current, sessionId);
    }
    if (current.state().settled()) {
      throw new KofuException(
          Reason.ISSUANCE_ALREADY_FINAL, "this order was already " + current.state().name().toLowerCase(java.util.Locale.ROOT));
    }
    throw new KofuException(Reason.ORDER_IN_PROGRESS, "this order " + why, Map.of("retry_after_ms", "500"));
  }

  /** The document already issued for this order, journaled as sent again before it is streamed. */
  private Delivery replay(Issuance row, String sessionId) {
    byte[] pdf =
        journal.replay(row.issuanceId(), sessionId, clock.instant())
            .orElseThrow(() -> new KofuException(Reason.ISSUANCE_ALREADY_FINAL, "this order's delivery was already settled"));
    return new Delivery(row, pdf, true);
  }

  private Delivery produce(
      Issuance row,
      String sessionId,
      Municipality municipality,
      CardRef card,
      Relation relation,
      Order order,
      byte[] binding) {
    String code = order.municipalityCode();
    Instant now = clock.instant();
    // Made here, per attempt, from a SecureRandom: printed on the document and in its QR code,
    // journaled with the document's digest, answered by kofu.verify.v1 (see Verifications).
    String verificationCode = VerificationLink.newCode();
    IssuedDocument document;
    try {
      // One call per attempt (SPI 1.1): the adapter resolves the card itself, under one deadline.
      CardIssueCommand command =
          new CardIssueCommand(code, card, relation, order.request(), row.issuanceId(), binding, now, verificationCode);
      document = municipality.call("issue", a -> a.issue(command));
    } catch (IssuanceRefusedException e) {
      // The journal keeps the true reason (SUPPORT_MEASURE included); the copier gets the one it
      // may see, with the municipality's detail only when that reason is not confidential.
      if (!journal.markRefused(row, e.reason().name(), clock.instant())) {
        return asJournaled(row.issuanceId(), sessionId, "was taken over by another request");
      }
      Map<String, String> metadata = new java.util.LinkedHashMap<>(e.details());
      metadata.put("municipality_code", code);
      throw new KofuException(Reasons.forCopier(e.reason()), "refused by the municipality", metadata);
    } catch (RuntimeException e) {
      try {
        journal.release(row);
      } catch (RuntimeException releaseFailed) {
        // The attempt then times out instead; the copier hears of the first failure.
        e.addSuppressed(releaseFailed);
      }
      throw e;
    }
    // The document's own bytes, uncopied (SPI 1.2): the gateway only reads them, and what it
    // checks here is what it journals and streams (IssuedDocument says who may write them: nobody).
    byte[] pdf = document.sharedPdf();
    DocumentCheck.Result checked = documentCheck.check(pdf, code, binding, row.issuanceId());
    String problem = checked.problem();
    if (problem == null && document.verificationCode() != null && !document.verificationCode().equals(verificationCode)) {
      problem = "the document carries another verification code than the one given";
    }
    if (problem != null) {
      // Loud: a municipality produced a document that is not the one asked for.
      log.error("MISISSUANCE PREVENTED: issuance {} from municipality {}: {}; the document was discarded", row.issuanceId(), code, problem);
      journal.markBindingCheckFailed(row, problem, Digest.ofHex(checked.sha256Hex()), clock.instant());
      throw new KofuException(Reason.DOCUMENT_BINDING_MISMATCH, "the municipality's document failed verification; nothing was charged");
    }
    IssuedFacts facts =
        new IssuedFacts(
            document.feePerCopyYen(),
            document.feePerCopyYen() * order.request().copies(),
            Digest.ofHex(checked.sha256Hex()),
            document.pageCount(),
            pdf.length,
            document.verificationCode());
    Optional<Issuance> issued = journal.markIssued(row, facts, pdf, clock.instant());
    if (issued.isEmpty()) {
      return asJournaled(row.issuanceId(), sessionId, "was taken over by another request");
    }
    return new Delivery(issued.get(), pdf, false);
  }

  /**
   * Settles a delivery: printed, or failed (voided and refunded). Only by the copier that received
   * the document: for any other terminal the issuance does not exist (ISSUANCE_NOT_FOUND), even in
   * a session of the same card, so another copier cannot void and refund a document printed here.
   * The terminal of an issuance never changes, so reading it before the settlement is enough.
   */
  public IssuanceJournal.Settlement confirm(SessionClaims session, String issuanceId, boolean printed, String failure) {
    Optional<Issuance> row = journal.find(issuanceId);
    if (row.isEmpty() || !placedBy(row.get(), session.terminal())) {
      throw new KofuException(Reason.ISSUANCE_NOT_FOUND, "issuance_id: no issued document of this card at this copier has this id");
    }
    return switch (journal.settle(issuanceId, cardKey(session.card()), printed, failure, clock.instant())) {
      case IssuanceJournal.Settlement s -> s;
      case IssuanceJournal.NotIssued n ->
          throw new KofuException(Reason.ISSUANCE_NOT_FOUND, "issuance_id: no issued document of this card has this id");
      case IssuanceJournal.AlreadyFinal f when f.voidReason() == jp.kofu.gateway.journal.VoidReason.UNCONFIRMED ->
          throw new KofuException(Reason.ISSUANCE_ALREADY_FINAL, "issuance was voided and refunded: it was not confirmed in time");
      case IssuanceJournal.AlreadyFinal f -> throw new KofuException(Reason.ISSUANCE_ALREADY_FINAL, "issuance already " + f.state());
    };
  }

  /**
   * Where one of this copier's orders stands (GetIssuance): read-only, for the terminal that
   * placed it; ISSUANCE_NOT_FOUND for any other, as for an order id never seen.
   */
  public Issuance issuanceOf(jp.kofu.gateway.auth.TerminalIdentity terminal, String orderId) {
    return journal.findByOrder(orderId)
        .filter(row -> placedBy(row, terminal))
        .orElseThrow(() -> new KofuException(Reason.ISSUANCE_NOT_FOUND, "order_id: no order of this copier has this id"));
  }

  private static boolean placedBy(Issuance row, jp.kofu.gateway.auth.TerminalIdentity terminal) {
    Issuance.Order o = row.order();
    return o.storeChain().equals(terminal.storeChain()) && o.store().equals(terminal.store()) && o.terminal().equals(terminal.terminal());
  }

  private static String newAttemptId() {
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /**
   * {@code values.stream().map(name).sorted().toList().toString()}, the digest's text for a set of names ("[]",
   * "[A]", "[A, B]"), without a stream pipeline for the usual none or one (they were 1.5 % of a
   * replayed stream's server CPU). The text is unchanged: a journaled order's digest still matches.
   */
  static <T> String sortedList(java.util.Collection<T> values, java.util.function.Function<T, String> name) {
    if (values.isEmpty()) {
      return "[]";
    }
    if (values.size() == 1) {
      return "[" + name.apply(values.iterator().next()) + "]";
    }
    return values.stream().map(name).sorted().toList().toString();
  }

  /** A digest of everything that makes an order what it is, to detect a reused order id. */
  static Digest orderDigest(Digest cardKey, Order order, Relation relation) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      CertificateRequest r = order.request();
      out.writeUTF(cardKey.hex());
      out.writeUTF(order.municipalityCode());
      out.writeUTF(relation.name());
      out.writeUTF(r.type().name());
      out.writeUTF(sortedList(r.options(), CertificateOption::name));
      out.writeUTF(r.scope().name());
      out.writeUTF(sortedList(r.memberHandles(), h -> h));
      out.writeInt(r.copies());
      out.writeInt(r.fiscalYear());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Digest.sha256(bytes.toByteArray());
  }
}
