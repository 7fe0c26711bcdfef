package jp.kofu.issuer.document;

import static jp.kofu.issuer.document.TestDocuments.ADDRESS;
import static jp.kofu.issuer.document.TestDocuments.CHIYODA;
import static jp.kofu.issuer.document.TestDocuments.HOUSEHOLD;
import static jp.kofu.issuer.document.TestDocuments.certificate;
import static jp.kofu.issuer.document.TestDocuments.meta;
import static jp.kofu.issuer.document.TestDocuments.pageTexts;
import static jp.kofu.issuer.document.TestDocuments.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import jp.kofu.issuer.document.ResidenceCertificate.Person;
import jp.kofu.issuer.spi.CertificateOption;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.junit.jupiter.api.Test;

class ResidenceCertificateRendererTest {
  private final ResidenceCertificateRenderer renderer = new ResidenceCertificateRenderer();

  @Test
  void printsTheCertificateOfOnePerson() {
    String text = text(renderer.render(certificate(1), meta()));

    assertThat(text)
        .contains("住民票の写し")
        .contains(ADDRESS)
        .contains("佐藤 健一", "さとう けんいち")
        .contains("生年月日", "昭和33年3月14日", "性別", "男")
        .contains("住民となった日", "住所を定めた日", "平成22年4月1日")
        .contains("前住所", "東京都新宿区西新宿二丁目8番1号")
        .contains("以下余白")
        .contains("この写しは、住民票の原本と相違ないことを証明する。")
        .contains("令和8年11月26日")
        .contains("千代田区長　山田 太郎")
        .contains("証明書番号　KF-20261126-000123")
        .contains("1 / 1");
  }

  @Test
  void printsOnlyTheChosenMembers() {
    List<Person> chosen = List.of(HOUSEHOLD.get(0), HOUSEHOLD.get(2), HOUSEHOLD.get(4));

    String text = text(renderer.render(certificate(chosen, Set.of()), meta()));

    for (Person p : HOUSEHOLD) {
      if (chosen.contains(p)) {
        assertThat(text).contains(p.name(), p.nameKana());
      } else {
        assertThat(text).doesNotContain(p.name()).doesNotContain(p.nameKana());
      }
    }
  }

  @Test
  void printsNothingThatWasNotChosen() {
    List<Person> persons = List.of(HOUSEHOLD.get(0), TestDocuments.foreigner());

    String text = text(renderer.render(certificate(persons, Set.of()), meta()));

    assertThat(text)
        .doesNotContain("世帯主", "続柄", "同居人")
        .doesNotContain("本籍", "筆頭者", "東京都千代田区千代田1番")
        .doesNotContain("個人番号", "1234 5678 9018", "123456789018", "4455 6677 8899")
        .doesNotContain("国籍・地域", "在留資格", "在留カード等の番号", "AB12345678CD", "技術・人文知識・国際業務");
  }

  @Test
  void printsEachChosenOptionAndForeignItemsOnlyForForeignResidents() {
    List<Person> persons = List.of(HOUSEHOLD.get(1), TestDocuments.foreigner());

    String text = text(renderer.render(certificate(persons, EnumSet.allOf(CertificateOption.class)), meta()));

    assertThat(text)
        .contains("世帯主", "佐藤 健一", "続柄", "妻", "同居人")
        .contains("本籍", "東京都千代田区千代田1番", "筆頭者", "佐藤 正雄")
        .contains("個人番号", "2345 6789 0123", "4455 6677 8899")
        .contains("国籍・地域", "アメリカ合衆国", "在留カード等の番号", "AB12345678CD")
        .contains("在留資格", "技術・人文知識・国際業務");
    assertThat(occurrences(text, "国籍・地域")).isEqualTo(1);
    assertThat(occurrences(text, "在留資格")).isEqualTo(1);
  }

  @Test
  void aLargeHouseholdRunsOverSeveralNumberedPages() throws IOException {
    byte[] pdf = renderer.render(certificate(12, CertificateOption.HEAD_OF_HOUSEHOLD), meta());

    List<String> pages = pageTexts(pdf);
    assertThat(pages).hasSizeGreaterThan(1);
    for (int i = 0; i < pages.size(); i++) {
      assertThat(pages.get(i))
          .contains((i + 1) + " / " + pages.size())
          .contains("証明書番号　KF-20261126-000123");
    }
    assertThat(pages.get(0)).contains("住民票の写し", ADDRESS);
    assertThat(pages.get(1)).contains("住民票の写し（続き）");
    String last = pages.get(pages.size() - 1);
    assertThat(last).contains("以下余白", "この写しは、住民票の原本と相違ないことを証明する。");
    assertThat(String.join("", pages.subList(0, pages.size() - 1))).doesNotContain("この写しは");
    String all = String.join("", pages);
    for (Person p : HOUSEHOLD) {
      assertThat(all).contains(p.name());
    }
    try (PDDocument document = Loader.loadPDF(pdf)) {
      for (var page : document.getPages()) {
        assertThat(page.getMediaBox().getWidth()).isEqualTo(PDRectangle.A4.getWidth());
        assertThat(page.getMediaBox().getHeight()).isEqualTo(PDRectangle.A4.getHeight());
      }
    }
  }

  @Test
  void anItemsCertificateHasItsOwnTitleAndWording() throws IOException {
    var content = new ResidenceCertificate(CHIYODA, ADDRESS, null, HOUSEHOLD.subList(0, 1), Set.of(), true);

    byte[] pdf = renderer.render(content, meta());

    assertThat(text(pdf))
        .contains("住民票記載事項証明書", "上記のとおり住民票に記載されていることを証明する。")
        .doesNotContain("住民票の写し", "この写しは");
    try (PDDocument document = Loader.loadPDF(pdf)) {
      assertThat(document.getDocumentInformation().getCustomMetadataValue("KofuCertificateType"))
          .isEqualTo("RESIDENCE_ITEMS");
    }
  }

  @Test
  void documentInformationCarriesKofusEntries() throws IOException {
    DocumentMeta meta = meta();

    byte[] pdf = renderer.render(certificate(1), meta);

    try (PDDocument document = Loader.loadPDF(pdf)) {
      PDDocumentInformation info = document.getDocumentInformation();
      assertThat(info.getTitle()).isEqualTo("住民票の写し");
      assertThat(info.getAuthor()).isEqualTo("東京都千代田区");
      assertThat(info.getProducer()).isEqualTo("kofu");
      assertThat(info.getCreationDate().toInstant()).isEqualTo(meta.issuedAt().toInstant());
      assertThat(info.getCustomMetadataValue("KofuBinding")).isEqualTo(meta.bindingHex()).hasSize(64);
      assertThat(info.getCustomMetadataValue("KofuDocumentNumber")).isEqualTo("KF-20261126-000123");
      assertThat(info.getCustomMetadataValue("KofuMunicipalityCode")).isEqualTo("131016");
      assertThat(info.getCustomMetadataValue("KofuCertificateType")).isEqualTo("RESIDENCE");
      assertThat(document.getDocumentCatalog().getLanguage()).isEqualTo("ja-JP");
    }
  }

  @Test
  void theVerificationCodeIsPrintedWhenThereIsOne() {
    DocumentMeta meta = new DocumentMeta("KF-1", TestDocuments.ISSUED_AT, new byte[32], "ABCD-EFGH-JKMN");

    assertThat(text(renderer.render(certificate(1), meta))).contains("照合番号　ABCD-EFGH-JKMN");
  }

  @Test
  void aLongAddressIsSetSmallerRatherThanRefused() {
    String longAddress = "東京都千代田区丸の内一丁目1番1号　パレスサイドビルディング東棟新館別館二十三階2301号室";
    var content = new ResidenceCertificate(CHIYODA, longAddress, null, HOUSEHOLD.subList(0, 1), Set.of(), false);

    assertThat(text(renderer.render(content, meta()))).contains(longAddress);
  }

  @Test
  void anAddressTooLongForTheLayoutIsRefusedWithoutTheAddress() {
    String address = "東京都千代田区" + "丸の内一丁目".repeat(20);
    var content = new ResidenceCertificate(CHIYODA, address, null, HOUSEHOLD.subList(0, 1), Set.of(), false);

    assertThatThrownBy(() -> renderer.render(content, meta()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("address: too long for the layout")
        .hasMessageNotContaining("丸の内")
        .hasMessageNotContaining("千代田");
  }

  @Test
  void aNameTooLongForTheLayoutIsRefusedWithoutTheName() {
    Person p = HOUSEHOLD.get(0);
    Person longName =
        new Person("寿限無寿限無五劫の擦り切れ海砂利水魚の水行末雲来末風来末食う寝る処に住む処", p.nameKana(), p.birthDate(), p.sex(),
            null, p.becameResidentOn(), p.addressSince(), null, null, null, null, null, null, null);

    assertThatThrownBy(() -> renderer.render(certificate(List.of(longName), Set.of()), meta()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("name: too long for the layout")
        .hasMessageNotContaining("寿限無");
  }

  @Test
  void aCharacterTheFontLacksIsRefusedWithoutTheCharacter() {
    Person p = HOUSEHOLD.get(0);
    // 外字 are often kept in the Private Use Area, which no standard font covers.
    Person gaiji =
        new Person("佐藤 \uE001一", p.nameKana(), p.birthDate(), p.sex(), null, p.becameResidentOn(),
            p.addressSince(), null, null, null, null, null, null, null);

    assertThatThrownBy(() -> renderer.render(certificate(List.of(gaiji), Set.of()), meta()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("name: contains a character the certificate font cannot print")
        .hasMessageNotContaining("佐藤")
        .hasMessageNotContaining("\uE001");
  }

  private static int occurrences(String text, String part) {
    int count = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length())) {
      count++;
    }
    return count;
  }
}
