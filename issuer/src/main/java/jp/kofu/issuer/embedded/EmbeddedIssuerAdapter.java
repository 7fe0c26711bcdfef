package jp.kofu.issuer.embedded;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import jp.kofu.issuer.JapanTime;
import jp.kofu.issuer.catalog.CertificateTerms;
import jp.kofu.issuer.catalog.MunicipalityCatalog;
import jp.kofu.issuer.catalog.MunicipalityProfile;
import jp.kofu.issuer.catalog.ServiceHours;
import jp.kofu.issuer.document.CertificateContent;
import jp.kofu.issuer.document.DocumentMeta;
import jp.kofu.issuer.document.LongTermValidation;
import jp.kofu.issuer.document.PadesSigner;
import jp.kofu.issuer.document.CertificateFonts;
import jp.kofu.issuer.document.CertificateRenderer;
import jp.kofu.issuer.document.VerificationLink;
import jp.kofu.issuer.registry.CardRecord;
import jp.kofu.issuer.registry.FamilyRegister;
import jp.kofu.issuer.registry.FamilyRegisterMember;
import jp.kofu.issuer.registry.Household;
import jp.kofu.issuer.registry.Resident;
import jp.kofu.issuer.registry.ResidentRegistry;
import jp.kofu.issuer.registry.ResidentStatus;
import jp.kofu.issuer.registry.SealRegistration;
import jp.kofu.issuer.registry.TaxRecord;
import jp.kofu.issuer.registry.UseRegistration;
import jp.kofu.issuer.spi.CardQuery;
import jp.kofu.issuer.spi.CardIssueCommand;
import jp.kofu.issuer.spi.CardRef;
import jp.kofu.issuer.spi.CertificateRequest;
import jp.kofu.issuer.spi.CertificateType;
import jp.kofu.issuer.spi.IssuanceRefusedException;
import jp.kofu.issuer.spi.IssueCommand;
import jp.kofu.issuer.spi.IssuedDocument;
import jp.kofu.issuer.spi.IssuerAdapter;
import jp.kofu.issuer.spi.MunicipalityOfferings;
import jp.kofu.issuer.spi.Offering;
import jp.kofu.issuer.spi.OfferingsQuery;
import jp.kofu.issuer.spi.RefusalReason;
import jp.kofu.issuer.spi.Relation;
import jp.kofu.issuer.spi.ResidentRef;
import jp.kofu.pki.HeldCertificate;

/**
 * A municipality's issuance server inside kofu: the registry is read live for every call, the
 * catalog says what is offered and when, and documents are signed with the municipality's key.
 *
 * <p>As the address municipality (住所地) it issues the residence, seal and tax certificates, and
 * the family-register ones when the register is kept here too. As the 本籍地 of someone living
 * elsewhere it issues family-register certificates only, to a card with an effective 利用登録.
 */
public final class EmbeddedIssuerAdapter implements IssuerAdapter {
  private final ResidentRegistry registry;
  private final MunicipalityCatalog catalog;
  private final MunicipalSigners signers;
  private final CertificateRenderer renderer;
  private final PadesSigner padesSigner;
  private final LongTermValidation longTerm;
  private final AutoCloseable resources;
  private final Set<String> served;

  /** Signatures without a timestamp (PAdES B-B), QR codes on the default verification page. */
  public EmbeddedIssuerAdapter(
      ResidentRegistry registry, MunicipalityCatalog catalog, MunicipalSigners signers, Clock clock, AutoCloseable resources) {
    this(registry, catalog, signers, new PadesSigner(clock), VerificationLink.defaults(), resources, catalog.codes());
  }

  /**
   * @param signer signs (with a time-stamping source: PAdES B-T)
   * @param link where the QR code of each document points (the verification page)
   * @param served the codes of the catalog this adapter serves (one registry may hold
   *     municipalities that other adapters, or a remote issuer server, serve)
   */
  public EmbeddedIssuerAdapter(
      ResidentRegistry registry,
      MunicipalityCatalog catalog,
      MunicipalSigners signers,
      PadesSigner signer,
      VerificationLink link,
      AutoCloseable resources,
      Set<String> served) {
    this(registry, catalog, signers, signer, null, link, resources, served);
  }

  /** The same, and with {@code longTerm} (when not null) the signatures extended to PAdES B-LT. */
  public EmbeddedIssuerAdapter(
      ResidentRegistry registry,
      MunicipalityCatalog catalog,
      MunicipalSigners signers,
      PadesSigner signer,
      LongTermValidation longTerm,
      VerificationLink link,
      AutoCloseable resources,
      Set<String> served) {
    this.longTerm = longTerm;
    this.registry = registry;
    this.catalog = catalog;
    this.signers = signers;
    this.renderer = new CertificateRenderer(CertificateFonts.shared(), link);
    this.padesSigner = signer;
    this.resources = resources;
    for (String code : served) {
      if (catalog.find(code).isEmpty()) {
        throw new IllegalArgumentException("municipality " + code + ": not in the catalog (expected one of " + catalog.codes().size() + " catalog files)");
      }
    }
    this.served = Set.copyOf(served);
  }

  @Override
  public Set<String> municipalityCodes() {
    return served;
  }

  @Override
  public ResidentRef resolveCard(CardQuery query) throws IssuanceRefusedException {
    MunicipalityProfile profile = profile(query.municipalityCode());
    LocalDate today = JapanTime.date(query.at());
    if (query.relation() == Relation.FAMILY_REGISTER) {
      FamilyRegisterMember member = registeredMember(profile, query.card(), today).member();
      return new ResidentRef(member.handle(), null);
    }
    Resident resident = residentOfCard(profile, query.card(), today);
    String domicileCode = resident.domicileMunicipalityCode();
    return new ResidentRef(resident.handle(), domicileCode == null || domicileCode.equals(profile.code()) ? null : domicileCode);
  }

  /**
   * The resident a card maps to here, read live (card and resident in one read), once the card is
   * usable (the day after the batch).
   */
  private Resident residentOfCard(MunicipalityProfile profile, CardRef cardRef, LocalDate today) throws IssuanceRefusedException {
    ResidentRegistry.CardHolder held = read(() -> registry.cardHolder(cardRef.issuerKeyId(), cardRef.serial()))
        .filter(h -> h.card().municipalityCode().equals(profile.code()))
        .orElseThrow(() -> new IssuanceRefusedException(RefusalReason.CARD_NOT_REGISTERED, "card unknown in " + profile.code()));
    if (today.isBefore(held.card().usableFrom())) {
      throw new IssuanceRefusedException(RefusalReason.CARD_NOT_REGISTERED, "card usable from the next batch");
    }
    return held.resident();
  }

  /**
   * The register entry a card's 利用登録 names at this 本籍地, if the registration is in effect
   * today (5 business days after filing).
   */
  private ResidentRegistry.RegisterEntry registeredMember(MunicipalityProfile profile, CardRef card, LocalDate today)
      throws IssuanceRefusedException {
    UseRegistration use = read(() -> registry.useRegistration(profile.code(), card))
        .filter(u -> u.cancelledOn() == null || u.cancelledOn().isAfter(today))
        .orElseThrow(() -> new IssuanceRefusedException(RefusalReason.DOMICILE_NOT_REGISTERED, "no use registration for this card"));
    if (!use.effectiveOn(today)) {
      throw new IssuanceRefusedException(
          RefusalReason.DOMICILE_NOT_REGISTERED,
          "use registration not yet in effect",
          Map.of("effective_on", use.effectiveOn().toString()));
    }
    // The member and its register in one read.
    ResidentRegistry.RegisterEntry entry = read(() -> registry.familyRegisterEntry(use.memberId()))
        .orElseThrow(() -> new IssuanceRefusedException(RefusalReason.DOMICILE_NOT_REGISTERED, "use registration names no member"));
    if (!entry.register().municipalityCode().equals(profile.code())) {
      throw new IssuanceRefusedException(RefusalReason.DOMICILE_NOT_REGISTERED, "register kept elsewhere");
    }
    return entry;
  }

  /**
   * Who a handle names, read live: the resident record (at the address municipality) and the
   * register entry (when the register is kept here).
   */
  private record Holder(Relation relation, Resident resident, FamilyRegisterMember member, FamilyRegister register) {
    @Override
    public String toString() {
      return "Holder[" + relation + "]";
    }
  }

  private Optional<Holder> holder(MunicipalityProfile profile, String handle, Relation relation) {
    if (relation == Relation.FAMILY_REGISTER) {
      return read(() -> registry.familyRegisterEntryByHandle(handle))
          .filter(e -> e.register().municipalityCode().equals(profile.code()))
          .map(e -> new Holder(relation, null, e.member(), e.register()));
    }
    return read(() -> registry.residentByHandle(handle))
        .filter(r -> r.municipalityCode().equals(profile.code()))
        .map(r -> residentHolder(profile, r));
  }

  /** A resident of the address municipality, with the register entry when the register is kept here. */
  private Holder residentHolder(MunicipalityProfile profile, Resident r) {
    if (!profile.code().equals(r.domicileMunicipalityCode())) {
      return new Holder(Relation.ADDRESS, r, null, null);
    }
    // The register entry and its register in one read.
    return read(() -> registry.familyRegisterEntryOfResident(r.id(), profile.code()))
        .map(e -> new Holder(Relation.ADDRESS, r, e.member(), e.register()))
        .orElseGet(() -> new Holder(Relation.ADDRESS, r, null, null));
  }

  /**
   * The card's holder, read live (SPI 1.1): at the 本籍地 the register entry its 利用登録 names, at
   * the address municipality the resident it maps to.
   */
  private Holder holderOfCard(MunicipalityProfile profile, CardRef card, Relation relation, LocalDate today)
      throws IssuanceRefusedException {
    if (relation == Relation.FAMILY_REGISTER) {
      // The register as read with the member (it was read a second time here before).
      ResidentRegistry.RegisterEntry entry = registeredMember(profile, card, today);
      return new Holder(relation, null, entry.member(), entry.register());
    }
    Resident resident = residentOfCard(profile, card, today);
    if (!resident.municipalityCode().equals(profile.code())) {
      throw new IssuanceRefusedException(RefusalReason.CARD_NOT_REGISTERED, "card maps to no resident here");
    }
    return residentHolder(profile, resident);
  }

  /** Which of the municipality's types this holder may ask for here at all. */
  private static boolean offered(CertificateType type, Holder holder) {
    if (holder.relation() == Relation.FAMILY_REGISTER) {
      return type.isFamilyRegister();
    }
    return !type.isFamilyRegister() || holder.register() != null;
  }

  /**
   * The records a rule read that the certificate prints too (the seal registration, the tax record):
   * read once, by {@link #check}, and printed from the same read.
   */
  private record Checked(SealRegistration seal, TaxRecord tax) {
    static final Checked NOTHING = new Checked(null, null);

    @Override
    public String toString() {
      return "Checked";
    }
  }

  /**
   * Every rule for {@code type} at {@code at}, against live records; returns what it read when the
   * certificate may be issued.
   */
  private Checked check(MunicipalityProfile profile, Holder holder, CertificateType type, int fiscalYear, Instant at)
      throws IssuanceRefusedException {
    Verdict v = verdict(profile, holder, type, fiscalYear, at, false);
    if (v.reason() != null) {
      throw new IssuanceRefusedException(v.reason(), v.message(), v.details());
    }
    return v.checked();
  }

  /**
   * What {@link #verdict} found: what the rules read, or the reason they refuse. {@link #offerings}
   * asks it for every type a holder might be offered, and a refusal there is an answer, not an
   * error: it is returned, not thrown (no exception per refused type on every menu).
   */
  private record Verdict(Checked checked, RefusalReason reason, String message, Map<String, String> details) {
    static Verdict issuable(Checked checked) {
      return new Verdict(checked, null, null, Map.of());
    }

    static Verdict refused(RefusalReason reason, String message, Map<String, String> details) {
      return new Verdict(null, reason, message, details);
    }

    static Verdict refused(RefusalReason reason) {
      return refused(reason, reason.name(), Map.of());
    }
  }

  /**
   * The rules of {@link #check}, a refusal returned rather than thrown. For a {@code menu}
   * (offerings: only the reason is used) the same rules read only what they judge: the latest seal
   * registration's dates without its impression, whether the year's tax was filed without its
   * amounts; what they return then is no record to print ({@link Checked#NOTHING}).
   */
  private Verdict verdict(MunicipalityProfile profile, Holder holder, CertificateType type, int fiscalYear, Instant at, boolean menu)
      throws IssuanceRefusedException {
    ServiceHours hours = profile.hours();
    if (!hours.isOpen(type, at)) {
      return Verdict.refused(
          RefusalReason.OUT_OF_SERVICE_HOURS, "outside service hours", Map.of("next_open", ServiceHours.iso(hours.nextOpen(type, at))));
    }
    LocalDate today = JapanTime.date(at);
    RefusalReason person =
        holder.relation() == Relation.FAMILY_REGISTER
            ? IssuanceRules.member(holder.member(), holder.member().removed() && deceased(holder.member()), today)
            : IssuanceRules.resident(holder.resident(), today);
    if (person != null) {
      return Verdict.refused(person);
    }
    switch (type) {
      case SEAL_REGISTRATION -> {
        if (menu) {
          RefusalReason refused = IssuanceRules.seal(read(() -> registry.latestSealRegistrationActiveOn(holder.resident().id(), today)));
          return refused != null ? Verdict.refused(refused) : Verdict.issuable(Checked.NOTHING);
        }
        SealRegistration seal = read(() -> registry.latestSealRegistration(holder.resident().id())).orElse(null);
        RefusalReason refused = IssuanceRules.seal(seal, today);
        return refused != null ? Verdict.refused(refused) : Verdict.issuable(new Checked(seal, null));
      }
      case INCOME_TAX -> {
        int current = IssuanceRules.currentFiscalYear(today);
        if (fiscalYear != 0 && fiscalYear != current) {
          return Verdict.refused(
              RefusalReason.FISCAL_YEAR_NOT_OFFERED, "fiscal_year: " + fiscalYear + " (expected: " + current + ")",
              Map.of("field", "fiscal_year", "expected", Integer.toString(current)));
        }
        if (menu) {
          RefusalReason refused = IssuanceRules.tax(read(() -> registry.taxFiled(holder.resident().id(), current)).orElse(false));
          return refused != null ? Verdict.refused(refused) : Verdict.issuable(Checked.NOTHING);
        }
        TaxRecord tax = read(() -> registry.taxRecord(holder.resident().id(), current)).orElse(null);
        RefusalReason refused = IssuanceRules.tax(tax);
        return refused != null ? Verdict.refused(refused) : Verdict.issuable(new Checked(null, tax));
      }
      case FAMILY_REGISTER_FULL, FAMILY_REGISTER_INDIVIDUAL, FAMILY_REGISTER_ANNEX -> {
        RefusalReason refused = IssuanceRules.familyRegister(holder.register());
        return refused != null ? Verdict.refused(refused) : Verdict.issuable(Checked.NOTHING);
      }
      case RESIDENCE, RESIDENCE_ITEMS -> {
        return Verdict.issuable(Checked.NOTHING);
      }
    }
    throw new IllegalStateException("certificate type " + type);
  }

  /** A removed register member whose removal was a death (the 本籍地 records 死亡 as 除籍). */
  private boolean deceased(FamilyRegisterMember member) {
    if (member.residentId() != null) {
      Optional<Resident> r = read(() -> registry.resident(member.residentId()));
      if (r.isPresent() && r.get().status() == ResidentStatus.DECEASED) {
        return true;
      }
    }
    return read(() -> registry.familyRegisterEvents(member.registerId())).stream()
        .anyMatch(e -> Long.valueOf(member.id()).equals(e.memberId()) && e.kind().equals("死亡"));
  }

  @Override
  public MunicipalityOfferings offerings(OfferingsQuery query) throws IssuanceRefusedException {
    MunicipalityProfile profile = profile(query.municipalityCode());
    Optional<Holder> holder = holder(profile, query.residentHandle(), query.relation());
    List<Offering> offerings = new ArrayList<>();
    for (CertificateTerms terms : profile.certificates().values()) {
      if (holder.isPresent() && !offered(terms.type(), holder.get())) {
        continue;
      }
      if (holder.isEmpty() && terms.type().isFamilyRegister() != (query.relation() == Relation.FAMILY_REGISTER)) {
        continue;
      }
      RefusalReason reason = null;
      java.time.Instant nextOpen = null;
      if (holder.isEmpty()) {
        reason = RefusalReason.CARD_NOT_REGISTERED;
      } else {
        reason = verdict(profile, holder.get(), terms.type(), 0, query.at(), true).reason();
        if (reason == RefusalReason.OUT_OF_SERVICE_HOURS) {
          nextOpen = profile.hours().nextOpen(terms.type(), query.at());
        }
      }
      List<Offering.HouseholdMember> members = List.of();
      if (reason == null && terms.type() == CertificateType.RESIDENCE) {
        members = householdChoices(holder.get().resident());
      }
      offerings.add(
          new Offering(
              terms.type(), terms.options(), terms.feeYen(), terms.maxCopies(),
              reason == null ? null : reason.shownToCopier(), members, nextOpen));
    }
    return new MunicipalityOfferings(profile.identity().fullName(), offerings);
  }

  private List<Offering.HouseholdMember> householdChoices(Resident holder) {
    List<Offering.HouseholdMember> members = new ArrayList<>();
    members.add(new Offering.HouseholdMember(holder.handle(), holder.fullName(), true));
    for (Resident r : read(() -> registry.householdMembers(holder.householdId()))) {
      if (r.id() != holder.id() && !r.status().removed()) {
        members.add(new Offering.HouseholdMember(r.handle(), r.fullName(), false));
      }
    }
    return members;
  }

  /** SPI 1.0: the resident named by handle, and the card must still map to that very holder. */
  @Override
  public IssuedDocument issue(IssueCommand command) throws IssuanceRefusedException {
    MunicipalityProfile profile = profile(command.municipalityCode());
    CertificateTerms terms = terms(profile, command.request());
    LocalDate today = JapanTime.date(command.at());
    // Live read, and the card must still map to this very holder (a card reissued, revoked or
    // deregistered in the meantime must not produce a document).
    Holder holder = holder(profile, command.residentHandle(), command.relation())
        .orElseThrow(() -> new IssuanceRefusedException(RefusalReason.CARD_NOT_REGISTERED, "unknown resident handle"));
    if (command.relation() == Relation.FAMILY_REGISTER) {
      if (registeredMember(profile, command.card(), today).member().id() != holder.member().id()) {
        throw new IssuanceRefusedException(RefusalReason.CARD_NOT_REGISTERED, "card is registered for another person");
      }
    } else {
      CardRecord card = read(() -> registry.findCard(command.card().issuerKeyId(), command.card().serial()))
          .orElseThrow(() -> new IssuanceRefusedException(RefusalReason.CARD_NOT_REGISTERED, "card unknown"));
      if (card.residentId() != holder.resident().id()) {
        throw new IssuanceRefusedException(RefusalReason.CARD_NOT_REGISTERED, "card does not map to the resident handle");
      }
    }
    return issueFor(profile, terms, holder, command.forCard());
  }

  /** SPI 1.1: the card's holder, read once, live, and the document issued from that read. */
  @Override
  public IssuedDocument issue(CardIssueCommand command) throws IssuanceRefusedException {
    MunicipalityProfile profile = profile(command.municipalityCode());
    CertificateTerms terms = terms(profile, command.request());
    Holder holder = holderOfCard(profile, command.card(), command.relation(), JapanTime.date(command.at()));
    return issueFor(profile, terms, holder, command);
  }

  /** The type, options and copies asked for, against what the municipality offers. */
  private static CertificateTerms terms(MunicipalityProfile profile, CertificateRequest request) throws IssuanceRefusedException {
    CertificateType type = request.type();
    CertificateTerms terms = profile.terms(type)
        .orElseThrow(() -> new IssuanceRefusedException(RefusalReason.CERTIFICATE_TYPE_NOT_OFFERED, type.name()));
    if (!terms.options().containsAll(request.options())) {
      throw new IssuanceRefusedException(RefusalReason.OPTION_NOT_OFFERED, "option not offered");
    }
    if (request.copies() < 1 || request.copies() > terms.maxCopies()) {
      throw new IssuanceRefusedException(
          RefusalReason.COPIES_OUT_OF_RANGE, "copies: " + request.copies() + " (expected: 1.." + terms.maxCopies() + ")");
    }
    return terms;
  }

  private IssuedDocument issueFor(MunicipalityProfile profile, CertificateTerms terms, Holder holder, CardIssueCommand command)
      throws IssuanceRefusedException {
    CertificateRequest request = command.request();
    CertificateType type = request.type();
    Instant at = command.at();
    LocalDate today = JapanTime.date(at);
    if (!offered(type, holder)) {
      throw new IssuanceRefusedException(RefusalReason.CERTIFICATE_TYPE_NOT_OFFERED, type.name() + " not for this holder here");
    }
    Checked checked = check(profile, holder, type, request.fiscalYear(), at);
    CertificateContent content = content(profile, holder, request, checked, today);
    DocumentMeta meta = new DocumentMeta(command.issuanceId(), JapanTime.at(at), command.binding(), command.verificationCode());
    HeldCertificate signer = signers.signer(profile.code(), profile.identity().fullName());
    PadesSigner.Signed signed;
    try {
      // Rendered and signed in one pass: the file is written once with /Contents reserved.
      signed = renderer.renderSigned(content, meta, padesSigner, signer);
    } catch (IllegalArgumentException e) {
      // The layout refuses what it cannot print (too long, or a character the font lacks); its
      // message names the field, never the content.
      throw new IssuanceRefusedException(RefusalReason.DATA_TOO_LONG, e.getMessage());
    }
    byte[] pdf = longTerm == null ? signed.pdf() : longTerm.extend(signed.pdf(), signer);
    // Handed over, not copied: the array was made for this document and nothing here keeps it.
    return IssuedDocument.handOver(pdf, signed.pageCount(), terms.feeYen(), command.verificationCode());
  }

  /** The certificate's content, from records read now (those the rules read, from that same read). */
  private CertificateContent content(
      MunicipalityProfile profile, Holder holder, CertificateRequest request, Checked checked, LocalDate today)
      throws IssuanceRefusedException {
    CertificateType type = request.type();
    if (type.isFamilyRegister()) {
      FamilyRegister register = holder.register();
      var members = read(() -> registry.familyRegisterMembers(register.id()));
      return switch (type) {
        case FAMILY_REGISTER_ANNEX ->
            CertificateContents.annex(profile, register, members, read(() -> registry.annexEntries(register.id())));
        default ->
            CertificateContents.familyRegister(
                profile, register, members, read(() -> registry.familyRegisterEvents(register.id())), holder.member(),
                type == CertificateType.FAMILY_REGISTER_INDIVIDUAL);
      };
    }
    Resident resident = holder.resident();
    if (type == CertificateType.RESIDENCE || type == CertificateType.RESIDENCE_ITEMS) {
      // The household and its members in one read.
      ResidentRegistry.HouseholdWithMembers household = read(() -> registry.householdWithMembers(resident.householdId()))
          .orElseThrow(() -> new IllegalStateException("resident without household"));
      return CertificateContents.residence(
          profile, resident, household.household(), household.members(), request, type == CertificateType.RESIDENCE_ITEMS);
    }
    Household home = read(() -> registry.household(resident.householdId()))
        .orElseThrow(() -> new IllegalStateException("resident without household"));
    return switch (type) {
      case SEAL_REGISTRATION -> {
        SealRegistration seal = Optional.ofNullable(checked.seal())
            .filter(s -> s.activeOn(today))
            .orElseThrow(() -> new IssuanceRefusedException(RefusalReason.NO_SEAL_REGISTRATION, "NO_SEAL_REGISTRATION"));
        yield CertificateContents.seal(profile, resident, home, seal);
      }
      case INCOME_TAX -> {
        TaxRecord tax = Optional.ofNullable(checked.tax())
            .filter(TaxRecord::filed)
            .orElseThrow(() -> new IssuanceRefusedException(RefusalReason.NO_TAX_FILING, "NO_TAX_FILING"));
        yield CertificateContents.incomeTax(profile, resident, tax);
      }
      default -> throw new IllegalStateException(type.name());
    };
  }

  private MunicipalityProfile profile(String code) throws IssuanceRefusedException {
    return catalog.find(code)
        .filter(p -> served.contains(p.code()))
        .orElseThrow(() -> new IssuanceRefusedException(RefusalReason.CARD_NOT_REGISTERED, "municipality not served: " + code));
  }

  @FunctionalInterface
  private interface Read<T> {
    T get() throws SQLException;
  }

  private static <T> T read(Read<T> read) {
    try {
      return read.get();
    } catch (SQLException e) {
      throw new RegistryUnavailableException(e);
    }
  }

  @Override
  public void close() {
    try {
      resources.close();
    } catch (Exception e) {
      throw new IllegalStateException("closing the registry", e);
    }
  }

  /** The registry cannot be read: the municipality is failing (not a refusal). */
  public static final class RegistryUnavailableException extends RuntimeException {
    RegistryUnavailableException(SQLException cause) {
      super("resident registry unavailable: " + cause.getSQLState(), cause);
    }
  }
}
