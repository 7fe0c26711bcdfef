package jp.kofu.pki;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;

/**
 * Object identifiers of the development trust world. They live under a UUID arc (2.25, ITU-T
 * X.667) so they can never be mistaken for JPKI's or LGPKI's real policies.
 */
public final class KofuOids {
  private KofuOids() {}

  private static final ASN1ObjectIdentifier ARC =
      new ASN1ObjectIdentifier("2.25.247185920188414537410263580466315460163");

  /** Certificate policy of a card's user-certification certificate (利用者証明用電子証明書). */
  public static final ASN1ObjectIdentifier POLICY_CARD_USER_CERTIFICATION = ARC.branch("1.1");

  /** Certificate policy of a smartphone's user-certification credential (スマホ用電子証明書). */
  public static final ASN1ObjectIdentifier POLICY_SMARTPHONE_USER_CERTIFICATION = ARC.branch("1.2");

  /** Certificate policy of a municipality's document-signing certificate. */
  public static final ASN1ObjectIdentifier POLICY_MUNICIPAL_SIGNING = ARC.branch("1.3");

  /** Certificate policy of a store copier's client certificate. */
  public static final ASN1ObjectIdentifier POLICY_STORE_TERMINAL = ARC.branch("1.4");

  /** The policy under which kofu's time-stamping unit issues RFC 3161 tokens (TSA policy). */
  public static final ASN1ObjectIdentifier POLICY_TIMESTAMPING = ARC.branch("2.1");
}
