package jp.kofu.sim.card;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import jp.kofu.pki.HeldCertificate;
import jp.kofu.pki.X509;

/**
 * A My Number Card's user-certification function, or a smartphone credential. A card has a
 * 4-digit PIN and signs a challenge (SHA256withRSA) only after the right one; three wrong PINs in
 * a row lock it, and the counter resets on success. The PIN and the counter live on the card
 * ({@link Chip}): with {@link #open} in the card's directory, so a lock outlives the process. A
 * smartphone credential has its own certificate and no PIN (biometrics stand in for it): the PIN
 * passed is ignored.
 */
public final class SimulatedCard {
  public static final int MAX_TRIES = 3;
  private static final java.util.regex.Pattern PIN = java.util.regex.Pattern.compile("[0-9]{4}");

  private final HeldCertificate credential;
  private final boolean smartphone;
  private final Chip chip;

  /** A card whose chip lives in memory only (tests). */
  public SimulatedCard(HeldCertificate credential, String pin, boolean smartphone) {
    this(credential, smartphone, smartphone ? null : Chip.inMemory(requirePin(pin), MAX_TRIES));
  }

  private SimulatedCard(HeldCertificate credential, boolean smartphone, Chip chip) {
    this.credential = credential;
    this.smartphone = smartphone;
    this.chip = chip;
  }

  /**
   * The card whose chip is kept in {@code cardDir} ({@code chip.properties}); a new chip gets
   * {@code pin} and {@link #MAX_TRIES}, an existing one keeps its own.
   */
  public static SimulatedCard open(Path cardDir, HeldCertificate credential, String pin, boolean smartphone) {
    return new SimulatedCard(credential, smartphone, smartphone ? null : Chip.inDirectory(cardDir, requirePin(pin), MAX_TRIES));
  }

  private static String requirePin(String pin) {
    if (pin == null || !PIN.matcher(pin).matches()) {
      throw new IllegalArgumentException("a card's PIN is 4 digits");
    }
    return pin;
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

  /**
   * Signs {@code challenge} after checking {@code enteredPin} on the chip. An entry that is not
   * 4 digits is refused without costing a try (the copier's keypad would not send it).
   */
  public byte[] sign(String enteredPin, byte[] challenge) throws PinException {
    if (!smartphone) {
      if (enteredPin == null || !PIN.matcher(enteredPin).matches()) {
        throw new PinException("a PIN is 4 digits", remainingTries());
      }
      boolean[] right = new boolean[1];
      Chip.State after =
          chip.update(
              s -> {
                if (s.remainingTries() == 0) {
                  return s;
                }
                right[0] = java.security.MessageDigest.isEqual(
                    s.pin().getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                    enteredPin.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                return new Chip.State(s.pin(), right[0] ? MAX_TRIES : s.remainingTries() - 1);
              });
      if (!right[0]) {
        throw new PinException(
            after.remainingTries() == 0 ? "card locked: unlock it at the municipal counter" : "wrong PIN", after.remainingTries());
      }
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

  /** Wrong PIN entries the card still accepts before it locks (always MAX_TRIES for a smartphone). */
  public int remainingTries() {
    return smartphone ? MAX_TRIES : chip.update(s -> s).remainingTries();
  }

  public boolean locked() {
    return remainingTries() == 0;
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
