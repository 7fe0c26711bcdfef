package jp.kofu.issuer.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Set;
import jp.kofu.issuer.spi.CardRef;
import jp.kofu.issuer.spi.CertificateOption;
import jp.kofu.issuer.spi.CertificateType;
import jp.kofu.issuer.spi.HouseholdScope;
import jp.kofu.issuer.spi.RefusalReason;
import jp.kofu.issuer.spi.Relation;
import jp.kofu.proto.type.v1.CredentialKind;
import jp.kofu.proto.type.v1.MunicipalityRelation;
import jp.kofu.proto.type.v1.Reason;
import org.junit.jupiter.api.Test;

/**
 * Every enum value of the SPI and of the contract, both ways through the one mapping: each SPI
 * value comes back as itself, each contract value other than the zero value and UNRECOGNIZED as
 * itself, and the zero value and UNRECOGNIZED as "no value". (A value added to either side does
 * not compile until mapped; this proves the mapping is a bijection once it does.)
 */
class IssuerProtosTest {
  @Test
  void certificateTypes() {
    for (CertificateType t : CertificateType.values()) {
      assertThat(IssuerProtos.certificateType(IssuerProtos.toProto(t))).isEqualTo(t);
    }
    for (jp.kofu.proto.type.v1.CertificateType p : jp.kofu.proto.type.v1.CertificateType.values()) {
      CertificateType t = IssuerProtos.certificateType(p);
      if (p == jp.kofu.proto.type.v1.CertificateType.CERTIFICATE_TYPE_UNSPECIFIED || p == jp.kofu.proto.type.v1.CertificateType.UNRECOGNIZED) {
        assertThat(t).as(p.name()).isNull();
      } else {
        assertThat(IssuerProtos.toProto(t)).isEqualTo(p);
        assertThat(p.name()).isEqualTo("CERTIFICATE_TYPE_" + t.name());
      }
    }
  }

  @Test
  void certificateOptions() {
    for (CertificateOption o : CertificateOption.values()) {
      assertThat(IssuerProtos.certificateOption(IssuerProtos.toProto(o))).isEqualTo(o);
    }
    for (jp.kofu.proto.type.v1.CertificateOption p : jp.kofu.proto.type.v1.CertificateOption.values()) {
      CertificateOption o = IssuerProtos.certificateOption(p);
      if (p == jp.kofu.proto.type.v1.CertificateOption.CERTIFICATE_OPTION_UNSPECIFIED || p == jp.kofu.proto.type.v1.CertificateOption.UNRECOGNIZED) {
        assertThat(o).as(p.name()).isNull();
      } else {
        assertThat(IssuerProtos.toProto(o)).isEqualTo(p);
      }
    }
  }

  @Test
  void householdScopesWithTheZeroValueAsSelf() {
    for (HouseholdScope s : HouseholdScope.values()) {
      assertThat(IssuerProtos.householdScope(IssuerProtos.toProto(s))).isEqualTo(s);
    }
    for (var p : jp.kofu.proto.type.v1.CertificateRequest.HouseholdScope.values()) {
      HouseholdScope s = IssuerProtos.householdScope(p);
      switch (p) {
        case UNRECOGNIZED -> assertThat(s).isNull();
        case HOUSEHOLD_SCOPE_UNSPECIFIED -> assertThat(s).isEqualTo(HouseholdScope.SELF);
        default -> assertThat(IssuerProtos.toProto(s)).isEqualTo(p);
      }
    }
  }

  @Test
  void relationsAndCredentialKinds() {
    for (Relation r : Relation.values()) {
      assertThat(IssuerProtos.relation(IssuerProtos.toProto(r))).isEqualTo(r);
    }
    for (MunicipalityRelation p : MunicipalityRelation.values()) {
      Relation r = IssuerProtos.relation(p);
      if (p == MunicipalityRelation.MUNICIPALITY_RELATION_UNSPECIFIED || p == MunicipalityRelation.UNRECOGNIZED) {
        assertThat(r).isNull();
      } else {
        assertThat(IssuerProtos.toProto(r)).isEqualTo(p);
      }
    }
    for (CardRef.CredentialKind k : CardRef.CredentialKind.values()) {
      assertThat(IssuerProtos.credentialKind(IssuerProtos.toProto(k))).isEqualTo(k);
    }
    for (CredentialKind p : CredentialKind.values()) {
      CardRef.CredentialKind k = IssuerProtos.credentialKind(p);
      if (p == CredentialKind.CREDENTIAL_KIND_UNSPECIFIED || p == CredentialKind.UNRECOGNIZED) {
        assertThat(k).isNull();
      } else {
        assertThat(IssuerProtos.toProto(k)).isEqualTo(p);
      }
    }
  }

  /**
   * Every refusal reaches the copier as the reason of its name, the confidential one as
   * NOT_ISSUABLE; every contract reason that is a refusal comes back as that refusal, and the others
   * (authentication, sessions, the gateway's own) are no refusal at all.
   */
  @Test
  void refusalReasonsAndTheirContractReasons() {
    for (RefusalReason r : RefusalReason.values()) {
      Reason shown = IssuerProtos.reasonForCopier(r);
      assertThat(shown.name()).isEqualTo(r.shownToCopier().name());
      assertThat(IssuerProtos.refusal(shown)).isEqualTo(r.shownToCopier());
    }
    assertThat(IssuerProtos.reasonForCopier(RefusalReason.SUPPORT_MEASURE)).isEqualTo(Reason.NOT_ISSUABLE);
    Set<RefusalReason> reached = EnumSet.noneOf(RefusalReason.class);
    for (Reason p : Reason.values()) {
      RefusalReason r = IssuerProtos.refusal(p);
      if (r == null) {
        assertThat(p.name()).as("a contract reason named like a refusal must map to it").isNotIn(names());
        continue;
      }
      assertThat(IssuerProtos.reasonForCopier(r)).isEqualTo(p);
      reached.add(r);
    }
    assertThat(reached).isEqualTo(EnumSet.complementOf(EnumSet.of(RefusalReason.SUPPORT_MEASURE)));
    assertThat(IssuerProtos.refusal(Reason.SESSION_EXPIRED)).isNull();
    assertThat(IssuerProtos.refusal(Reason.UNRECOGNIZED)).isNull();
  }

  private static Set<String> names() {
    Set<String> names = new java.util.HashSet<>();
    for (RefusalReason r : RefusalReason.values()) {
      names.add(r.name());
    }
    return names;
  }
}
