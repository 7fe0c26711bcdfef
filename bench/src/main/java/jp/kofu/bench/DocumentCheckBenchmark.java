package jp.kofu.bench;

import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jp.kofu.gateway.issuance.DocumentCheck;
import jp.kofu.issuer.document.CertificateRenderer;
import jp.kofu.issuer.document.DocumentMeta;
import jp.kofu.issuer.document.PadesSigner;
import jp.kofu.issuer.document.SampleCertificates;
import jp.kofu.issuer.spi.CertificateType;
import jp.kofu.issuer.timestamp.TimeStampAuthority;
import jp.kofu.pki.HeldCertificate;
import jp.kofu.pki.TrustWorld;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The gateway's document check ({@link DocumentCheck}: locate the signature, verify the CMS and
 * its timestamp, the certificate paths, kofu's Info entries, the SHA-256 of the file) on a signed
 * 住民票の写し (PAdES B-T), against one RSA-2048 signature measured in the same run. One thread,
 * so the average time per operation is its CPU time; {@code -prof gc} gives the allocation.
 * {@link DocumentCheckBenchmarkLt} runs the same check on the B-LT form of the document.
 *
 * <pre>
 * bench/run -prof gc DocumentCheckBenchmark
 * java -cp bench/target/benchmarks.jar jp.kofu.bench.DocumentCheckBenchmark   # CPU time and allocation per check
 * </pre>
 *
 * <p>{@link #main} measures the same two operations by the measuring thread's CPU time and
 * allocated bytes ({@code ThreadMXBean}) instead of wall-clock time, so that other processes on a
 * busy machine do not count.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xmx1g"})
public class DocumentCheckBenchmark {
  protected TrustWorld world;
  protected HeldCertificate signer;
  protected byte[] pdf;
  protected DocumentMeta meta;
  private DocumentCheck check;
  /** The trust world's clock: what signs, stamps, extends and checks the document. */
  protected Clock clock;
  private Signature rsa;
  private final byte[] message = new byte[64];

  @Setup
  public void setUp() throws Exception {
    world = TrustWorld.generate();
    signer = world.municipalSigner("131016", "千代田区");
    clock = world.clock();
    meta = SampleCertificates.meta("KF-20261126-000001");
    byte[] unsigned = new CertificateRenderer().render(SampleCertificates.all().get(CertificateType.RESIDENCE), meta);
    pdf = new PadesSigner(clock, new TimeStampAuthority(world.timestampingUnit(), clock)).sign(unsigned, signer);
    pdf = extend(pdf);
    List<X509Certificate> anchors = List.of(world.municipalCa().certificate());
    check = new DocumentCheck(anchors, clock);
    String problem = check.problem(pdf, "131016", meta.binding(), meta.documentNumber());
    if (problem != null) {
      throw new IllegalStateException("the benchmark's document does not pass: " + problem);
    }
    rsa = Signature.getInstance("SHA256withRSA");
    rsa.initSign(signer.privateKey());
  }

  /** The document as checked: B-T here. */
  protected byte[] extend(byte[] signed) {
    return signed;
  }

  /** The yardstick: one RSA-2048 signature (SHA256withRSA over 64 bytes). */
  @Benchmark
  public byte[] rsaSignature() throws Exception {
    rsa.update(message);
    return rsa.sign();
  }

  @Benchmark
  public String check() {
    return check.problem(pdf, "131016", meta.binding(), meta.documentNumber());
  }

  /** CPU time and allocation per operation on this thread: {@code [B-T check, B-LT check]} against one RSA signature. */
  public static void main(String[] args) throws Exception {
    int warm = Integer.getInteger("warm", 300);
    int measured = Integer.getInteger("n", 500);
    List<DocumentCheckBenchmark> variants = new java.util.ArrayList<>(List.of(new DocumentCheckBenchmark()));
    try {
      variants.add((DocumentCheckBenchmark) Class.forName("jp.kofu.bench.DocumentCheckBenchmarkLt").getDeclaredConstructor().newInstance());
    } catch (ClassNotFoundException e) {
      // the code before B-LT
    }
    var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    for (DocumentCheckBenchmark b : variants) {
      b.setUp();
      for (int i = 0; i < warm; i++) {
        b.check();
        b.rsaSignature();
      }
      long[] rsa = measure(threads, measured, () -> b.rsaSignature());
      long[] check = measure(threads, measured, () -> b.check());
      System.out.printf("%s (%d bytes): RSA-2048 signature %.3f ms CPU, %.1f KB; check %.3f ms CPU (%.2f signatures), %.1f KB%n",
          b.getClass().getSimpleName(), b.pdf.length, rsa[0] / 1e6 / measured, rsa[1] / 1024.0 / measured,
          check[0] / 1e6 / measured, (double) check[0] / rsa[0], check[1] / 1024.0 / measured);
    }
  }

  private interface Operation {
    Object run() throws Exception;
  }

  private static long[] measure(com.sun.management.ThreadMXBean threads, int n, Operation op) throws Exception {
    long id = Thread.currentThread().threadId();
    long cpu = threads.getCurrentThreadCpuTime();
    long allocated = threads.getThreadAllocatedBytes(id);
    for (int i = 0; i < n; i++) {
      op.run();
    }
    return new long[] {threads.getCurrentThreadCpuTime() - cpu, threads.getThreadAllocatedBytes(id) - allocated};
  }
}
