package jp.kofu.issuer.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import jp.kofu.issuer.contract.IssuerAdapterContractTest;
import jp.kofu.issuer.contract.SeededMunicipality;
import jp.kofu.issuer.document.DocumentBinding;
import jp.kofu.issuer.registry.ResidentStatus;
import jp.kofu.issuer.spi.CardQuery;
import jp.kofu.issuer.spi.CertificateRequest;
import jp.kofu.issuer.spi.CertificateType;
import jp.kofu.issuer.spi.IssuanceRefusedException;
import jp.kofu.issuer.spi.IssueCommand;
import jp.kofu.issuer.spi.RefusalReason;
import jp.kofu.issuer.spi.Relation;
import jp.kofu.pki.TrustWorld;
import jp.kofu.storage.Databases;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The embedded adapter reads the registry at every call: a change recorded at the counter a moment
 * ago (a move-out) is honoured by the very next issuance, with the same resolved handle.
 */
class EmbeddedAdapterLiveReadTest {
  @ParameterizedTest
  @EnumSource(Databases.Kind.class)
  void aChangeInTheRegistryIsHonouredByTheNextIssuance(Databases.Kind kind) throws Exception {
    try (SeededMunicipality seeded = SeededMunicipality.seed(kind, TrustWorld.generate(), List.of("131016"), 40, jp.kofu.testing.FakeClock.inServiceHours());
        EmbeddedIssuerAdapter adapter = seeded.adapter(Set.of("131016"))) {
      IssuerAdapterContractTest.Holder h = seeded.eligible("131016", 1).get(0);
      String handle = adapter.resolveCard(new CardQuery("131016", h.card(), Relation.ADDRESS, seeded.now)).residentHandle();
      assertThat(adapter.issue(command(h, handle, seeded)).size()).isPositive();

      long residentId = seeded.registry.findCard(h.card().issuerKeyId(), h.card().serial()).orElseThrow().residentId();
      seeded.registry.setStatus(residentId, ResidentStatus.MOVED_OUT);

      assertThatThrownBy(() -> adapter.issue(command(h, handle, seeded)))
          .isInstanceOfSatisfying(IssuanceRefusedException.class, e -> assertThat(e.reason()).isEqualTo(RefusalReason.MOVED_OUT));
    }
  }

  private static IssueCommand command(IssuerAdapterContractTest.Holder h, String handle, SeededMunicipality seeded) {
    String issuance = "L" + UUID.randomUUID().toString().replace("-", "").substring(0, 25);
    byte[] binding = DocumentBinding.compute(h.card().issuerKeyId(), h.card().serial(), UUID.randomUUID().toString(), issuance, "131016");
    return new IssueCommand("131016", handle, h.card(), Relation.ADDRESS, CertificateRequest.of(CertificateType.RESIDENCE), issuance, binding, seeded.now);
  }
}
