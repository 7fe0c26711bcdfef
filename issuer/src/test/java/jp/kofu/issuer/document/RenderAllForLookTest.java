package jp.kofu.issuer.document;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class RenderAllForLookTest {
  @Test
  void write() throws Exception {
    Path dir = Path.of("/tmp/cd/look");
    Files.createDirectories(dir);
    CertificateRenderer renderer = new CertificateRenderer();
    int i = 0;
    for (var e : SampleCertificates.all().entrySet()) {
      byte[] pdf = renderer.render(e.getValue(), SampleCertificates.meta("KF-20261126-00012" + i++));
      Files.write(dir.resolve(e.getKey().slug() + ".pdf"), pdf);
    }
  }
}
