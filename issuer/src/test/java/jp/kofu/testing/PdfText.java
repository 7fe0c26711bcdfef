package jp.kofu.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;

/** What a PDF says, as PDFBox extracts it: to look for a name or an address on a certificate. */
public final class PdfText {
  private PdfText() {}

  /** The text of every page. */
  public static String of(byte[] pdf) {
    try (PDDocument document = Loader.loadPDF(pdf)) {
      return new PDFTextStripper().getText(document);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The text of each page, in order. */
  public static List<String> pages(byte[] pdf) {
    try (PDDocument document = Loader.loadPDF(pdf)) {
      List<String> pages = new ArrayList<>();
      PDFTextStripper stripper = new PDFTextStripper();
      for (int p = 1; p <= document.getNumberOfPages(); p++) {
        stripper.setStartPage(p);
        stripper.setEndPage(p);
        pages.add(stripper.getText(document));
      }
      return pages;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The text without any white space (also the ideographic space): extraction breaks lines and spaces differently from how names are stored. */
  public static String normalized(byte[] pdf) {
    return normalize(of(pdf));
  }

  /** {@code s} without white space, ASCII or ideographic, to compare with {@link #normalized}. */
  public static String normalize(String s) {
    return s.replaceAll("[\\s　]", "");
  }
}
