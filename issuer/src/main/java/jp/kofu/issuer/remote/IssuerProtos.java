package jp.kofu.issuer.remote;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
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
import jp.kofu.proto.ProtoEnums;
import jp.kofu.proto.issuer.v1.IssueDocumentRequest;
import jp.kofu.proto.issuer.v1.IssueDocumentResponse;
import jp.kofu.proto.issuer.v1.ListOfferingsRequest;
import jp.kofu.proto.issuer.v1.ListOfferingsResponse;
import jp.kofu.proto.issuer.v1.ResolveCardRequest;
import jp.kofu.proto.issuer.v1.ResolveCardResponse;
import jp.kofu.proto.type.v1.HouseholdMember;
import jp.kofu.proto.type.v1.MunicipalityRelation;

/**
 * SPI values ↔ kofu.issuer.v1 messages. Decoding checks what the SPI's constructors check and throws
 * {@link IllegalArgumentException} naming the field (never its value) on a malformed message.
 */
public final class IssuerProtos {
  private IssuerProtos() {}

  // ---- requests (gateway → server)

  public static ResolveCardRequest encode(CardQuery q) {
    return ResolveCardRequest.newBuilder()
        .setMunicipalityCode(q.municipalityCode())
        .setCard(card(q.card()))
        .setRelation(relation(q.relation()))
        .setAsOfTime(timestamp(q.at()))
        .build();
  }

  public static CardQuery decode(ResolveCardRequest r) {
    return new CardQuery(r.getMunicipalityCode(), card(r.getCard()), relation(r.getRelation()), instant(r.getAsOfTime(), "as_of_time"));
  }

  public static ListOfferingsRequest encode(OfferingsQuery q) {
    return ListOfferingsRequest.newBuilder()
        .setMunicipalityCode(q.municipalityCode())
        .setResidentHandle(q.residentHandle())
        .setRelation(relation(q.relation()))
        .setAsOfTime(timestamp(q.at()))
        .build();
  }

  public static OfferingsQuery decode(ListOfferingsRequest r) {
    return new OfferingsQuery(
        r.getMunicipalityCode(), required(r.getResidentHandle(), "resident_handle"), relation(r.getRelation()), instant(r.getAsOfTime(), "as_of_time"));
  }

  public static IssueDocumentRequest encode(IssueCommand c) {
    return IssueDocumentRequest.newBuilder()
        .setMunicipalityCode(c.municipalityCode())
        .setResidentHandle(c.residentHandle())
        .setCard(card(c.card()))
        .setRelation(relation(c.relation()))
        .setCertificate(certificate(c.request()))
        .setIssuanceId(c.issuanceId())
        .setBinding(ByteString.copyFrom(c.binding()))
        .setAsOfTime(timestamp(c.at()))
        .build();
  }

  public static IssueCommand decode(IssueDocumentRequest r) {
    if (r.getBinding().size() != 32) {
      throw new IllegalArgumentException("binding: " + r.getBinding().size() + " bytes (expected: 32)");
    }
    return new IssueCommand(
        r.getMunicipalityCode(),
        required(r.getResidentHandle(), "resident_handle"),
        card(r.getCard()),
        relation(r.getRelation()),
        certificate(r.getCertificate()),
        required(r.getIssuanceId(), "issuance_id"),
        r.getBinding().toByteArray(),
        instant(r.getAsOfTime(), "as_of_time"));
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
      jp.kofu.proto.type.v1.Offering.Builder ob =
          jp.kofu.proto.type.v1.Offering.newBuilder()
              .setType(type(offering.type()))
              .setFeeYen(offering.feeYen())
              .setMaxCopies(offering.maxCopies())
              .setAvailable(offering.available());
      offering.options().stream().sorted().forEach(opt -> ob.addOptions(option(opt)));
      if (!offering.available()) {
        // Only what a copier may see crosses the network.
        ob.setUnavailableReason(jp.kofu.proto.type.v1.Reason.valueOf(offering.unavailableReason().shownToCopier().name()));
      }
      if (offering.nextOpen() != null) {
        ob.setNextOpenTime(
            com.google.protobuf.Timestamp.newBuilder().setSeconds(offering.nextOpen().getEpochSecond()).setNanos(offering.nextOpen().getNano()));
      }
      for (Offering.HouseholdMember m : offering.householdMembers()) {
        ob.addHouseholdMembers(
            HouseholdMember.newBuilder().setMemberHandle(m.memberHandle()).setDisplayName(m.displayName()).setCardHolder(m.cardHolder()));
      }
      b.addOfferings(ob);
    }
    return b.build();
  }

  public static MunicipalityOfferings decode(ListOfferingsResponse r) {
    List<Offering> offerings = new ArrayList<>();
    for (jp.kofu.proto.type.v1.Offering o : r.getOfferingsList()) {
      Set<CertificateOption> options = EnumSet.noneOf(CertificateOption.class);
      for (jp.kofu.proto.type.v1.CertificateOption opt : o.getOptionsList()) {
        options.add(option(opt));
      }
      List<Offering.HouseholdMember> members = new ArrayList<>();
      for (HouseholdMember m : o.getHouseholdMembersList()) {
        members.add(new Offering.HouseholdMember(m.getMemberHandle(), m.getDisplayName(), m.getCardHolder()));
      }
      RefusalReason unavailable = o.getAvailable() ? null : refusal(o.getUnavailableReason());
      java.time.Instant nextOpen =
          o.hasNextOpenTime() ? java.time.Instant.ofEpochSecond(o.getNextOpenTime().getSeconds(), o.getNextOpenTime().getNanos()) : null;
      offerings.add(new Offering(type(o.getType()), options, o.getFeeYen(), o.getMaxCopies(), unavailable, members, nextOpen));
    }
    return new MunicipalityOfferings(r.getMunicipalityName(), offerings);
  }

  public static IssueDocumentResponse encode(IssuedDocument d) {
    IssueDocumentResponse.Builder b =
        IssueDocumentResponse.newBuilder()
            .setPdf(ByteString.copyFrom(d.pdf()))
            .setPageCount(d.pageCount())
            .setFeePerCopyYen(d.feePerCopyYen());
    if (d.verificationCode() != null) {
      b.setVerificationCode(d.verificationCode());
    }
    return b.build();
  }

  public static IssuedDocument decode(IssueDocumentResponse r) {
    return new IssuedDocument(
        r.getPdf().toByteArray(), r.getPageCount(), r.getFeePerCopyYen(), r.getVerificationCode().isEmpty() ? null : r.getVerificationCode());
  }

  // ---- values

  static jp.kofu.proto.issuer.v1.CardRef card(CardRef c) {
    return jp.kofu.proto.issuer.v1.CardRef.newBuilder()
        .setSerial(c.serial())
        .setIssuerKeyId(c.issuerKeyId())
        .setCredentialKind(ProtoEnums.toProto(jp.kofu.proto.type.v1.CredentialKind.class, c.kind()))
        .build();
  }

  static CardRef card(jp.kofu.proto.issuer.v1.CardRef c) {
    CardRef.CredentialKind kind =
        switch (c.getCredentialKind()) {
          case CREDENTIAL_KIND_CARD -> CardRef.CredentialKind.CARD;
          case CREDENTIAL_KIND_SMARTPHONE -> CardRef.CredentialKind.SMARTPHONE;
          default -> throw new IllegalArgumentException("card.credential_kind: invalid (expected: CREDENTIAL_KIND_CARD or CREDENTIAL_KIND_SMARTPHONE)");
        };
    return new CardRef(required(c.getSerial(), "card.serial"), required(c.getIssuerKeyId(), "card.issuer_key_id"), kind);
  }

  static MunicipalityRelation relation(Relation r) {
    return r == Relation.ADDRESS ? MunicipalityRelation.MUNICIPALITY_RELATION_ADDRESS : MunicipalityRelation.MUNICIPALITY_RELATION_FAMILY_REGISTER;
  }

  static Relation relation(MunicipalityRelation r) {
    return switch (r) {
      case MUNICIPALITY_RELATION_ADDRESS -> Relation.ADDRESS;
      case MUNICIPALITY_RELATION_FAMILY_REGISTER -> Relation.FAMILY_REGISTER;
      default -> throw new IllegalArgumentException("relation: unspecified (expected: MUNICIPALITY_RELATION_ADDRESS or MUNICIPALITY_RELATION_FAMILY_REGISTER)");
    };
  }

  static jp.kofu.proto.type.v1.CertificateRequest certificate(CertificateRequest r) {
    jp.kofu.proto.type.v1.CertificateRequest.Builder b =
        jp.kofu.proto.type.v1.CertificateRequest.newBuilder()
            .setType(type(r.type()))
            .setScope(ProtoEnums.toProto(jp.kofu.proto.type.v1.CertificateRequest.HouseholdScope.class, r.scope()))
            .addAllMemberHandles(r.memberHandles())
            .setCopies(r.copies())
            .setFiscalYear(r.fiscalYear());
    r.options().stream().sorted().forEach(o -> b.addOptions(option(o)));
    return b.build();
  }

  static CertificateRequest certificate(jp.kofu.proto.type.v1.CertificateRequest r) {
    Set<CertificateOption> options = EnumSet.noneOf(CertificateOption.class);
    for (jp.kofu.proto.type.v1.CertificateOption o : r.getOptionsList()) {
      options.add(option(o));
    }
    HouseholdScope scope =
        switch (r.getScope()) {
          case HOUSEHOLD_SCOPE_UNSPECIFIED, HOUSEHOLD_SCOPE_SELF -> HouseholdScope.SELF;
          case HOUSEHOLD_SCOPE_WHOLE_HOUSEHOLD -> HouseholdScope.WHOLE_HOUSEHOLD;
          case HOUSEHOLD_SCOPE_SELECTED_MEMBERS -> HouseholdScope.SELECTED_MEMBERS;
          default -> throw new IllegalArgumentException("certificate.scope: invalid (expected: a CertificateRequest.HouseholdScope)");
        };
    return new CertificateRequest(type(r.getType()), options, scope, r.getMemberHandlesList(), r.getCopies(), r.getFiscalYear());
  }

  static jp.kofu.proto.type.v1.CertificateType type(CertificateType t) {
    return ProtoEnums.toProto(jp.kofu.proto.type.v1.CertificateType.class, t);
  }

  static CertificateType type(jp.kofu.proto.type.v1.CertificateType t) {
    if (t == jp.kofu.proto.type.v1.CertificateType.CERTIFICATE_TYPE_UNSPECIFIED || t == jp.kofu.proto.type.v1.CertificateType.UNRECOGNIZED) {
      throw new IllegalArgumentException("certificate.type: unspecified (expected: a CertificateType)");
    }
    return ProtoEnums.toDomain(CertificateType.class, t);
  }

  static jp.kofu.proto.type.v1.CertificateOption option(CertificateOption o) {
    return ProtoEnums.toProto(jp.kofu.proto.type.v1.CertificateOption.class, o);
  }

  static CertificateOption option(jp.kofu.proto.type.v1.CertificateOption o) {
    if (o == jp.kofu.proto.type.v1.CertificateOption.CERTIFICATE_OPTION_UNSPECIFIED || o == jp.kofu.proto.type.v1.CertificateOption.UNRECOGNIZED) {
      throw new IllegalArgumentException("certificate.options: unspecified (expected: a CertificateOption)");
    }
    return ProtoEnums.toDomain(CertificateOption.class, o);
  }

  static RefusalReason refusal(jp.kofu.proto.type.v1.Reason reason) {
    String name = reason == jp.kofu.proto.type.v1.Reason.UNRECOGNIZED ? "" : reason.name();
    for (RefusalReason r : RefusalReason.values()) {
      if (r.name().equals(name)) {
        return r;
      }
    }
    // A reason this gateway does not know (a newer server): what a copier may always be shown.
    return RefusalReason.NOT_ISSUABLE;
  }

  static Timestamp timestamp(Instant i) {
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
