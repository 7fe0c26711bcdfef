package jp.kofu.bench;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import jp.kofu.issuer.document.CertificateContent;
import jp.kofu.issuer.document.CertificateRenderer;
import jp.kofu.issuer.document.DocumentMeta;
import jp.kofu.issuer.document.PadesSigner;
import jp.kofu.issuer.document.SampleCertificates;
import jp.kofu.issuer.spi.CertificateType;
import jp.kofu.issuer.timestamp.TimeStampAuthority;
import jp.kofu.pki.HeldCertificate;
import jp.kofu.pki.TrustWorld;

/**
 * CPU time and allocation of one document on this thread ({@code ThreadMXBean}), per type: the
 * render alone, rendered and signed PAdES B-T in one pass (the issuer's way), and rendered then
 * signed by reload and incremental save (the way for PDFs from elsewhere), each in the same run,
 * after every path was warmed up; then, on the signed 住民票の写し, appending its DSS (PAdES B-LT,
 * {@code DocumentCheckBenchmarkLt.extendToLt}) and the gateway's document check of the B-LT
 * document. Every CPU figure is also given in RSA-2048 signatures (SHA256withRSA) measured on
 * the same thread in the same run. {@code java -cp bench/target/benchmarks.jar
 * jp.kofu.bench.RenderCost [N]} (N operations per figure, default 300).
 */
public final class RenderCost {
  private RenderCost() {}

  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 300;
    ThreadMXBean bean = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    CertificateRenderer renderer = new CertificateRenderer();
    DocumentMeta meta = SampleCertificates.meta("KF-20261126-000001");
    TrustWorld world = TrustWorld.generate();
    HeldCertificate signer = world.municipalSigner("131016", "千代田区");
    Clock clock = Clock.systemUTC();
    PadesSigner bt = new PadesSigner(clock, new TimeStampAuthority(world.timestampingUnit(), clock));
    Map<CertificateType, CertificateContent> all = SampleCertificates.all();
    for (int round = 0; round < 2; round++) {
      for (CertificateContent c : all.values()) {
        for (int i = 0; i < n; i++) {
          renderer.renderSigned(c, meta, bt, signer);
          bt.sign(renderer.render(c, meta), signer);
        }
      }
    }
    DocumentCheckBenchmarkLt lt = new DocumentCheckBenchmarkLt();
    try {
      lt.setUp();
      for (int i = 0; i < n; i++) {
        lt.rsaSignature();
        lt.extendToLt();
        lt.check();
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    long[] rsa = measure(bean, n, () -> {
      try {
        lt.rsaSignature();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    rsaNanos = (double) rsa[0] / n;
    System.out.printf(Locale.ROOT, "RSA-2048 signature (SHA256withRSA): %s%n", fmt(rsa, n));
    System.out.printf("%-28s %-34s %-38s %-38s%n", "type", "render", "render+sign B-T, one pass", "render, sign B-T (2 passes)");
    for (var e : all.entrySet()) {
      CertificateContent c = e.getValue();
      long[] render = measure(bean, n, () -> renderer.render(c, meta));
      long[] one = measure(bean, n, () -> renderer.renderSigned(c, meta, bt, signer));
      long[] two = measure(bean, n, () -> bt.sign(renderer.render(c, meta), signer));
      int size = renderer.renderSigned(c, meta, bt, signer).pdf().length;
      System.out.printf(Locale.ROOT, "%-28s %-34s %-38s %-38s %,d bytes signed%n", e.getKey(), fmt(render, n),
          fmt(one, n), fmt(two, n), size);
    }
    System.out.printf(Locale.ROOT, "append the DSS (B-T to B-LT, RESIDENCE): %s%n", fmt(measure(bean, n, lt::extendToLt), n));
    System.out.printf(Locale.ROOT, "document check of the B-LT document (gateway): %s%n", fmt(measure(bean, n, lt::check), n));
  }

  private static double rsaNanos = Double.NaN;

  private static long[] measure(ThreadMXBean bean, int n, Runnable op) {
    long cpu = bean.getCurrentThreadCpuTime();
    long bytes = bean.getCurrentThreadAllocatedBytes();
    for (int i = 0; i < n; i++) {
      op.run();
    }
    return new long[] {bean.getCurrentThreadCpuTime() - cpu, bean.getCurrentThreadAllocatedBytes() - bytes};
  }

  private static String fmt(long[] m, int n) {
    return String.format(Locale.ROOT, "%.3f ms (%.2f sig) / %.3f MB", m[0] / 1e6 / n, m[0] / rsaNanos / n, m[1] / 1e6 / n);
  }
}
