package jp.kofu.issuer.document;

import static jp.kofu.issuer.document.TestDocuments.HOUSEHOLD;
import static jp.kofu.issuer.document.TestDocuments.certificate;
import static jp.kofu.issuer.document.TestDocuments.meta;
import static jp.kofu.issuer.document.TestDocuments.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSName;
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
   * Glyph substitution is off (it costs more than the rest of the text drawing); this proves it
   * changes nothing: with PDFBox's GSUB pass on, every type's pages show the same glyphs.
   */
  @Test
  void glyphSubstitutionOffGivesTheSameContentStreamsForEveryType() throws IOException {
    CertificateRenderer off = new CertificateRenderer(CertificateFonts.mincho(1), VerificationLink.defaults());
    CertificateRenderer on = new CertificateRenderer(CertificateFonts.minchoWithGlyphSubstitution(1), VerificationLink.defaults());
    DocumentMeta meta = SampleCertificates.meta("KF-20261126-000001");
    for (var sample : SampleCertificates.all().entrySet()) {
      List<String> without = pages(off.render(sample.getValue(), meta));
      List<String> with = pages(on.render(sample.getValue(), meta));
      assertThat(without).as(sample.getKey().name()).isNotEmpty().isEqualTo(with);
    }
  }

  /** Per page: the decoded content streams, and the widths and glyph map of each font used. */
  private static List<String> pages(byte[] pdf) throws IOException {
    List<String> pages = new ArrayList<>();
    try (PDDocument document = Loader.loadPDF(pdf)) {
      for (PDPage page : document.getPages()) {
        StringBuilder b = new StringBuilder();
        try (InputStream in = page.getContents()) {
          b.append(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1));
        }
        for (COSName name : page.getResources().getFontNames()) {
          PDType0Font font = (PDType0Font) page.getResources().getFont(name);
          var descendant = font.getDescendantFont().getCOSObject();
          b.append('\n').append(name.getName()).append(' ').append(descendant.getDictionaryObject(COSName.W));
          try (InputStream in = font.getDescendantFont().getFontDescriptor().getFontFile2().createInputStream()) {
            b.append(' ').append(java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(in.readAllBytes())));
          } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
          }
        }
        pages.add(b.toString());
      }
    }
    return pages;
  }

  @Test
  void concurrentDocumentsShareABoundedPoolOfParsedFonts() throws Exception {
    CertificateFonts fonts = CertificateFonts.mincho(2);
    ResidenceCertificateRenderer renderer = new ResidenceCertificateRenderer(fonts);
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
    assertThat(fonts.parsedInstances()).isBetween(1, 2);
  }

  @Test
  void aRendererWaitingForAFontCanBeInterrupted() throws Exception {
    CertificateFonts fonts = CertificateFonts.mincho(1);
    try (PDDocument held = new PDDocument(); CertificateFonts.Lease lease = fonts.embedIn(held)) {
      AtomicReference<Throwable> failure = new AtomicReference<>();
      AtomicReference<Boolean> interruptFlag = new AtomicReference<>();
      CountDownLatch started = new CountDownLatch(1);
      Thread waiter =
          new Thread(
              () -> {
                started.countDown();
                try (PDDocument other = new PDDocument()) {
                  fonts.embedIn(other).close();
                } catch (Throwable t) {
                  failure.set(t);
                  interruptFlag.set(Thread.currentThread().isInterrupted());
                }
              });
      waiter.start();
      started.await();
      waiter.interrupt();
      waiter.join(10_000);

      assertThat(failure.get()).isInstanceOf(CancellationException.class);
      assertThat(interruptFlag.get()).isTrue();
      assertThat(lease.font()).isNotNull();
    }
    // The lease went back: the next document gets the font without a second parse.
    try (PDDocument next = new PDDocument(); CertificateFonts.Lease again = fonts.embedIn(next)) {
      assertThat(fonts.parsedInstances()).isEqualTo(1);
    }
  }

  @Test
  void aClosedLeaseLendsNothing() throws IOException {
    CertificateFonts fonts = CertificateFonts.shared();
    try (PDDocument document = new PDDocument()) {
      CertificateFonts.Lease lease = fonts.embedIn(document);
      lease.close();
      lease.close();
      assertThatThrownBy(lease::font).isInstanceOf(IllegalStateException.class);
    }
  }
}
