package jp.kofu.sim.card;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Signature;
import java.util.concurrent.TimeUnit;
import jp.kofu.pki.HeldCertificate;
import jp.kofu.pki.TrustWorld;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulatedCardTest {
  static final TrustWorld world = TrustWorld.generate();
  static final byte[] CHALLENGE = "challenge".getBytes(StandardCharsets.US_ASCII);

  @TempDir Path dir;

  @Test
  void aPinIsFourDigits() {
    HeldCertificate held = world.newCard();
    for (String bad : new String[] {"123", "12345", "abcd", "١٢٣٤", ""}) {
      assertThatThrownBy(() -> new SimulatedCard(held, bad, false)).isInstanceOf(IllegalArgumentException.class);
    }
    SimulatedCard card = new SimulatedCard(held, "0420", false);
    // A malformed entry is not a try: the copier's keypad would not send it.
    assertThatThrownBy(() -> card.sign("42", CHALLENGE)).isInstanceOf(SimulatedCard.PinException.class);
    assertThat(card.remainingTries()).isEqualTo(3);
  }

  @Test
  void signsOnlyAfterTheRightPinAndThreeWrongOnesLockItForGood() throws Exception {
    HeldCertificate held = world.newCard();
    SimulatedCard card = new SimulatedCard(held, "2580", false);

    assertThat(verifies(held, card.sign("2580", CHALLENGE))).isTrue();
    assertThatThrownBy(() -> card.sign("0000", CHALLENGE)).hasMessage("wrong PIN");
    assertThat(card.remainingTries()).isEqualTo(2);
    card.sign("2580", CHALLENGE);
    assertThat(card.remainingTries()).as("a success resets the counter").isEqualTo(3);
    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(() -> card.sign("1111", CHALLENGE)).isInstanceOf(SimulatedCard.PinException.class);
    }
    assertThat(card.locked()).isTrue();
    assertThatThrownBy(() -> card.sign("2580", CHALLENGE))
        .isInstanceOf(SimulatedCard.PinException.class)
        .hasMessageContaining("locked");
  }

  @Test
  void theLockLivesOnTheCardSoAnotherProcessSeesIt() throws Exception {
    HeldCertificate held = world.newCard();
    Path cardDir = dir.resolve("cards").resolve(held.serialHex());
    held.writeTo(cardDir);
    SimulatedCard card = SimulatedCard.open(cardDir, held, "7391", false);
    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(() -> card.sign("0000", CHALLENGE)).isInstanceOf(SimulatedCard.PinException.class);
    }

    // Another JVM opens the same card with the right PIN: still locked.
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                ChipProbe.class.getName(), cardDir.toString(), "7391")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();

    assertThat(out).endsWith("locked remaining=0");
    assertThat(Files.readString(cardDir.resolve("chip.properties"))).contains("remaining-tries=0");
  }

  @Test
  void aWalletReopenedFromDiskFindsTheCardLocked() throws IOException {
    Path wallet = dir.resolve("wallet");
    Files.createDirectories(wallet);
    String serial = world.newCard().serialHex();
    Files.writeString(wallet.resolve("cards.csv"), "resident_id,municipality_code,issuer_key_id,serial,kind,pin\n1,131016,k," + serial + ",CARD,1234\n");
    SimulatedCard card = CardWallet.open(wallet, world).card(1);
    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(() -> card.sign("9999", CHALLENGE)).isInstanceOf(SimulatedCard.PinException.class);
    }

    SimulatedCard again = CardWallet.open(wallet, world).card(1);

    assertThat(again.locked()).isTrue();
    assertThat(again.certificate()).isEqualTo(card.certificate());
  }

  @Test
  void aSmartphoneCredentialHasItsOwnCertificateAndNoPin() throws Exception {
    HeldCertificate held = world.newSmartphoneCredential();
    SimulatedCard phone = SimulatedCard.open(dir.resolve("phone"), held, null, true);

    assertThat(verifies(held, phone.sign(null, CHALLENGE))).isTrue();
    assertThat(phone.remainingTries()).isEqualTo(SimulatedCard.MAX_TRIES);
    assertThat(held.certificate().getIssuerX500Principal()).isEqualTo(world.smartphoneCa().certificate().getSubjectX500Principal());
    assertThat(Files.exists(dir.resolve("phone").resolve("chip.properties"))).isFalse();
  }

  static boolean verifies(HeldCertificate held, byte[] signature) throws Exception {
    Signature s = Signature.getInstance("SHA256withRSA");
    s.initVerify(held.certificate().getPublicKey());
    s.update(CHALLENGE);
    return s.verify(signature);
  }
}
