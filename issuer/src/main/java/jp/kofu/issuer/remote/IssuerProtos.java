package jp.kofu.issuer.remote;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import jp.kofu.issuer.spi.CardIssueCommand;
import jp.kofu.issuer.spi.CardQuery;
import jp.kofu.issuer.spi.CardRef;
import jp.kofu.issuer.spi.CertificateOption;
import jp.kofu.issuer.spi.CertificateRequest;
import jp.kofu.issuer.spi.CertificateType;
import jp.kofu.issuer.spi.HouseholdScope;
import jp.kofu.issuer.spi.IssueCommand;
import jp.kofu.issuer.spi.IssuedDocument;
import jp.kofu.issuer.spi.MunicipalityOfferings;
import jp.kofu.issuer.spi.Offering;
import jp.kofu.issuer.spi.OfferingsQuery;
import jp.kofu.issuer.spi.RefusalReason;
import jp.kofu.issuer.spi.Relation;
import jp.kofu.issuer.spi.ResidentRef;
import jp.kofu.proto.issuer.v1.IssueDocumentRequest;
import jp.kofu.proto.issuer.v1.IssueDocumentResponse;
import jp.kofu.proto.issuer.v1.ListOfferingsRequest;
import jp.kofu.proto.issuer.v1.ListOfferingsResponse;
import jp.kofu.proto.issuer.v1.ResolveCardRequest;
import jp.kofu.proto.issuer.v1.ResolveCardResponse;
import jp.kofu.proto.type.v1.CredentialKind;
import jp.kofu.proto.type.v1.HouseholdMember;
import jp.kofu.proto.type.v1.MunicipalityRelation;
import jp.kofu.proto.type.v1.Reason;

/**
 * The one mapping between SPI values and the contract's messages and enums (kofu.issuer.v1 for the
 * remote adapter and the issuer server, kofu.type.v1 for what the kiosk service sends copiers), in
 * one style: an exhaustive switch per enum and direction. Decoding checks what the SPI's constructors check and throws
 * {@link IllegalArgumentException} naming the field (never its value) on a malformed message.
 */
public final class IssuerProtos {
  private IssuerProtos() {}

  // ---- requests (gateway → server)

  public static ResolveCardRequest encode(CardQuery q) {
    return ResolveCardRequest.newBuilder()
        .setMunicipalityCode(q.municipalityCode())
        .setCard(card(q.card()))
        .setRelation(toProto(q.relation()))
        .setAsOfTime(timestamp(q.at()))
        .build();
  }

  public static CardQuery decode(ResolveCardRequest r) {
    return new CardQuery(r.getMunicipalityCode(), card(r.getCard()), relationOf(r.getRelation()), instant(r.getAsOfTime(), "as_of_time"));
  }

  public static ListOfferingsRequest encode(OfferingsQuery q) {
    return ListOfferingsRequest.newBuilder()
        .setMunicipalityCode(q.municipalityCode())
        .setResidentHandle(q.residentHandle())
        .setRelation(toProto(q.relation()))
        .setAsOfTime(timestamp(q.at()))
        .build();
  }

  public static OfferingsQuery decode(ListOfferingsRequest r) {
    return new OfferingsQuery(
        r.getMunicipalityCode(), required(r.getResidentHandle(), "resident_handle"), relationOf(r.getRelation()), instant(r.getAsOfTime(), "as_of_time"));
  }

  public static IssueDocumentRequest encode(IssueCommand c) {
    return issueRequest(c.forCard()).setResidentHandle(c.residentHandle()).build();
  }

  /** SPI 1.1: no resident handle, the server resolves the card (servers of SPI 1.1 and later). */
  public static IssueDocumentRequest encode(CardIssueCommand c) {
    return issueRequest(c).build();
  }

  private static IssueDocumentRequest.Builder issueRequest(CardIssueCommand c) {
    IssueDocumentRequest.Builder b =
        IssueDocumentRequest.newBuilder()
            .setMunicipalityCode(c.municipalityCode())
            .setCard(card(c.card()))
            .setRelation(toProto(c.relation()))
            .setCertificate(certificate(c.request()))
            .setIssuanceId(c.issuanceId())
            .setBinding(ByteString.copyFrom(c.binding()))
            .setAsOfTime(timestamp(c.at()));
    if (c.verificationCode() != null) {
      b.setVerificationCode(c.verificationCode());
    }
    return b;
  }

  /** Whether a request names no resident: the SPI 1.1 form, {@link #decodeForCard}. */
  public static boolean forCard(IssueDocumentRequest r) {
    return r.getResidentHandle().isEmpty();
  }

  public static IssueCommand decode(IssueDocumentRequest r) {
    return decodeForCard(r).forResident(required(r.getResidentHandle(), "resident_handle"));
  }

  public static CardIssueCommand decodeForCard(IssueDocumentRequest r) {
    if (r.getBinding().size() != 32) {
      throw new IllegalArgumentException("binding: " + r.getBinding().size() + " bytes (expected: 32)");
    }
    return new CardIssueCommand(
        r.getMunicipalityCode(),
        card(r.getCard()),
        relationOf(r.getRelation()),
        certificate(r.getCertificate()),
        required(r.getIssuanceId(), "issuance_id"),
        r.getBinding().toByteArray(),
        instant(r.getAsOfTime(), "as_of_time"),
        r.getVerificationCode().isEmpty() ? null : r.getVerificationCode());
  }

  // ---- responses (server → gateway)

  public static ResolveCardResponse encode(ResidentRef ref) {
    ResolveCardResponse.Builder b = ResolveCardResponse.newBuilder().setResidentHandle(ref.residentHandle());
    if (ref.familyRegisterMunicipalityCode() != null) {
      b.setFamilyRegisterMunicipalityCode(ref.familyRegisterMunicipalityCode());
    }
    return b.build();
  }

  public static ResidentRef decode(ResolveCardResponse r) {
    String domicile = r.getFamilyRegisterMunicipalityCode();
    return new ResidentRef(required(r.getResidentHandle(), "resident_handle"), domicile.isEmpty() ? null : domicile);
  }

  public static ListOfferingsResponse encode(MunicipalityOfferings o) {
    ListOfferingsResponse.Builder b = ListOfferingsResponse.newBuilder().setMunicipalityName(o.municipalityName());
    for (Offering offering : o.offerings()) {
      b.addOfferings(offering(offering));
    }
    return b.build();
  }

  public static MunicipalityOfferings decode(ListOfferingsResponse r) {
    List<Offering> offerings = new ArrayList<>();
    for (jp.kofu.proto.type.v1.Offering o : r.getOfferingsList()) {
      offerings.add(offering(o));
    }
    return new MunicipalityOfferings(r.getMunicipalityName(), offerings);
  }

  public static IssueDocumentResponse encode(IssuedDocument d) {
    IssueDocumentResponse.Builder b =
        IssueDocumentResponse.newBuilder()
            // Wrapped, not copied (SPI 1.2): the message only reads the document's bytes.
            .setPdf(com.google.protobuf.UnsafeByteOperations.unsafeWrap(d.sharedPdf()))
            .setPageCount(d.pageCount())
            .setFeePerCopyYen(d.feePerCopyYen());
    if (d.verificationCode() != null) {
      b.setVerificationCode(d.verificationCode());
    }
    return b.build();
  }

  public static IssuedDocument decode(IssueDocumentResponse r) {
    // toByteArray is a copy of the message's bytes, made for this document: handed over as it is.
    return IssuedDocument.handOver(
        r.getPdf().toByteArray(), r.getPageCount(), r.getFeePerCopyYen(), r.getVerificationCode().isEmpty() ? null : r.getVerificationCode());
  }

  // ---- values

  static jp.kofu.proto.issuer.v1.CardRef card(CardRef c) {
    return jp.kofu.proto.issuer.v1.CardRef.newBuilder()
        .setSerial(c.serial())
        .setIssuerKeyId(c.issuerKeyId())
        .setCredentialKind(toProto(c.kind()))
        .build();
  }

  static CardRef card(jp.kofu.proto.issuer.v1.CardRef c) {
    CardRef.CredentialKind kind = credentialKind(c.getCredentialKind());
    if (kind == null) {
      throw new IllegalArgumentException("card.credential_kind: invalid (expected: CREDENTIAL_KIND_CARD or CREDENTIAL_KIND_SMARTPHONE)");
    }
    return new CardRef(required(c.getSerial(), "card.serial"), required(c.getIssuerKeyId(), "card.issuer_key_id"), kind);
  }

  static Relation relationOf(MunicipalityRelation r) {
    Relation relation = relation(r);
    if (relation == null) {
      throw new IllegalArgumentException("relation: unspecified (expected: MUNICIPALITY_RELATION_ADDRESS or MUNICIPALITY_RELATION_FAMILY_REGISTER)");
    }
    return relation;
  }

  public static jp.kofu.proto.type.v1.CertificateRequest certificate(CertificateRequest r) {
    jp.kofu.proto.type.v1.CertificateRequest.Builder b =
        jp.kofu.proto.type.v1.CertificateRequest.newBuilder()
            .setType(toProto(r.type()))
            .setScope(toProto(r.scope()))
            .addAllMemberHandles(r.memberHandles())
            .setCopies(r.copies())
            .setFiscalYear(r.fiscalYear());
    r.options().stream().sorted().forEach(o -> b.addOptions(toProto(o)));
    return b.build();
  }

  static CertificateRequest certificate(jp.kofu.proto.type.v1.CertificateRequest r) {
    CertificateType type = certificateType(r.getType());
    if (type == null) {
      throw new IllegalArgumentException("certificate.type: unspecified (expected: a CertificateType)");
    }
    Set<CertificateOption> options = EnumSet.noneOf(CertificateOption.class);
    for (jp.kofu.proto.type.v1.CertificateOption o : r.getOptionsList()) {
      CertificateOption option = certificateOption(o);
      if (option == null) {
        throw new IllegalArgumentException("certificate.options: unspecified (expected: a CertificateOption)");
      }
      options.add(option);
    }
    HouseholdScope scope = householdScope(r.getScope());
    if (scope == null) {
      throw new IllegalArgumentException("certificate.scope: invalid (expected: a CertificateRequest.HouseholdScope)");
    }
    return new CertificateRequest(type, options, scope, r.getMemberHandlesList(), r.getCopies(), r.getFiscalYear());
  }

  /** An offering as the contract carries it: only the reason a copier may see crosses. */
  public static jp.kofu.proto.type.v1.Offering offering(Offering offering) {
    jp.kofu.proto.type.v1.Offering.Builder ob =
        jp.kofu.proto.type.v1.Offering.newBuilder()
            .setType(toProto(offering.type()))
            .setFeeYen(offering.feeYen())
            .setMaxCopies(offering.maxCopies())
            .setAvailable(offering.available());
    offering.options().stream().sorted().forEach(opt -> ob.addOptions(toProto(opt)));
    if (!offering.available()) {
      ob.setUnavailableReason(reasonForCopier(offering.unavailableReason()));
    }
    if (offering.nextOpen() != null) {
      ob.setNextOpenTime(timestamp(offering.nextOpen()));
    }
    for (Offering.HouseholdMember m : offering.householdMembers()) {
      ob.addHouseholdMembers(
          HouseholdMember.newBuilder().setMemberHandle(m.memberHandle()).setDisplayName(m.displayName()).setCardHolder(m.cardHolder()));
    }
    return ob.build();
  }

  static Offering offering(jp.kofu.proto.type.v1.Offering o) {
    Set<CertificateOption> options = EnumSet.noneOf(CertificateOption.class);
    for (jp.kofu.proto.type.v1.CertificateOption opt : o.getOptionsList()) {
      CertificateOption option = certificateOption(opt);
      if (option == null) {
        throw new IllegalArgumentException("offerings.options: unspecified (expected: a CertificateOption)");
      }
      options.add(option);
    }
    List<Offering.HouseholdMember> members = new ArrayList<>();
    for (HouseholdMember m : o.getHouseholdMembersList()) {
      members.add(new Offering.HouseholdMember(m.getMemberHandle(), m.getDisplayName(), m.getCardHolder()));
    }
    RefusalReason unavailable = null;
    if (!o.getAvailable()) {
      unavailable = refusal(o.getUnavailableReason());
      // A reason this gateway does not know (a newer server): what a copier may always be shown.
      unavailable = unavailable == null ? RefusalReason.NOT_ISSUABLE : unavailable;
    }
    CertificateType type = certificateType(o.getType());
    if (type == null) {
      throw new IllegalArgumentException("offerings.type: unspecified (expected: a CertificateType)");
    }
    Instant nextOpen = o.hasNextOpenTime() ? Instant.ofEpochSecond(o.getNextOpenTime().getSeconds(), o.getNextOpenTime().getNanos()) : null;
    return new Offering(type, options, o.getFeeYen(), o.getMaxCopies(), unavailable, members, nextOpen);
  }

  // ---- enums: one exhaustive switch each way, no default. A value added to the SPI or to the
  // contract fails to compile here until it is mapped (IssuerProtosTest walks every value both
  // ways). Contract → SPI answers null for the zero value and UNRECOGNIZED: the caller names the
  // field in its own error (IllegalArgumentException here, FIELD_INVALID at the kiosk).

  public static jp.kofu.proto.type.v1.CertificateType toProto(CertificateType t) {
    return switch (t) {
      case RESIDENCE -> jp.kofu.proto.type.v1.CertificateType.CERTIFICATE_TYPE_RESIDENCE;
      case RESIDENCE_ITEMS -> jp.kofu.proto.type.v1.CertificateType.CERTIFICATE_TYPE_RESIDENCE_ITEMS;
      case SEAL_REGISTRATION -> jp.kofu.proto.type.v1.CertificateType.CERTIFICATE_TYPE_SEAL_REGISTRATION;
      case FAMILY_REGISTER_FULL -> jp.kofu.proto.type.v1.CertificateType.CERTIFICATE_TYPE_FAMILY_REGISTER_FULL;
      case FAMILY_REGISTER_INDIVIDUAL -> jp.kofu.proto.type.v1.CertificateType.CERTIFICATE_TYPE_FAMILY_REGISTER_INDIVIDUAL;
      case FAMILY_REGISTER_ANNEX -> jp.kofu.proto.type.v1.CertificateType.CERTIFICATE_TYPE_FAMILY_REGISTER_ANNEX;
      case INCOME_TAX -> jp.kofu.proto.type.v1.CertificateType.CERTIFICATE_TYPE_INCOME_TAX;
    };
  }

  public static CertificateType certificateType(jp.kofu.proto.type.v1.CertificateType t) {
    return switch (t) {
      case CERTIFICATE_TYPE_RESIDENCE -> CertificateType.RESIDENCE;
      case CERTIFICATE_TYPE_RESIDENCE_ITEMS -> CertificateType.RESIDENCE_ITEMS;
      case CERTIFICATE_TYPE_SEAL_REGISTRATION -> CertificateType.SEAL_REGISTRATION;
      case CERTIFICATE_TYPE_FAMILY_REGISTER_FULL -> CertificateType.FAMILY_REGISTER_FULL;
      case CERTIFICATE_TYPE_FAMILY_REGISTER_INDIVIDUAL -> CertificateType.FAMILY_REGISTER_INDIVIDUAL;
      case CERTIFICATE_TYPE_FAMILY_REGISTER_ANNEX -> CertificateType.FAMILY_REGISTER_ANNEX;
      case CERTIFICATE_TYPE_INCOME_TAX -> CertificateType.INCOME_TAX;
      case CERTIFICATE_TYPE_UNSPECIFIED, UNRECOGNIZED -> null;
    };
  }

  public static jp.kofu.proto.type.v1.CertificateOption toProto(CertificateOption o) {
    return switch (o) {
      case HEAD_OF_HOUSEHOLD -> jp.kofu.proto.type.v1.CertificateOption.CERTIFICATE_OPTION_HEAD_OF_HOUSEHOLD;
      case DOMICILE -> jp.kofu.proto.type.v1.CertificateOption.CERTIFICATE_OPTION_DOMICILE;
      case MY_NUMBER -> jp.kofu.proto.type.v1.CertificateOption.CERTIFICATE_OPTION_MY_NUMBER;
      case NATIONALITY -> jp.kofu.proto.type.v1.CertificateOption.CERTIFICATE_OPTION_NATIONALITY;
      case RESIDENCE_STATUS -> jp.kofu.proto.type.v1.CertificateOption.CERTIFICATE_OPTION_RESIDENCE_STATUS;
      case RESIDENCE_CARD_NUMBER -> jp.kofu.proto.type.v1.CertificateOption.CERTIFICATE_OPTION_RESIDENCE_CARD_NUMBER;
    };
  }

  public static CertificateOption certificateOption(jp.kofu.proto.type.v1.CertificateOption o) {
    return switch (o) {
      case CERTIFICATE_OPTION_HEAD_OF_HOUSEHOLD -> CertificateOption.HEAD_OF_HOUSEHOLD;
      case CERTIFICATE_OPTION_DOMICILE -> CertificateOption.DOMICILE;
      case CERTIFICATE_OPTION_MY_NUMBER -> CertificateOption.MY_NUMBER;
      case CERTIFICATE_OPTION_NATIONALITY -> CertificateOption.NATIONALITY;
      case CERTIFICATE_OPTION_RESIDENCE_STATUS -> CertificateOption.RESIDENCE_STATUS;
      case CERTIFICATE_OPTION_RESIDENCE_CARD_NUMBER -> CertificateOption.RESIDENCE_CARD_NUMBER;
      case CERTIFICATE_OPTION_UNSPECIFIED, UNRECOGNIZED -> null;
    };
  }

  public static jp.kofu.proto.type.v1.CertificateRequest.HouseholdScope toProto(HouseholdScope s) {
    return switch (s) {
      case SELF -> jp.kofu.proto.type.v1.CertificateRequest.HouseholdScope.HOUSEHOLD_SCOPE_SELF;
      case WHOLE_HOUSEHOLD -> jp.kofu.proto.type.v1.CertificateRequest.HouseholdScope.HOUSEHOLD_SCOPE_WHOLE_HOUSEHOLD;
      case SELECTED_MEMBERS -> jp.kofu.proto.type.v1.CertificateRequest.HouseholdScope.HOUSEHOLD_SCOPE_SELECTED_MEMBERS;
    };
  }

  /** The zero value is SELF, as the contract says (a scope left out is the card holder only). */
  public static HouseholdScope householdScope(jp.kofu.proto.type.v1.CertificateRequest.HouseholdScope s) {
    return switch (s) {
      case HOUSEHOLD_SCOPE_UNSPECIFIED, HOUSEHOLD_SCOPE_SELF -> HouseholdScope.SELF;
      case HOUSEHOLD_SCOPE_WHOLE_HOUSEHOLD -> HouseholdScope.WHOLE_HOUSEHOLD;
      case HOUSEHOLD_SCOPE_SELECTED_MEMBERS -> HouseholdScope.SELECTED_MEMBERS;
      case UNRECOGNIZED -> null;
    };
  }

  public static MunicipalityRelation toProto(Relation r) {
    return switch (r) {
      case ADDRESS -> MunicipalityRelation.MUNICIPALITY_RELATION_ADDRESS;
      case FAMILY_REGISTER -> MunicipalityRelation.MUNICIPALITY_RELATION_FAMILY_REGISTER;
    };
  }

  public static Relation relation(MunicipalityRelation r) {
    return switch (r) {
      case MUNICIPALITY_RELATION_ADDRESS -> Relation.ADDRESS;
      case MUNICIPALITY_RELATION_FAMILY_REGISTER -> Relation.FAMILY_REGISTER;
      case MUNICIPALITY_RELATION_UNSPECIFIED, UNRECOGNIZED -> null;
    };
  }

  public static CredentialKind toProto(CardRef.CredentialKind k) {
    return switch (k) {
      case CARD -> CredentialKind.CREDENTIAL_KIND_CARD;
      case SMARTPHONE -> CredentialKind.CREDENTIAL_KIND_SMARTPHONE;
    };
  }

  public static CardRef.CredentialKind credentialKind(CredentialKind k) {
    return switch (k) {
      case CREDENTIAL_KIND_CARD -> CardRef.CredentialKind.CARD;
      case CREDENTIAL_KIND_SMARTPHONE -> CardRef.CredentialKind.SMARTPHONE;
      case CREDENTIAL_KIND_UNSPECIFIED, UNRECOGNIZED -> null;
    };
  }

  /**
   * The reason a copier is told for a refusal: its own name, except the confidential {@link
   * RefusalReason#SUPPORT_MEASURE}, which is NOT_ISSUABLE (as {@link RefusalReason#shownToCopier()}
   * says).
   */
  public static Reason reasonForCopier(RefusalReason r) {
    return switch (r) {
      case CARD_NOT_REGISTERED -> Reason.CARD_NOT_REGISTERED;
      case DOMICILE_NOT_REGISTERED -> Reason.DOMICILE_NOT_REGISTERED;
      case NOT_ISSUABLE -> Reason.NOT_ISSUABLE;
      case OUT_OF_SERVICE_HOURS -> Reason.OUT_OF_SERVICE_HOURS;
      case CERTIFICATE_TYPE_NOT_OFFERED -> Reason.CERTIFICATE_TYPE_NOT_OFFERED;
      case OPTION_NOT_OFFERED -> Reason.OPTION_NOT_OFFERED;
      case COPIES_OUT_OF_RANGE -> Reason.COPIES_OUT_OF_RANGE;
      case UNDER_AGE -> Reason.UNDER_AGE;
      case MOVED_OUT -> Reason.MOVED_OUT;
      case DECEASED -> Reason.DECEASED;
      case NO_SEAL_REGISTRATION -> Reason.NO_SEAL_REGISTRATION;
      case MOVED_IN_TODAY -> Reason.MOVED_IN_TODAY;
      case GAIJI_PENDING -> Reason.GAIJI_PENDING;
      case FAMILY_REGISTER_NOTICE_PENDING -> Reason.FAMILY_REGISTER_NOTICE_PENDING;
      case NO_TAX_FILING -> Reason.NO_TAX_FILING;
      case DATA_TOO_LONG -> Reason.DATA_TOO_LONG;
      case FISCAL_YEAR_NOT_OFFERED -> Reason.FISCAL_YEAR_NOT_OFFERED;
      case SUPPORT_MEASURE -> Reason.NOT_ISSUABLE;
    };
  }

  /** The refusal a contract reason stands for; null for the reasons that are not a municipality's refusal. */
  public static RefusalReason refusal(Reason r) {
    return switch (r) {
      case CARD_NOT_REGISTERED -> RefusalReason.CARD_NOT_REGISTERED;
      case DOMICILE_NOT_REGISTERED -> RefusalReason.DOMICILE_NOT_REGISTERED;
      case NOT_ISSUABLE -> RefusalReason.NOT_ISSUABLE;
      case OUT_OF_SERVICE_HOURS -> RefusalReason.OUT_OF_SERVICE_HOURS;
      case CERTIFICATE_TYPE_NOT_OFFERED -> RefusalReason.CERTIFICATE_TYPE_NOT_OFFERED;
      case OPTION_NOT_OFFERED -> RefusalReason.OPTION_NOT_OFFERED;
      case COPIES_OUT_OF_RANGE -> RefusalReason.COPIES_OUT_OF_RANGE;
      case UNDER_AGE -> RefusalReason.UNDER_AGE;
      case MOVED_OUT -> RefusalReason.MOVED_OUT;
      case DECEASED -> RefusalReason.DECEASED;
      case NO_SEAL_REGISTRATION -> RefusalReason.NO_SEAL_REGISTRATION;
      case MOVED_IN_TODAY -> RefusalReason.MOVED_IN_TODAY;
      case GAIJI_PENDING -> RefusalReason.GAIJI_PENDING;
      case FAMILY_REGISTER_NOTICE_PENDING -> RefusalReason.FAMILY_REGISTER_NOTICE_PENDING;
      case NO_TAX_FILING -> RefusalReason.NO_TAX_FILING;
      case DATA_TOO_LONG -> RefusalReason.DATA_TOO_LONG;
      case FISCAL_YEAR_NOT_OFFERED -> RefusalReason.FISCAL_YEAR_NOT_OFFERED;
      case REASON_UNSPECIFIED, FIELD_INVALID, MUNICIPALITY_CODE_INVALID, CARD_CERTIFICATE_MALFORMED,
          SIGNATURE_MALFORMED, CHALLENGE_INVALID, CHALLENGE_EXPIRED, CHALLENGE_REUSED,
          SIGNATURE_INVALID, CARD_UNTRUSTED, CARD_EXPIRED, CARD_USAGE_INVALID, SESSION_INVALID,
          SESSION_EXPIRED, SESSION_CLOSED, TERMINAL_UNTRUSTED, CARD_REVOKED, CARD_LOCKED_OUT,
          TERMINAL_REVOKED, RATE_LIMITED, MUNICIPALITY_BUSY, GATEWAY_BUSY, MUNICIPALITY_NOT_SERVED,
          MUNICIPALITY_UNAVAILABLE, MUNICIPALITY_TIMEOUT, REVOCATION_UNAVAILABLE, JOURNAL_UNAVAILABLE,
          ORDER_CONFLICT, ISSUANCE_NOT_FOUND, ISSUANCE_ALREADY_FINAL, ORDER_IN_PROGRESS,
          DOCUMENT_BINDING_MISMATCH, VERIFICATION_CODE_UNKNOWN, MESSAGE_MALFORMED, FIELD_UNKNOWN,
          CARD_EXTENSION_UNSUPPORTED, CREDENTIAL_KIND_MISMATCH, CARD_NOT_YET_VALID, UNRECOGNIZED -> null;
    };
  }

  public static Timestamp timestamp(Instant i) {
    return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).setNanos(i.getNano()).build();
  }

  static Instant instant(Timestamp t, String field) {
    if (t.getSeconds() == 0 && t.getNanos() == 0) {
      throw new IllegalArgumentException(field + ": missing (expected: a timestamp)");
    }
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }

  private static String required(String value, String field) {
    if (value.isEmpty()) {
      throw new IllegalArgumentException(field + ": missing");
    }
    return value;
  }
}
