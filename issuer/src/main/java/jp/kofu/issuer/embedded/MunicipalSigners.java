package jp.kofu.issuer.embedded;

import jp.kofu.pki.HeldCertificate;

/** Where a municipality's document-signing key comes from. */
@FunctionalInterface
public interface MunicipalSigners {
  /** The signing key and certificate (with chain) of {@code code}, named {@code name}. */
  HeldCertificate signer(String code, String name);
}
