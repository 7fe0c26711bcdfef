package jp.kofu.gateway.kiosk;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import java.time.Instant;
import jp.kofu.gateway.issuance.OfferedMunicipality;
import jp.kofu.gateway.journal.Issuance;
import jp.kofu.issuer.remote.IssuerProtos;
import jp.kofu.issuer.spi.Offering;
import jp.kofu.proto.ProtoEnums;
import jp.kofu.proto.kiosk.v1.IssueHeader;
import jp.kofu.proto.kiosk.v1.MunicipalityOfferings;

/**
 * The gateway's own records → the kiosk contract. SPI values (types, options, offerings, reasons)
 * are mapped by the one SPI ↔ contract mapping, {@link IssuerProtos}.
 */
final class ProtoMapping {
  private ProtoMapping() {}

  static Timestamp timestamp(Instant i) {
    return IssuerProtos.timestamp(i);
  }

  static MunicipalityOfferings municipality(OfferedMunicipality m) {
    MunicipalityOfferings.Builder b =
        MunicipalityOfferings.newBuilder()
            .setMunicipalityCode(m.code())
            .setMunicipalityName(m.name())
            .setRelation(IssuerProtos.toProto(m.relation()));
    if (m.unavailable() != null) {
      b.setUnavailableReason(m.unavailable());
    }
    for (Offering o : m.offerings()) {
      b.addOfferings(IssuerProtos.offering(o));
    }
    return b.build();
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
