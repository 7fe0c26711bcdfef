package org.example.kofu.csvregistry;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import jp.kofu.gateway.config.GatewayConfig;
import jp.kofu.gateway.embedded.EmbeddedWorld;
import jp.kofu.gateway.error.KofuException;
import jp.kofu.issuer.contract.IssuerAdapterContractTest;
import jp.kofu.pki.TrustWorld;
import jp.kofu.proto.type.v1.CertificateRequest;
import jp.kofu.proto.type.v1.CertificateType;
import jp.kofu.proto.type.v1.Reason;
import jp.kofu.sim.card.SimulatedCard;
import jp.kofu.sim.copier.Copier;
import jp.kofu.testing.WholeWorld;
import org.junit.jupiter.api.Test;

/**
 * A whole gateway, configured from a file, with the embedded adapter and the example plugin from
 * its plugins directory side by side: a copier issues a certificate of the plugin's municipality
 * over real TLS, checked by the gateway and again by the copier.
 */
@WholeWorld
class CsvRegistryPluginOverTlsTest {
  @Test
  void aCopierGetsACertificateFromThePluginMunicipality() throws Exception {
    Path dir = Files.createTempDirectory("kofu-plugin-world-");
    TrustWorld pki = TrustWorld.openOrCreate(dir.resolve("pki"));
    PluginDirectory.Municipality sapporo = PluginDirectory.write(dir.resolve("sapporo"), pki);
    PluginDirectory.pluginsWithTheExampleJar(dir);
    Files.writeString(
        dir.resolve("kofu-gateway.yaml"),
        """
        listen: 127.0.0.1:0
        data: .
        plugins: plugins
        card-directory:
          kind: feed
          settings: {files: "%s,%s"}
        adapters:
          - kind: embedded
          - kind: csv-registry
            settings: {directory: "%s"}
        """
            .formatted(
                dir.resolve("issuer/card-directory.csv"), sapporo.directory().resolve("card-directory.csv"), sapporo.directory()));
    try (EmbeddedWorld world = EmbeddedWorld.start(EmbeddedWorld.options().config(GatewayConfig.load(dir.resolve("kofu-gateway.yaml"))));
        Copier copier = Copier.forWorld(world.address(), world.pki(), "plugin-chain", "store-1", "t1")) {
      IssuerAdapterContractTest.Holder holder = sapporo.holders().get(0);
      SimulatedCard card = new SimulatedCard(pki.cardWithSerial(holder.card().serial(), false), "1234", false);
      CertificateRequest residence = CertificateRequest.newBuilder().setType(CertificateType.CERTIFICATE_TYPE_RESIDENCE).setCopies(1).build();

      Copier.Outcome outcome = copier.issueOnce(card, "1234", PluginDirectory.CODE, residence);

      assertThat(outcome.verified().municipalityCode()).isEqualTo(PluginDirectory.CODE);
      assertThat(outcome.document().header().getFeeYen()).isEqualTo(150);
      assertThat(outcome.offerings().getMunicipalities(0).getMunicipalityName()).isEqualTo("北海道札幌市");
      // The plugin's refusals travel like any municipality's.
      SimulatedCard deceased = new SimulatedCard(pki.cardWithSerial(sapporo.refused().card().serial(), false), "1234", false);
      var token = copier.authenticate(copier.openSession(), deceased, "1234").getSessionToken();
      try {
        copier.issue(token, java.util.UUID.randomUUID().toString(), PluginDirectory.CODE, residence);
        throw new AssertionError("issued for a deceased resident");
      } catch (StatusRuntimeException e) {
        assertThat(KofuException.reasonOf(e)).isEqualTo(Reason.DECEASED);
      }
    }
  }
}
