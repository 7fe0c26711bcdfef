package jp.kofu.issuer.document;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.zxing.EncodeHintType;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import com.google.zxing.qrcode.encoder.ByteMatrix;
import com.google.zxing.qrcode.encoder.Encoder;
import com.google.zxing.qrcode.encoder.QRCode;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** QrModules places exactly the modules ZXing's Encoder places, for every text it takes. */
class QrModulesTest {
  private static final String LINK_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~:/?#[]@!$&'()*+,;=% ";

  private static void assertSameAsZxing(String text, ErrorCorrectionLevel level, int mask) throws Exception {
    QrModules ours = QrModules.encode(text, level, mask);
    assertThat(ours).as(text).isNotNull();
    QRCode code = Encoder.encode(text, level, Map.of(EncodeHintType.QR_MASK_PATTERN, mask));
    ByteMatrix theirs = code.getMatrix();
    assertThat(ours.size).as(text).isEqualTo(theirs.getWidth());
    for (int y = 0; y < ours.size; y++) {
      for (int x = 0; x < ours.size; x++) {
        assertThat(ours.dark(x, y)).as("%s (%s, mask %d): module %d,%d", text, level, mask, x, y).isEqualTo(theirs.get(x, y) == 1);
      }
    }
  }

  @Test
  void verificationLinksAsTheLayoutPrintsThem() throws Exception {
    VerificationLink link = VerificationLink.defaults();
    Random random = new Random(14);
    for (int i = 0; i < 500; i++) {
      String number = "KF-2026" + String.format("%04d", random.nextInt(10_000)) + "-" + String.format("%06d", random.nextInt(1_000_000));
      assertSameAsZxing(link.forDocument(number, VerificationLink.newCode()), ErrorCorrectionLevel.M, CertificateLayout.QR_MASK);
    }
  }

  @Test
  void anyPrintableTextOfEveryLengthLevelAndMask() throws Exception {
    Random random = new Random(18004);
    ErrorCorrectionLevel[] levels = ErrorCorrectionLevel.values();
    // Lengths up to 700 bytes: versions 1 to beyond 20, the count in 8 and in 16 bits, version
    // information from 7 on, one to many blocks of two sizes.
    for (int length = 1; length <= 700; length += 1 + length / 40) {
      for (int mask = 0; mask < 8; mask++) {
        StringBuilder text = new StringBuilder("h");
        while (text.length() < length) {
          text.append(LINK_CHARS.charAt(random.nextInt(LINK_CHARS.length())));
        }
        ErrorCorrectionLevel level = levels[random.nextInt(levels.length)];
        assertSameAsZxing(text.toString(), level, mask);
      }
    }
  }

  @Test
  void whatZxingWouldNotEncodeInByteModeIsLeftToZxing() {
    assertThat(QrModules.encode("HTTPS://VERIFY.KOFU.EXAMPLE/V/7KQ2", ErrorCorrectionLevel.M, 2)).isNull(); // alphanumeric
    assertThat(QrModules.encode("0123456789", ErrorCorrectionLevel.M, 2)).isNull(); // numeric
    assertThat(QrModules.encode("https://例え.jp/", ErrorCorrectionLevel.M, 2)).isNull(); // not ASCII
    assertThat(QrModules.encode("", ErrorCorrectionLevel.M, 2)).isNull();
    assertThat(QrModules.encode("x".repeat(3000), ErrorCorrectionLevel.H, 2)).isNull(); // too long for any version
  }
}
