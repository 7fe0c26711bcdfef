package jp.kofu.issuer.catalog;

import java.util.Set;
import jp.kofu.issuer.spi.CertificateOption;
import jp.kofu.issuer.spi.CertificateType;

/**
 * How a municipality offers one certificate type at stores.
 *
 * @param feeYen fee per copy
 * @param maxCopies the most copies one order may ask for
 * @param options the options it allows
 */
public record CertificateTerms(CertificateType type, int feeYen, int maxCopies, Set<CertificateOption> options) {
  public CertificateTerms {
    options = Set.copyOf(options);
  }
}
