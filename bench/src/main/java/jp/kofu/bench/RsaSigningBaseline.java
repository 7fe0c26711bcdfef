package jp.kofu.bench;

import java.security.KeyPair;
import java.security.Signature;
import java.util.concurrent.TimeUnit;
import jp.kofu.pki.X509;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The raw SHA256withRSA (RSA-2048, PKCS#1 v1.5) signing rate of this machine, with every core
 * signing: the floor of what a signed document costs, and the yardstick of kofu's issuance target
 * (at least half of this rate, bench/README.md).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class RsaSigningBaseline {
  private KeyPair keys;
  private final byte[] message = new byte[64];

  @State(Scope.Thread)
  public static class Signer {
    Signature signature;

    @Setup
    public void setUp(RsaSigningBaseline b) throws Exception {
      signature = Signature.getInstance("SHA256withRSA");
      signature.initSign(b.keys.getPrivate());
    }
  }

  @Setup
  public void setUp() {
    keys = X509.newRsaKeyPair();
  }

  /** One thread. */
  @Benchmark
  public byte[] signOneCore(Signer s) throws Exception {
    s.signature.update(message);
    return s.signature.sign();
  }

  /** As many threads as cores: the machine's signing rate. */
  @Benchmark
  @Threads(Threads.MAX)
  public byte[] signAllCores(Signer s) throws Exception {
    s.signature.update(message);
    return s.signature.sign();
  }
}
