package jp.kofu.issuer.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

class VerificationLinkTest {
  @Test
  void aLinkParsesBackIntoItsParts() {
    String code = VerificationLink.newCode();
    String link = new VerificationLink(URI.create("https://verify.example.jp/")).forDocument("KF-1", code);

    assertThat(link).isEqualTo("https://verify.example.jp/v/" + code + "?d=KF-1");
    assertThat(VerificationLink.parse(link)).hasValue(new VerificationLink.Scanned(URI.create("https://verify.example.jp"), code, "KF-1"));
    assertThat(VerificationLink.parse("https://evil.example/v/XXXX?d=1")).isEmpty();
  }

  @Test
  void newCodesAreWellFormedAndDistinct() {
    String a = VerificationLink.newCode();
    String b = VerificationLink.newCode();

    assertThat(a).matches("[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}").doesNotContain("I", "L", "O", "U");
    assertThat(VerificationLink.isWellFormed(a)).isTrue();
    assertThat(a).isNotEqualTo(b);
  }

  @Test
  void aTypedCodeIsForgivenItsLookAlikes() {
    assertThat(VerificationLink.normalize(" 7kq2 m9xd 4wpa ")).hasValue("7KQ2-M9XD-4WPA");
    assertThat(VerificationLink.normalize("OOOO-IIII-LLLL")).hasValue("0000-1111-1111");
    assertThat(VerificationLink.normalize("7KQ2-M9XD-4WP")).isEmpty();
    assertThat(VerificationLink.normalize("7KQ2-M9XD-4WPU")).isEmpty();
  }

  @Test
  void aMalformedCodeIsNotPrinted() {
    assertThatThrownBy(() -> VerificationLink.defaults().forDocument("KF-1", "hello"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("code: not a verification code");
  }
}
