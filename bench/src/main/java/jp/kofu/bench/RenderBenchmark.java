package jp.kofu.bench;

import java.security.PrivateKey;
import java.security.Signature;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import jp.kofu.issuer.document.CertificateContent;
import jp.kofu.issuer.document.CertificateRenderer;
import jp.kofu.issuer.document.DocumentMeta;
import jp.kofu.issuer.document.PadesSigner;
import jp.kofu.issuer.document.SampleCertificates;
import jp.kofu.issuer.spi.CertificateType;
import jp.kofu.issuer.timestamp.TimeStampAuthority;
import jp.kofu.pki.HeldCertificate;
import jp.kofu.pki.TrustWorld;
import org.apache.pdfbox.Loader;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a certificate costs: rendering each type (font already parsed, the 地紋 prepared, as in a
 * running issuer), and, in the same run, the signature: the bare RSA-2048 private-key operation,
 * and the whole PAdES signing of a rendered document without (B-B) and with (B-T) its timestamp
 * from the in-process time-stamping unit. Divide {@code render} by the page count the setup prints
 * to get the cost of a page.
 *
 * <pre>
 * ./mvnw -q -pl bench -am package -DskipTests
 * java -jar bench/target/benchmarks.jar RenderBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xmx1g"})
public class RenderBenchmark {
  @Param({
    "RESIDENCE", "RESIDENCE_ITEMS", "SEAL_REGISTRATION", "FAMILY_REGISTER_FULL", "FAMILY_REGISTER_INDIVIDUAL",
    "FAMILY_REGISTER_ANNEX", "INCOME_TAX"
  })
  public String type;

  private CertificateRenderer renderer;
  private CertificateContent content;
  private DocumentMeta meta;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    renderer = new CertificateRenderer();
    content = SampleCertificates.all().get(CertificateType.valueOf(type));
    meta = SampleCertificates.meta("KF-20261126-000001");
    byte[] pdf = renderer.render(content, meta);
    try (var document = Loader.loadPDF(pdf)) {
      System.out.printf("%n%s: %d page(s), %d bytes unsigned%n", type, document.getNumberOfPages(), pdf.length);
    }
  }

  @Benchmark
  public byte[] render() {
    return renderer.render(content, meta);
  }

  /** The signature side, on the 住民票の写し as rendered. */
  @State(Scope.Benchmark)
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Warmup(iterations = 3, time = 2)
  @Measurement(iterations = 5, time = 2)
  @Fork(value = 1, jvmArgs = {"-Xmx1g"})
  public static class Signing {
    private byte[] unsigned;
    private HeldCertificate signer;
    private PrivateKey key;
    private PadesSigner basic;
    private PadesSigner timestamped;
    private final byte[] digest = new byte[32];
    private CertificateRenderer renderer;
    private CertificateContent content;
    private DocumentMeta meta;

    @Setup(Level.Trial)
    public void setUp() {
      TrustWorld world = TrustWorld.generate();
      signer = world.municipalSigner("131016", "千代田区");
      key = signer.privateKey();
      Clock clock = Clock.systemUTC(); // the benchmark's one clock: both signers and the time-stamping unit
      basic = new PadesSigner(clock);
      timestamped = new PadesSigner(clock, new TimeStampAuthority(world.timestampingUnit(), clock));
      renderer = new CertificateRenderer();
      content = SampleCertificates.all().get(CertificateType.RESIDENCE);
      meta = SampleCertificates.meta("KF-20261126-000001");
      unsigned = renderer.render(content, meta);
    }

    /** One SHA256withRSA signature with a 2048-bit key: the floor of any signed document. */
    @Benchmark
    public byte[] rsaSignature() throws Exception {
      Signature s = Signature.getInstance("SHA256withRSA");
      s.initSign(key);
      s.update(digest);
      return s.sign();
    }

    @Benchmark
    public byte[] padesBaselineB() {
      return basic.sign(unsigned, signer);
    }

    /** Two RSA signatures (the document's and the timestamp's) and the PDF's incremental update. */
    @Benchmark
    public byte[] padesBaselineT() {
      return timestamped.sign(unsigned, signer);
    }

    /** The issuer's way: render and sign B-T in one pass (/Contents reserved, the CMS patched in). */
    @Benchmark
    public PadesSigner.Signed renderSignedOnePass() {
      return renderer.renderSigned(content, meta, timestamped, signer);
    }

    /** The same document rendered, then signed B-T by reloading it and saving an incremental update. */
    @Benchmark
    public byte[] renderThenSignTwoPasses() {
      return timestamped.sign(renderer.render(content, meta), signer);
    }
  }
}
