package jp.kofu.gateway.production;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import jp.kofu.gateway.Gateway;
import org.junit.jupiter.api.Test;

/**
 * The production path does not reach the development world: no class of the gateway's main code,
 * outside the development layer {@code jp.kofu.gateway.embedded}, refers to the development PKI
 * generation (TrustWorld, CertificateAuthority), the stand-in OCSP responder, the seed, or the
 * development layer itself. A plain class-path scan: a class file names every class it uses in its
 * constant pool, so a reference cannot hide.
 */
class ProductionPathArchitectureTest {
  static final List<String> DEVELOPMENT =
      List.of("jp/kofu/pki/TrustWorld", "jp/kofu/pki/CertificateAuthority", "jp/kofu/pki/ocsp/OcspResponder", "jp/kofu/issuer/seed/", "jp/kofu/gateway/embedded/");

  @Test
  void gatewayMainCodeDoesNotDependOnTheDevelopmentWorld() throws IOException, URISyntaxException {
    Path classes = Path.of(Gateway.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<String> violations = new ArrayList<>();
    int scanned = 0;
    try (Stream<Path> files = Files.walk(classes)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
        String name = classes.relativize(f).toString().replace('\\', '/');
        if (name.startsWith("jp/kofu/gateway/embedded/")) {
          continue; // the development layer itself
        }
        scanned++;
        String constants = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
        for (String d : DEVELOPMENT) {
          if (constants.contains(d)) {
            violations.add(name + " -> " + d);
          }
        }
      }
    }
    assertThat(scanned).as("classes scanned").isGreaterThan(50);
    assertThat(violations).isEmpty();
  }

  @Test
  void theScanSeesAReferenceWhenThereIsOne() throws IOException, URISyntaxException {
    // The development layer does use them: the scan is not blind.
    Path classes = Path.of(Gateway.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    String world = new String(Files.readAllBytes(classes.resolve("jp/kofu/gateway/embedded/EmbeddedWorld.class")), StandardCharsets.ISO_8859_1);
    assertThat(world).contains("jp/kofu/pki/TrustWorld").contains("jp/kofu/issuer/seed/Seeder").contains("jp/kofu/pki/ocsp/OcspResponder");
  }
}
