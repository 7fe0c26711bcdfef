package jp.kofu.gateway.kiosk;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import java.time.Instant;
import jp.kofu.gateway.issuance.OfferedMunicipality;
import jp.kofu.gateway.journal.Issuance;
import jp.kofu.issuer.spi.CertificateOption;
import jp.kofu.issuer.spi.CertificateType;
import jp.kofu.issuer.spi.Offering;
import jp.kofu.issuer.spi.Relation;
import jp.kofu.proto.ProtoEnums;
import jp.kofu.proto.kiosk.v1.IssueHeader;
import jp.kofu.proto.kiosk.v1.MunicipalityOfferings;
import jp.kofu.proto.type.v1.HouseholdMember;
import jp.kofu.proto.type.v1.MunicipalityRelation;

/** Domain → contract. */
final class ProtoMapping {
  private ProtoMapping() {}

  static Timestamp timestamp(Instant i) {
    return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).setNanos(i.getNano()).build();
  }

  static jp.kofu.proto.type.v1.CertificateType type(CertificateType t) {
    return ProtoEnums.toProto(jp.kofu.proto.type.v1.CertificateType.class, t);
  }

  static MunicipalityOfferings municipality(OfferedMunicipality m) {
    MunicipalityOfferings.Builder b =
        MunicipalityOfferings.newBuilder()
            .setMunicipalityCode(m.code())
            .setMunicipalityName(m.name())
            .setRelation(m.relation() == Relation.ADDRESS ? MunicipalityRelation.MUNICIPALITY_RELATION_ADDRESS : MunicipalityRelation.MUNICIPALITY_RELATION_FAMILY_REGISTER);
    if (m.unavailable() != null) {
      b.setUnavailableReason(m.unavailable());
    }
    for (Offering o : m.offerings()) {
      jp.kofu.proto.type.v1.Offering.Builder ob =
          jp.kofu.proto.type.v1.Offering.newBuilder()
              .setType(type(o.type()))
              .setFeeYen(o.feeYen())
              .setMaxCopies(o.maxCopies())
              .setAvailable(o.available());
      o.options().stream().sorted().map(ProtoMapping::option).forEach(ob::addOptions);
      if (!o.available()) {
        // Only what a copier may see crosses to it (a support measure is NOT_ISSUABLE).
        ob.setUnavailableReason(jp.kofu.proto.type.v1.Reason.valueOf(o.unavailableReason().shownToCopier().name()));
      }
      if (o.nextOpen() != null) {
        ob.setNextOpenTime(timestamp(o.nextOpen()));
      }
      for (Offering.HouseholdMember member : o.householdMembers()) {
        ob.addHouseholdMembers(
            HouseholdMember.newBuilder()
                .setMemberHandle(member.memberHandle())
                .setDisplayName(member.displayName())
                .setCardHolder(member.cardHolder()));
      }
      b.addOfferings(ob);
    }
    return b.build();
  }

  static jp.kofu.proto.type.v1.CertificateOption option(CertificateOption o) {
    return ProtoEnums.toProto(jp.kofu.proto.type.v1.CertificateOption.class, o);
  }

  static IssueHeader header(Issuance i, boolean replayed) {
    IssueHeader.Builder h =
        IssueHeader.newBuilder()
            .setIssuanceId(i.issuanceId())
            .setPageCount(i.issued().facts().pageCount())
            .setByteSize(i.issued().facts().byteSize())
            .setSha256(ByteString.copyFrom(i.documentSha256().bytes()))
            .setFeeYen(i.feeYen())
            .setCopies(i.order().copies())
            .setMunicipalityCode(i.order().municipalityCode())
            .setCertificateType(ProtoEnums.toProto(jp.kofu.proto.type.v1.CertificateType.class, i.order().certificateType()))
            .setReplayed(replayed)
            .setOrderId(i.orderId());
    if (i.verificationCode() != null) {
      h.setVerificationCode(i.verificationCode());
    }
    return h.build();
  }

  /** An issuance as GetIssuance answers it: where it stands, no personal data. */
  static jp.kofu.proto.kiosk.v1.GetIssuanceResponse issuance(Issuance i) {
    jp.kofu.proto.kiosk.v1.GetIssuanceResponse.Builder b =
        jp.kofu.proto.kiosk.v1.GetIssuanceResponse.newBuilder()
            .setIssuanceId(i.issuanceId())
            .setOrderId(i.orderId())
            .setState(ProtoEnums.toProto(jp.kofu.proto.kiosk.v1.IssuanceState.class, i.state().name()))
            .setMunicipalityCode(i.order().municipalityCode())
            .setCertificateType(ProtoEnums.toProto(jp.kofu.proto.type.v1.CertificateType.class, i.order().certificateType()))
            .setCopies(i.order().copies())
            .setOrderTime(timestamp(i.orderedAt()));
    if (i.feeYen() != null) {
      b.setFeeYen(i.feeYen());
    }
    if (i.refundedYen() != null) {
      b.setRefundedYen(i.refundedYen());
    }
    if (i.documentSha256() != null) {
      b.setSha256(ByteString.copyFrom(i.documentSha256().bytes()));
    }
    if (i.verificationCode() != null) {
      b.setVerificationCode(i.verificationCode());
    }
    if (i.issuedAt() != null) {
      b.setIssueTime(timestamp(i.issuedAt()));
    }
    if (i.settledAt() != null) {
      b.setSettleTime(timestamp(i.settledAt()));
    }
    return b.build();
  }
}
