package jp.kofu.issuer.document;

import static jp.kofu.issuer.document.TestDocuments.HOUSEHOLD;
import static jp.kofu.issuer.document.TestDocuments.certificate;
import static jp.kofu.issuer.document.TestDocuments.meta;
import static jp.kofu.issuer.document.TestDocuments.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.fontbox.ttf.TTFParser;
import org.apache.fontbox.ttf.TrueTypeFont;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.io.RandomAccessReadBuffer;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.junit.jupiter.api.Test;

class CertificateFontsTest {
  @Test
  void documentsEmbedASubsetOfTheFont() throws IOException {
    byte[] pdf = new ResidenceCertificateRenderer().render(certificate(3), meta());

    List<PDFont> fonts = new ArrayList<>();
    try (PDDocument document = Loader.loadPDF(pdf)) {
      for (PDPage page : document.getPages()) {
        for (COSName name : page.getResources().getFontNames()) {
          fonts.add(page.getResources().getFont(name));
        }
      }
      assertThat(fonts).isNotEmpty();
      for (PDFont font : fonts) {
        assertThat(font).isInstanceOf(PDType0Font.class);
        assertThat(font.isEmbedded()).isTrue();
        assertThat(font.getName()).matches("[A-Z]{6}\\+BIZUDMincho.*");
        var fontFile = ((PDType0Font) font).getDescendantFont().getFontDescriptor().getFontFile2();
        try (InputStream in = fontFile.createInputStream()) {
          // The whole font is about 6 MB; a certificate uses a few hundred glyphs.
          assertThat(in.readAllBytes().length).isLessThan(300_000);
        }
      }
    }
  }

  /**
   * The subset is assembled from slices of the font file, not by a font library: every glyph a
   * document shows must be, in its subset font program, the very outline and advance of the
   * character's glyph in BIZ UDMincho, and the document's /W must state the same advance.
   */
  @Test
  void everyGlyphOfTheSubsetIsTheFontsGlyphForItsCharacter() throws IOException {
    CertificateRenderer renderer = new CertificateRenderer();
    DocumentMeta meta = SampleCertificates.meta("KF-20261126-000001");
    try (TrueTypeFont original = new TTFParser().parse(new RandomAccessReadBuffer(CertificateFonts.readMincho()))) {
      var cmap = original.getUnicodeCmapLookup();
      float toPdf = 1000f / original.getUnitsPerEm();
      for (var sample : SampleCertificates.all().entrySet()) {
        try (PDDocument document = Loader.loadPDF(renderer.render(sample.getValue(), meta))) {
          PDType0Font font = (PDType0Font) document.getPage(0).getResources().getFont(COSName.getPDFName("F1"));
          var fontFile = font.getDescendantFont().getFontDescriptor().getFontFile2();
          byte[] program;
          try (InputStream raw = fontFile.getCOSObject().createRawInputStream()) {
            program = inflateStrictly(raw.readAllBytes());
          }
          assertThat(program.length).isEqualTo(fontFile.getCOSObject().getInt(COSName.LENGTH1));
          TrueTypeFont subset = new TTFParser(true).parse(new RandomAccessReadBuffer(program));
          int glyphs = subset.getNumberOfGlyphs();
          assertThat(glyphs).as(sample.getKey().name()).isGreaterThan(20).isLessThan(1000);
          for (int cid = 1; cid < glyphs; cid++) {
            String character = font.toUnicode(cid);
            assertThat(character).as("CID %d of %s", cid, sample.getKey()).isNotNull();
            int gid = cmap.getGlyphId(character.codePointAt(0));
            assertThat(outline(subset.getGlyph().getGlyph(cid)))
                .as("CID %d of %s", cid, sample.getKey())
                .isEqualTo(outline(original.getGlyph().getGlyph(gid)));
            assertThat(subset.getHorizontalMetrics().getAdvanceWidth(cid))
                .isEqualTo(original.getHorizontalMetrics().getAdvanceWidth(gid));
            assertThat(font.getWidth(cid)).isEqualTo(Math.round(original.getHorizontalMetrics().getAdvanceWidth(gid) * toPdf));
          }
          subset.close();
        }
      }
    }
  }

  /**
   * The JDK's inflater checks what PDFBox's lenient one may not: a well-formed zlib stream, with
   * a final block and the Adler-32 of the whole (the font program is assembled from pieces).
   */
  private static byte[] inflateStrictly(byte[] zlib) {
    java.util.zip.Inflater inflater = new java.util.zip.Inflater();
    try {
      inflater.setInput(zlib);
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      byte[] buf = new byte[64 * 1024];
      while (!inflater.finished()) {
        int n = inflater.inflate(buf);
        if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          throw new AssertionError("font program: truncated zlib stream");
        }
        out.write(buf, 0, n);
      }
      assertThat(inflater.getRemaining()).as("bytes after the zlib stream").isZero();
      return out.toByteArray();
    } catch (java.util.zip.DataFormatException e) {
      throw new AssertionError("font program: not a valid zlib stream (" + e.getMessage() + ")", e);
    } finally {
      inflater.end();
    }
  }

  /** A glyph's contours, points and on-curve flags, as text to compare. */
  private static String outline(org.apache.fontbox.ttf.GlyphData glyph) {
    StringBuilder b = new StringBuilder();
    var d = glyph.getDescription();
    for (int c = 0; c < d.getContourCount(); c++) {
      b.append(d.getEndPtOfContours(c)).append(';');
    }
    for (int i = 0; i < d.getPointCount(); i++) {
      b.append(d.getXCoordinate(i)).append(',').append(d.getYCoordinate(i)).append(',').append(d.getFlags(i) & 1).append(' ');
    }
    return b.append(glyph.getBoundingBox()).toString();
  }

  /**
   * Glyph substitution is not applied (PDFBox's GSUB pass cost more than the rest of the text
   * drawing); this proves it changes nothing: for every string every type shows, PDFBox with the
   * font's GSUB table on chooses exactly the glyphs kofu draws, so the content streams would be
   * the same.
   */
  @Test
  void glyphSubstitutionWouldChooseTheSameGlyphsForEveryStringOfEveryType() throws IOException {
    CertificateFonts fonts = CertificateFonts.shared();
    DocumentMeta meta = SampleCertificates.meta("KF-20261126-000001");
    Set<String> shown = new LinkedHashSet<>();
    for (var sample : SampleCertificates.all().entrySet()) {
      var content = sample.getValue();
      CertificateLayout layout = new CertificateLayout(fonts, meta, content.municipality(), VerificationLink.defaults());
      layout.onShow(shown::add);
      switch (content) {
        case ResidenceCertificate c -> ResidenceCertificateRenderer.layOut(layout, c, meta);
        case SealRegistrationCertificate c -> SealRegistrationLayout.layOut(layout, c, meta);
        case FamilyRegisterCertificate c -> FamilyRegisterLayout.layOut(layout, c, meta);
        case FamilyRegisterAnnexCertificate c -> FamilyRegisterLayout.layOut(layout, c, meta);
        case IncomeTaxCertificate c -> IncomeTaxLayout.layOut(layout, c, meta);
      }
      layout.finish(content.type().title(), content.type(), content.municipality(), null);
    }
    assertThat(shown).hasSizeGreaterThan(100);
    try (TrueTypeFont withGsub = new TTFParser().parse(new RandomAccessReadBuffer(CertificateFonts.readMincho()));
        PDDocument scratch = new PDDocument()) {
      withGsub.setEnableGsub(true);
      PDType0Font pdfbox = PDType0Font.load(scratch, withGsub, true);
      for (String s : shown) {
        byte[] encoded = pdfbox.encode(s);
        int[] substituted = new int[encoded.length / 2];
        for (int i = 0; i < substituted.length; i++) {
          substituted[i] = ((encoded[2 * i] & 0xFF) << 8) | (encoded[2 * i + 1] & 0xFF);
        }
        int[] ours = s.codePoints().map(fonts::glyph).toArray();
        assertThat(ours).as("glyphs of a string (length %d)", s.length()).isEqualTo(substituted);
      }
    }
  }

  @Test
  void concurrentDocumentsShareOneFont() throws Exception {
    ResidenceCertificateRenderer renderer = new ResidenceCertificateRenderer(CertificateFonts.shared());
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<byte[]>> results = new ArrayList<>();
      for (int i = 0; i < 24; i++) {
        var person = HOUSEHOLD.get(i % HOUSEHOLD.size());
        results.add(pool.submit(() -> renderer.render(certificate(List.of(person), Set.of()), meta("KF-" + person.name()))));
      }
      for (int i = 0; i < results.size(); i++) {
        String text = text(results.get(i).get(60, TimeUnit.SECONDS));
        var person = HOUSEHOLD.get(i % HOUSEHOLD.size());
        // Each document shows its own resident, and no one else's.
        for (var other : HOUSEHOLD) {
          if (other == person) {
            assertThat(text).contains(other.name());
          } else {
            assertThat(text).doesNotContain(other.name());
          }
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void theFontKnowsWhatItCannotPrint() {
    CertificateFonts fonts = CertificateFonts.shared();
    assertThat(fonts.canPrint("住民票の写し")).isTrue();
    // A private-use character (where a municipality's 外字 live) has no glyph in the font.
    assertThat(fonts.canPrint("\uE000")).isFalse();
    assertThat(fonts.canPrint("山田\uE000郎")).isFalse();
  }
}
