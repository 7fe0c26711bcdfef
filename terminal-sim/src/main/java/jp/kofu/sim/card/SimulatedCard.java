package jp.kofu.sim.card;

import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import jp.kofu.pki.HeldCertificate;
import jp.kofu.pki.X509;

/**
 * A My Number Card's user-certification function, or a smartphone credential: it signs a
 * challenge (SHA256withRSA) only after the right PIN. Three wrong PINs in a row lock it; the
 * counter lives on the card and resets on success. A smartphone credential has no PIN (biometrics
 * stand in for it): pass any PIN.
 */
public final class SimulatedCard {
  public static final int MAX_TRIES = 3;

  private final HeldCertificate credential;
  private final String pin;
  private final boolean smartphone;
  private int remainingTries = MAX_TRIES;

  public SimulatedCard(HeldCertificate credential, String pin, boolean smartphone) {
    this.credential = credential;
    this.pin = pin;
    this.smartphone = smartphone;
  }

  /** The PIN was wrong, or the card is locked. */
  public static final class PinException extends Exception {
    private final int remainingTries;

    PinException(String message, int remainingTries) {
      super(message);
      this.remainingTries = remainingTries;
    }

    public int remainingTries() {
      return remainingTries;
    }
  }

  public synchronized byte[] sign(String enteredPin, byte[] challenge) throws PinException {
    if (!smartphone) {
      if (remainingTries == 0) {
        throw new PinException("card locked: unlock it at the municipal counter", 0);
      }
      if (!pin.equals(enteredPin)) {
        remainingTries--;
        throw new PinException(remainingTries == 0 ? "wrong PIN: card now locked" : "wrong PIN", remainingTries);
      }
      remainingTries = MAX_TRIES;
    }
    try {
      Signature s = Signature.getInstance("SHA256withRSA");
      s.initSign(credential.privateKey());
      s.update(challenge);
      return s.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public synchronized int remainingTries() {
    return remainingTries;
  }

  public boolean smartphone() {
    return smartphone;
  }

  public X509Certificate certificate() {
    return credential.certificate();
  }

  public byte[] certificateDer() {
    try {
      return credential.certificate().getEncoded();
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }

  public String serialHex() {
    return X509.serialHex(credential.certificate());
  }

  /** Key id of the CA that issued this card: with the serial, what identifies the card. */
  public String issuerKeyId() {
    return X509.keyId(credential.intermediates().get(0));
  }
}
