package jp.kofu.bench;

import java.time.Duration;
import java.util.List;
import jp.kofu.issuer.document.LongTermValidation;
import org.openjdk.jmh.annotations.Benchmark;

/**
 * {@link DocumentCheckBenchmark} on the PAdES B-LT form of the document (its DSS update
 * appended); and what making it B-LT costs the issuer per document ({@link #extendToLt}: the DSS
 * prepared once, then appended).
 */
public class DocumentCheckBenchmarkLt extends DocumentCheckBenchmark {
  private LongTermValidation longTerm;
  private byte[] timestamped;

  @Override
  protected byte[] extend(byte[] signed) {
    var ca = world.municipalCa();
    longTerm = new LongTermValidation(
        clock, Duration.ofHours(1), List.of(ca.certificate()), issuer -> List.of(ca.crl(Duration.ofDays(1))));
    timestamped = signed;
    return longTerm.extend(signed, signer);
  }

  @Benchmark
  public byte[] extendToLt() {
    return longTerm.extend(timestamped, signer);
  }
}
