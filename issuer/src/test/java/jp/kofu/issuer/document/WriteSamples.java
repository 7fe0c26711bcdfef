package jp.kofu.issuer.document;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import jp.kofu.issuer.timestamp.TimeStampAuthority;
import jp.kofu.pki.TrustWorld;

/**
 * Writes one signed (B-T) sample of every type into a directory, for looking at them and for the
 * pictures in docs/CERTIFICATES.md:
 *
 * <pre>
 * ./mvnw -q -pl bench -am package -DskipTests
 * java -cp bench/target/benchmarks.jar jp.kofu.issuer.document.WriteSamples /tmp/samples
 * for f in /tmp/samples/*.pdf; do pdftoppm -r 80 -png -f 1 -l 1 -singlefile "$f" "docs/images/$(basename "$f" .pdf)"; done
 * </pre>
 */
public final class WriteSamples {
  private WriteSamples() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: WriteSamples DIRECTORY");
      System.exit(2);
    }
    Path dir = Files.createDirectories(Path.of(args[0]));
    TrustWorld world = TrustWorld.generate();
    Clock clock = Clock.systemUTC();
    PadesSigner signer = new PadesSigner(clock, new TimeStampAuthority(world.timestampingUnit(), clock));
    CertificateRenderer renderer = new CertificateRenderer();
    int n = 0;
    for (var e : SampleCertificates.all().entrySet()) {
      byte[] pdf = renderer.render(e.getValue(), SampleCertificates.meta(String.format("KF-20261126-%06d", ++n)));
      Path file = dir.resolve(e.getKey().slug() + ".pdf");
      Files.write(file, signer.sign(pdf, world.municipalSigner("131016", "千代田区")));
      System.out.println(file);
    }
  }
}
