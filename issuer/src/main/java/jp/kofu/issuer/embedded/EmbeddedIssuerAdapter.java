package jp.kofu.issuer.embedded;

import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import jp.kofu.issuer.JapanTime;
import jp.kofu.issuer.catalog.CertificateTerms;
import jp.kofu.issuer.catalog.MunicipalityCatalog;
import jp.kofu.issuer.catalog.MunicipalityProfile;
import jp.kofu.issuer.document.DocumentMeta;
import jp.kofu.issuer.document.PadesSigner;
import jp.kofu.issuer.document.ResidenceCertificate;
import jp.kofu.issuer.document.ResidenceCertificateRenderer;
import jp.kofu.issuer.registry.CardRecord;
import jp.kofu.issuer.registry.Household;
import jp.kofu.issuer.registry.Resident;
import jp.kofu.issuer.registry.ResidentRegistry;
import jp.kofu.issuer.spi.CardQuery;
import jp.kofu.issuer.spi.CertificateOption;
import jp.kofu.issuer.spi.CertificateRequest;
import jp.kofu.issuer.spi.CertificateType;
import jp.kofu.issuer.spi.HouseholdScope;
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
 * catalog says what is offered, and documents are signed with the municipality's key.
 */
public final class EmbeddedIssuerAdapter implements IssuerAdapter {
  private final ResidentRegistry registry;
  private final MunicipalityCatalog catalog;
  private final MunicipalSigners signers;
  private final ResidenceCertificateRenderer residenceRenderer = new ResidenceCertificateRenderer();
  private final PadesSigner padesSigner;
  private final AutoCloseable resources;
  private final Set<String> served;

  public EmbeddedIssuerAdapter(
      ResidentRegistry registry, MunicipalityCatalog catalog, MunicipalSigners signers, java.time.Clock clock, AutoCloseable resources) {
    this(registry, catalog, signers, clock, resources, catalog.codes());
  }

  /**
   * @param served the codes of the catalog this adapter serves (one registry may hold
   *     municipalities that other adapters, or a remote issuer server, serve)
   */
  public EmbeddedIssuerAdapter(
      ResidentRegistry registry,
      MunicipalityCatalog catalog,
      MunicipalSigners signers,
      java.time.Clock clock,
      AutoCloseable resources,
      Set<String> served) {
    this.registry = registry;
    this.catalog = catalog;
    this.signers = signers;
    this.padesSigner = new PadesSigner(clock);
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
    if (query.relation() == Relation.FAMILY_REGISTER) {
      // Family-register issuance needs a use registration (利用登録), which this registry does not keep yet.
      throw new IssuanceRefusedException(RefusalReason.DOMICILE_NOT_REGISTERED, "no use registration for this card");
    }
    CardRecord card = read(() -> registry.findCard(query.card().issuerKeyId(), query.card().serial()))
        .filter(c -> c.municipalityCode().equals(profile.code()))
        .orElseThrow(() -> new IssuanceRefusedException(RefusalReason.CARD_NOT_REGISTERED, "card unknown in " + profile.code()));
    if (JapanTime.date(query.at()).isBefore(card.usableFrom())) {
      throw new IssuanceRefusedException(RefusalReason.CARD_NOT_REGISTERED, "card usable from the next batch");
    }
    Resident resident = read(() -> registry.resident(card.residentId()))
        .orElseThrow(() -> new IssuanceRefusedException(RefusalReason.CARD_NOT_REGISTERED, "card maps to no resident"));
    String domicileCode = resident.domicileMunicipalityCode();
    return new ResidentRef(resident.handle(), domicileCode == null || domicileCode.equals(profile.code()) ? null : domicileCode);
  }

  @Override
  public MunicipalityOfferings offerings(OfferingsQuery query) throws IssuanceRefusedException {
    MunicipalityProfile profile = profile(query.municipalityCode());
    Optional<Resident> holder =
        readUnchecked(() -> registry.residentByHandle(query.residentHandle())).filter(r -> r.municipalityCode().equals(profile.code()));
    LocalDate today = JapanTime.date(query.at());
    List<Offering> offerings = new ArrayList<>();
    for (CertificateTerms terms : profile.certificates().values()) {
      if (!Renderers.supports(terms.type()) || terms.type().isFamilyRegister() != (query.relation() == Relation.FAMILY_REGISTER)) {
        continue;
      }
      RefusalReason reason =
          holder.isEmpty() ? RefusalReason.CARD_NOT_REGISTERED : IssuanceRules.refusal(holder.get(), terms.type(), today);
      List<Offering.HouseholdMember> members = List.of();
      if (reason == null && terms.type() == CertificateType.RESIDENCE) {
        members = householdChoices(holder.get());
      }
      offerings.add(
          new Offering(
              terms.type(), terms.options(), terms.feeYen(), terms.maxCopies(),
              reason == null ? null : reason.shownToCopier(), members));
    }
    return new MunicipalityOfferings(profile.identity().fullName(), offerings);
  }

  private List<Offering.HouseholdMember> householdChoices(Resident holder) {
    List<Offering.HouseholdMember> members = new ArrayList<>();
    members.add(new Offering.HouseholdMember(holder.handle(), holder.fullName(), true));
    for (Resident r : readUnchecked(() -> registry.householdMembers(holder.householdId()))) {
      if (r.id() != holder.id() && !r.status().removed()) {
        members.add(new Offering.HouseholdMember(r.handle(), r.fullName(), false));
      }
    }
    return members;
  }

  @Override
  public IssuedDocument issue(IssueCommand command) throws IssuanceRefusedException {
    MunicipalityProfile profile = profile(command.municipalityCode());
    CertificateRequest request = command.request();
    CertificateTerms terms = profile.terms(request.type())
        .filter(t -> Renderers.supports(t.type()))
        .orElseThrow(() -> new IssuanceRefusedException(RefusalReason.CERTIFICATE_TYPE_NOT_OFFERED, request.type().name()));
    if (!terms.options().containsAll(request.options())) {
      throw new IssuanceRefusedException(RefusalReason.OPTION_NOT_OFFERED, "option not offered");
    }
    if (request.copies() < 1 || request.copies() > terms.maxCopies()) {
      throw new IssuanceRefusedException(
          RefusalReason.COPIES_OUT_OF_RANGE, "copies: " + request.copies() + " (expected: 1.." + terms.maxCopies() + ")");
    }
    // Live read, and the card must still map to this very resident (a card reissued or revoked in
    // the meantime must not produce a document).
    Resident holder = read(() -> registry.residentByHandle(command.residentHandle()))
        .filter(r -> r.municipalityCode().equals(profile.code()))
        .orElseThrow(() -> new IssuanceRefusedException(RefusalReason.CARD_NOT_REGISTERED, "unknown resident handle"));
    CardRecord card = read(() -> registry.findCard(command.card().issuerKeyId(), command.card().serial()))
        .orElseThrow(() -> new IssuanceRefusedException(RefusalReason.CARD_NOT_REGISTERED, "card unknown"));
    if (card.residentId() != holder.id()) {
      throw new IssuanceRefusedException(RefusalReason.CARD_NOT_REGISTERED, "card does not map to the resident handle");
    }
    LocalDate today = JapanTime.date(command.at());
    RefusalReason refusal = IssuanceRules.refusal(holder, request.type(), today);
    if (refusal != null) {
      throw new IssuanceRefusedException(refusal, refusal.name());
    }
    DocumentMeta meta = new DocumentMeta(command.issuanceId(), JapanTime.at(command.at()), command.binding(), null);
    byte[] unsigned = residenceRenderer.render(residenceContent(profile, holder, request), meta);
    HeldCertificate signer = signers.signer(profile.code(), profile.identity().fullName());
    byte[] signed = padesSigner.sign(unsigned, signer);
    return new IssuedDocument(signed, PdfPages.count(signed), terms.feeYen(), null);
  }

  private ResidenceCertificate residenceContent(MunicipalityProfile profile, Resident holder, CertificateRequest request)
      throws IssuanceRefusedException {
    List<Resident> household = read(() -> registry.householdMembers(holder.householdId()));
    Household home = read(() -> registry.household(holder.householdId()))
        .orElseThrow(() -> new IllegalStateException("resident without household"));
    List<Resident> chosen = new ArrayList<>();
    switch (request.scope()) {
      case SELF -> chosen.add(holder);
      case WHOLE_HOUSEHOLD -> household.stream().filter(r -> !r.status().removed()).forEach(chosen::add);
      case SELECTED_MEMBERS -> {
        Set<String> wanted = new LinkedHashSet<>(request.memberHandles());
        if (wanted.isEmpty()) {
          throw new IssuanceRefusedException(RefusalReason.NOT_ISSUABLE, "no member chosen");
        }
        for (Resident r : household) {
          if (wanted.remove(r.handle()) && !r.status().removed()) {
            chosen.add(r);
          }
        }
        if (!wanted.isEmpty() || chosen.isEmpty()) {
          throw new IssuanceRefusedException(RefusalReason.NOT_ISSUABLE, "a chosen member is not in the household");
        }
      }
    }
    Resident head = household.stream().filter(Resident::isHeadOfHousehold).findFirst().orElse(holder);
    Set<CertificateOption> options = request.options().isEmpty() ? EnumSet.noneOf(CertificateOption.class) : EnumSet.copyOf(request.options());
    List<ResidenceCertificate.Person> persons = new ArrayList<>();
    for (Resident r : chosen) {
      persons.add(
          new ResidenceCertificate.Person(
              r.fullName(), r.fullNameKana(), r.birthDate(), r.sex(), r.relationship(), r.becameResidentOn(),
              r.addressSince(), r.previousAddress(), r.domicile(), r.domicileHead(), r.myNumber(), r.nationality(),
              r.residenceStatus(), r.residenceCardNumber()));
    }
    return new ResidenceCertificate(
        profile.identity(),
        profile.identity().fullName() + home.address(),
        head.fullName(),
        persons,
        options,
        request.type() == CertificateType.RESIDENCE_ITEMS);
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

  private static <T> T readUnchecked(Read<T> read) {
    return read(read);
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

  /** Which certificate types this adapter can render today. */
  static final class Renderers {
    private Renderers() {}

    static boolean supports(CertificateType type) {
      return type == CertificateType.RESIDENCE || type == CertificateType.RESIDENCE_ITEMS;
    }
  }
}
