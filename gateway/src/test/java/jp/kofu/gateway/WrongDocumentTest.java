package jp.kofu.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import jp.kofu.gateway.config.GatewayConfig;
import jp.kofu.gateway.error.KofuException;
import jp.kofu.gateway.journal.Issuance;
import jp.kofu.gateway.journal.IssuanceState;
import jp.kofu.proto.type.v1.CertificateRequest;
import jp.kofu.proto.type.v1.CertificateType;
import jp.kofu.proto.type.v1.Reason;
import jp.kofu.sim.card.CardWallet;
import jp.kofu.sim.copier.Copier;
import jp.kofu.storage.Database;
import jp.kofu.testing.WholeWorld;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A municipality server that returns the wrong document — the previous applicant's, as in
 * Yokohama in 2023 — is caught by the gateway before a byte of it reaches the copier: the
 * document's signed binding names another card and order. Nothing is streamed or charged, the
 * journal keeps the true reason, and the log says it loudly.
 */
@WholeWorld
class WrongDocumentTest {
  @Test
  void thePreviousApplicantsDocumentNeverReachesTheNextCopier(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("data");
    Path config = dir.resolve("kofu-gateway.yaml");
    Files.writeString(
        config,
        "listen: 127.0.0.1:0\n"
            + "data: data\n"
            + "adapters:\n"
            + "  - kind: previous-document\n"
            + "    settings:\n"
            + "      catalog: " + data.resolve("issuer/municipalities") + "\n"
            + "      database-url: \"" + Database.h2FileUrl(data.resolve("issuer/registry")) + "\"\n");
    try (KofuWorld world =
        KofuWorld.embedded().config(GatewayConfig.load(config)).residentsEach(20).start()) {
      List<CardWallet.Entry> cards = world.eligibleCards(2);
      Copier first = world.copier("store-a");
      Copier second = world.copier("store-b");
      CertificateRequest residence = CertificateRequest.newBuilder().setType(CertificateType.CERTIFICATE_TYPE_RESIDENCE).setCopies(1).build();

      // The first applicant gets their own document (there is no "previous" one yet).
      first.issueOnce(world.wallet().card(cards.get(0).residentId()), cards.get(0).pin(), cards.get(0).municipalityCode(), residence);

      CardWallet.Entry next = cards.get(1);
      var token = second.authenticate(second.openSession(), world.wallet().card(next.residentId()), next.pin()).getSessionToken();
      String order = UUID.randomUUID().toString();
      try (LogCapture logs = LogCapture.at(Level.INFO)) {
        StatusRuntimeException e =
            org.junit.jupiter.api.Assertions.assertThrows(
                StatusRuntimeException.class, () -> second.issue(token, order, next.municipalityCode(), residence));

        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
        assertThat(KofuException.reasonOf(e)).isEqualTo(Reason.DOCUMENT_BINDING_MISMATCH);
        assertThat(logs.text()).contains("MISISSUANCE PREVENTED").contains("binding does not match");
      }
      Issuance row = world.gateway().journal().findByOrder(order).orElseThrow();
      assertThat(row.state()).isEqualTo(IssuanceState.REFUSED);
      assertThat(row.refusalReason()).isEqualTo("DOCUMENT_BINDING_MISMATCH");
      assertThat(row.feeYen()).isNull();
      assertThat(world.gateway().journal().document(row.issuanceId())).isEmpty();
    }
  }
}
