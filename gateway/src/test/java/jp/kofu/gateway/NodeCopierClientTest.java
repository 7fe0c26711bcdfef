package jp.kofu.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import jp.kofu.pki.HeldCertificate;
import jp.kofu.pki.Pem;
import jp.kofu.sim.card.CardWallet;
import jp.kofu.testing.WholeWorld;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The copier client in another language (examples/copier-node, Node with @grpc/grpc-js), written
 * from the proto, docs/BINDING.md and proto/service-config.json only, issues a certificate of
 * residence from a real gateway over mTLS, checks its SHA-256 and binding, and confirms it. The
 * card's key and certificate, the terminal's, and the CAs are the files of the development world,
 * as a vendor would have them. Skipped only where node or npm is not installed.
 */
@WholeWorld
class NodeCopierClientTest {
  @RegisterExtension final KofuWorld world = KofuWorld.embedded();

  static final Path CLIENT = Path.of(System.getProperty("user.dir")).getParent().resolve("examples").resolve("copier-node");

  @Test
  void theNodeCopierIssuesVerifiesTheBindingAndConfirms(@TempDir Path dir) throws Exception {
    assumeTrue(runs("node", "--version") && runs("npm", "--version"), "node and npm are not installed: the Node copier client is not tested");
    if (!Files.isDirectory(CLIENT.resolve("node_modules").resolve("@grpc").resolve("grpc-js"))) {
      // The pinned versions of package-lock.json, from the npm registry.
      Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error").directory(CLIENT.toFile()).inheritIO().start();
      assertThat(npm.waitFor(5, TimeUnit.MINUTES)).as("npm ci in time").isTrue();
      assertThat(npm.exitValue()).as("npm ci").isZero();
    }
    CardWallet.Entry entry = world.eligibleCards(1).getFirst();
    world.wallet().card(entry.residentId()); // the card's key and certificate, in the wallet's files
    Path card = world.embeddedWorld().walletDir().resolve("cards").resolve(entry.serial());
    HeldCertificate terminal = world.pki().terminal("node-chain", "store-1", "node-1");
    terminal.writeTo(dir.resolve("terminal"));
    Pem.write(dir.resolve("service-ca.pem"), world.pki().serviceCa().certificate());
    Pem.write(
        dir.resolve("card-ca.pem"),
        (entry.smartphone() ? world.pki().smartphoneCa() : world.pki().cardCa()).certificate());
    Map<String, String> config =
        Map.of(
            "gateway", "127.0.0.1:" + world.address().getPort(),
            "serviceCa", dir.resolve("service-ca.pem").toString(),
            "terminalCert", dir.resolve("terminal").resolve("cert.pem").toString(),
            "terminalKey", dir.resolve("terminal").resolve("key.pem").toString(),
            "cardCert", card.resolve("cert.pem").toString(),
            "cardKey", card.resolve("key.pem").toString(),
            "cardCa", dir.resolve("card-ca.pem").toString(),
            "credentialKind", entry.smartphone() ? "CREDENTIAL_KIND_SMARTPHONE" : "CREDENTIAL_KIND_CARD",
            "municipalityCode", entry.municipalityCode());
    Path configFile = dir.resolve("config.json");
    new ObjectMapper().writeValue(configFile.toFile(), config);

    Process node =
        new ProcessBuilder("node", CLIENT.resolve("copier.js").toString(), configFile.toString())
            .directory(CLIENT.toFile())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    assertThat(node.waitFor(3, TimeUnit.MINUTES)).as("the node copier finished in time").isTrue();
    String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    JsonNode result = new ObjectMapper().readTree(out.substring(out.lastIndexOf('\n') + 1));
    assertThat(node.exitValue()).as(out).isZero();
    assertThat(result.get("ok").asBoolean()).as(out).isTrue();
    for (String check : List.of("size", "sha256_header", "sha256_trailer", "chunk_count", "binding", "document_number", "municipality")) {
      assertThat(result.get("checks").get(check).asBoolean()).as(check + " in " + out).isTrue();
    }
    assertThat(result.get("state").asText()).isEqualTo("ISSUANCE_STATE_DELIVERED");
    assertThat(result.get("municipality_code").asText()).isEqualTo(entry.municipalityCode());
    // After CloseSession the gateway refuses the token: UNAUTHENTICATED (16), SESSION_CLOSED.
    assertThat(result.get("after_close").get("code").asInt()).as(out).isEqualTo(16);
    // The journal agrees: the issuance the Node copier confirmed is delivered.
    assertThat(world.gateway().journal().find(result.get("issuance_id").asText()).orElseThrow().state().name())
        .isEqualTo("DELIVERED");
  }

  private static boolean runs(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
