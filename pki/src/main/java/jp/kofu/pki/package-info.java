/**
 * The trust world kofu runs in, and the X.509 helpers every module shares.
 *
 * <p>In production the card CA is JPKI's (公的個人認証サービス), the municipal signing CA is
 * LGPKI's, and the store-terminal CA belongs to the center. For development and tests,
 * {@link jp.kofu.pki.TrustWorld} generates all of them with BouncyCastle, in memory in one line
 * ({@code TrustWorld.generate()}) or as readable PEM files ({@code ./kofu pki init DIR}).
 */
package jp.kofu.pki;
