package jp.kofu.issuer.document;

import static jp.kofu.issuer.document.TestDocuments.pageTexts;
import static jp.kofu.issuer.document.TestDocuments.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.time.LocalDate;
import java.util.List;
import javax.imageio.ImageIO;
import jp.kofu.issuer.document.FamilyRegisterCertificate.Item;
import jp.kofu.issuer.spi.CertificateType;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.junit.jupiter.api.Test;

/** What each certificate type prints, beyond the residence certificate's own tests. */
class CertificateTypesTest {
  private final CertificateRenderer renderer = new CertificateRenderer();
  private final DocumentMeta meta = SampleCertificates.meta("KF-20261126-000777");

  @Test
  void theSealCertificatePrintsTheImpressionAndTheRegistrant() throws Exception {
    byte[] pdf = renderer.render(SampleCertificates.seal(), meta);

    assertThat(text(pdf))
        .contains("印鑑登録証明書", "印影（原寸）", "佐藤 健一", "昭和33年3月14日", "登録番号", "第 0012345 号")
        .contains(SealRegistrationLayout.CERTIFY, "千代田区長　山田 太郎");
    try (PDDocument document = Loader.loadPDF(pdf)) {
      long images = 0;
      for (var name : document.getPage(0).getResources().getXObjectNames()) {
        if (document.getPage(0).getResources().getXObject(name) instanceof org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject) {
          images++;
        }
      }
      assertThat(images).as("the impression image").isEqualTo(1);
    }
  }

  @Test
  void eachSealCertificateCarriesItsOwnResidentsImpressionPixelForPixel() throws Exception {
    // The prepared image is cached by the PNG's content: rendering another resident's certificate
    // in between, and the first again, must give every document its own impression.
    byte[] sato = SealImpressions.png("佐藤健一", 360);
    byte[] suzuki = SealImpressions.png("鈴木", 360);
    SealRegistrationCertificate first = SampleCertificates.seal();
    SealRegistrationCertificate other =
        new SealRegistrationCertificate(first.municipality(), first.registrationNumber(), first.name(), first.nameKana(),
            first.birthDate(), first.sex(), first.address(), suzuki, first.impressionSizeMm());

    byte[][] pdfs = {renderer.render(first, meta), renderer.render(other, meta), renderer.render(first, meta)};
    byte[][] pngs = {sato, suzuki, sato};

    for (int i = 0; i < pdfs.length; i++) {
      BufferedImage expected = ImageIO.read(new ByteArrayInputStream(pngs[i]));
      try (PDDocument document = Loader.loadPDF(pdfs[i])) {
        var resources = document.getPage(0).getResources();
        BufferedImage printed = null;
        for (var name : resources.getXObjectNames()) {
          if (resources.getXObject(name) instanceof org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject image) {
            printed = image.getImage();
          }
        }
        assertThat(printed).as("document %d's impression", i).isNotNull();
        assertThat(printed.getWidth()).isEqualTo(expected.getWidth());
        for (int y = 0; y < expected.getHeight(); y += 3) {
          for (int x = 0; x < expected.getWidth(); x += 3) {
            int want = expected.getRGB(x, y);
            int got = printed.getRGB(x, y);
            assertThat(got >>> 24).as("document %d, alpha at %d,%d", i, x, y).isEqualTo(want >>> 24);
            if (want >>> 24 != 0) {
              assertThat(got & 0xFFFFFF).as("document %d, colour at %d,%d", i, x, y).isEqualTo(want & 0xFFFFFF);
            }
          }
        }
      }
    }
    assertThat(pdfs[2]).as("the same content, the same document").isEqualTo(pdfs[0]);
  }

  @Test
  void theFullFamilyRegisterPrintsEveryPersonWithTheirEvents() {
    String text = text(renderer.render(SampleCertificates.familyRegister(false), meta));

    assertThat(text)
        .contains("戸籍全部事項証明書", "本　　籍", SampleCertificates.DOMICILE, "戸籍事項", "戸籍改製")
        .contains("【名】健一", "【名】美智子", "【名】大輔", "【名】結衣")
        .contains("【生年月日】昭和33年3月14日", "【配偶者区分】夫", "【父】佐藤　正雄", "【続柄】長男")
        .contains("身分事項", "出　生", "【出生地】東京都千代田区", "婚　姻", "【婚姻日】昭和60年6月1日")
        .contains("除　籍")
        .contains(FamilyRegisterLayout.CERTIFY_FULL);
  }

  @Test
  void theIndividualExtractPrintsOnlyTheChosenPerson() {
    String text = text(renderer.render(SampleCertificates.familyRegister(true), meta));

    assertThat(text)
        .contains("戸籍個人事項証明書", "【名】結衣", FamilyRegisterLayout.CERTIFY_INDIVIDUAL)
        .doesNotContain("【名】健一", "【名】美智子", "【名】大輔", FamilyRegisterLayout.CERTIFY_FULL);
  }

  @Test
  void theAnnexPrintsEachPersonsAddressHistory() {
    String text = text(renderer.render(SampleCertificates.annex(), meta));

    assertThat(text)
        .contains("戸籍の附票の写し", "附票に記録されている者", "【氏名】佐藤　結衣")
        .contains("【住所】大阪府大阪市北区梅田三丁目1番3号", "【住所を定めた日】平成28年4月1日")
        .contains(FamilyRegisterLayout.CERTIFY_ANNEX);
  }

  @Test
  void theTaxCertificatePrintsTheYearTheSumsAndTheMunicipalitysTaxNames() {
    IncomeTaxCertificate c = SampleCertificates.incomeTax();

    String text = text(renderer.render(c, meta));

    assertThat(text)
        .contains("所得・課税証明書", "令和8年度（令和7年中の所得）")
        .contains("給与収入", "6,200,000円", "給与所得", "4,360,000円", "合計所得金額")
        .contains("社会保険料控除", "812,000円", "所得控除額合計", "1,600,000円")
        .contains("課税標準額", "2,760,000円")
        .contains("特別区民税所得割額", "都民税均等割額", "森林環境税", "年税額", IncomeTaxLayout.yen(c.annualTax()))
        .contains(IncomeTaxLayout.CERTIFY);
  }

  @Test
  void taxNamesFollowTheMunicipalitysKind() {
    assertThat(IncomeTaxLayout.municipalTax(new MunicipalityIdentity("141011", "神奈川県", "横浜市鶴見区", "横浜市長", "x")))
        .isEqualTo("市民税");
    assertThat(IncomeTaxLayout.prefecturalTax(new MunicipalityIdentity("141011", "神奈川県", "横浜市鶴見区", "横浜市長", "x")))
        .isEqualTo("県民税");
    assertThat(IncomeTaxLayout.municipalTax(new MunicipalityIdentity("013030", "北海道", "当別町", "当別町長", "x")))
        .isEqualTo("町民税");
    assertThat(IncomeTaxLayout.prefecturalTax(new MunicipalityIdentity("271004", "大阪府", "大阪市", "大阪市長", "x")))
        .isEqualTo("府民税");
  }

  @Test
  void aTaxCertificateWhoseSumsDoNotAddUpCannotBeMade() {
    IncomeTaxCertificate c = SampleCertificates.incomeTax();

    assertThatThrownBy(() -> new IncomeTaxCertificate(
            c.municipality(), c.fiscalYear(), c.address(), c.name(), c.nameKana(), c.birthDate(), c.salaryRevenue(),
            c.salaryIncome(), c.otherIncomes(), c.totalIncome(), c.deductions(), c.totalDeductions(), c.taxableIncome(),
            c.spouseDeduction(), c.dependents(), c.municipalIncomeLevy(), c.municipalPerCapita(),
            c.prefecturalIncomeLevy(), c.prefecturalPerCapita(), c.forestEnvironmentTax(), c.annualTax() + 100))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("annualTax: does not equal the sum of the levies");
  }

  @Test
  void aLongRegisterRunsOverPagesWithPageNumbers() {
    FamilyRegisterCertificate small = SampleCertificates.familyRegister(false);
    List<FamilyRegisterCertificate.Member> many = new java.util.ArrayList<>();
    for (int i = 0; i < 4; i++) {
      many.addAll(small.members());
    }
    var big = new FamilyRegisterCertificate(small.municipality(), small.domicile(), small.headName(),
        small.registerEvents(), many, false);

    List<String> pages = pageTexts(renderer.render(big, meta));

    assertThat(pages.size()).isGreaterThanOrEqualTo(4);
    assertThat(pages.get(pages.size() - 1)).contains(pages.size() + " / " + pages.size(), FamilyRegisterLayout.CERTIFY_FULL);
    assertThat(pages.get(1)).contains("戸籍全部事項証明書（続き）");
  }

  @Test
  void theQrCodeOnTheLastPageReadsAsTheVerificationLink() throws Exception {
    // Rendering a page with its 地紋 takes a second or two, so two types stand for all: a
    // one-page and a two-page document (the certification, and the code, end the last page).
    for (CertificateType type : List.of(CertificateType.SEAL_REGISTRATION, CertificateType.FAMILY_REGISTER_FULL)) {
      var e = java.util.Map.entry(type, SampleCertificates.all().get(type));
      byte[] pdf = renderer.render(e.getValue(), meta);
      try (PDDocument document = Loader.loadPDF(pdf)) {
        assertThat(document.getDocumentInformation().getCustomMetadataValue(DocumentMeta.INFO_CERTIFICATE_TYPE))
            .isEqualTo(e.getKey().name());
        BufferedImage page = new PDFRenderer(document).renderImageWithDPI(document.getNumberOfPages() - 1, 150);
        int[] pixels = page.getRGB(0, 0, page.getWidth(), page.getHeight(), null, 0, page.getWidth());
        String scanned = new QRCodeReader()
            .decode(
                new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(page.getWidth(), page.getHeight(), pixels))),
                java.util.Map.of(com.google.zxing.DecodeHintType.TRY_HARDER, Boolean.TRUE))
            .getText();
        assertThat(scanned).as(e.getKey().name())
            .isEqualTo("https://verify.kofu.example/v/7KQ2-M9XD-4WPA?d=KF-20261126-000777");
      }
    }
  }

  @Test
  void theTextOfACertificateHoldsNothingOfTheBackground() {
    String text = text(renderer.render(SampleCertificates.residence(false), meta));

    assertThat(text).doesNotContain(Background.WARNING_WORD).doesNotContain("東京都千代田区　東京都千代田区");
  }

  @Test
  void aSealImpressionIsAReproduciblePngAndRefusesWhatItCannotEngrave() throws Exception {
    byte[] first = SealImpressions.png("佐藤", 200);

    assertThat(SealImpressions.png("佐藤", 200)).isEqualTo(first);
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(first));
    assertThat(image.getWidth()).isEqualTo(200);
    assertThat(image.getColorModel().hasAlpha()).isTrue();
    assertThat(image.getRGB(0, 0) >>> 24).as("transparent corner").isZero();
    assertThatThrownBy(() -> SealImpressions.png("佐藤健一郎太郎", 200))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("engraved: 7 characters (expected: 1..6)");
  }

  @Test
  void recordsPrintNoPersonalData() {
    for (CertificateContent c : SampleCertificates.all().values()) {
      assertThat(c.toString()).doesNotContain("佐藤", "千代田区丸の内", "健一");
    }
    assertThat(Item.date("出生日", LocalDate.of(2000, 1, 1)).toString()).doesNotContain("2000");
  }

  @Test
  void everyTypeHasItsTitleAndNamesItsTypeInTheInfo() throws Exception {
    for (var e : SampleCertificates.all().entrySet()) {
      assertThat(e.getValue().type()).isEqualTo(e.getKey());
      byte[] pdf = renderer.render(e.getValue(), meta);
      assertThat(text(pdf)).contains(e.getKey().title());
      try (PDDocument document = Loader.loadPDF(pdf)) {
        assertThat(document.getDocumentInformation().getCustomMetadataValue(DocumentMeta.INFO_CERTIFICATE_TYPE))
            .isEqualTo(e.getKey().name());
      }
    }
    assertThat(SampleCertificates.all()).containsOnlyKeys(CertificateType.values());
  }
}
