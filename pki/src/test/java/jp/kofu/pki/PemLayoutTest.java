package jp.kofu.pki;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What docs/PKI.md says each {@code cert.pem} holds is what the trust world writes. */
class PemLayoutTest {
  @TempDir Path dir;

  @Test
  void aSubCasCertPemEndsWithTheRootAndAnEndEntitysStopsBelowIt() throws IOException {
    TrustWorld world = TrustWorld.openOrCreate(dir);
    world.terminal("kofu-mart", "store-0001", "copier-01");
    X509Certificate root = world.cardRoot().certificate();

    List<X509Certificate> subCa = Pem.certificates(dir.resolve("card/user-ca/cert.pem"));
    assertThat(subCa).hasSize(2);
    assertThat(subCa.get(0)).isEqualTo(world.cardCa().certificate());
    assertThat(subCa.get(1)).isEqualTo(root);

    assertThat(Pem.certificates(dir.resolve("card/root/cert.pem"))).containsExactly(root);

    List<X509Certificate> copier = Pem.certificates(dir.resolve("terminal/copiers/kofu-mart/store-0001/copier-01/cert.pem"));
    assertThat(copier).hasSize(1);
    assertThat(copier.get(0).getIssuerX500Principal()).isNotEqualTo(copier.get(0).getSubjectX500Principal());

    HeldCertificate card = world.newCard();
    assertThat(card.chain()).containsExactly(card.certificate(), world.cardCa().certificate()).doesNotContain(root);

    String doc = Files.readString(Path.of("..", "docs", "PKI.md"), StandardCharsets.UTF_8).replaceAll("\\s+", " ");
    assertThat(doc)
        .contains("a certificate that is not a CA (a copier, a server, a signer, a card) the chain stops below the root")
        .contains("for a sub-CA (`card/user-ca`, `card/smartphone-ca`) it goes up to and includes the root")
        .doesNotContain("up to but excluding the root");
    String readme = Files.readString(dir.resolve("README.txt"), StandardCharsets.UTF_8).replaceAll("\\s+", " ");
    assertThat(readme).contains("without the root for an end entity, up to and including the root for a CA");
  }
}
