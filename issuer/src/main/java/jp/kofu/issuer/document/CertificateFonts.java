package jp.kofu.issuer.document;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.fontbox.ttf.TTFParser;
import org.apache.fontbox.ttf.TrueTypeFont;
import org.apache.pdfbox.io.RandomAccessReadBuffer;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.font.PDType0Font;

/**
 * The typeface of kofu's certificates, BIZ UDMincho (a universal-design 明朝体), embedded as a
 * subset into every document.
 *
 * <p>Parsing the 6 MB font takes far longer than rendering a certificate, so parsed instances are
 * kept for the life of the process. A fontbox {@link TrueTypeFont} is not safe for concurrent use,
 * and a document keeps using its font until it is saved: {@link PDType0Font} reads metrics and
 * glyphs while text is laid out and subsets the font only in {@code save}. So each document leases
 * a parsed instance exclusively from a small pool, from {@link #embedIn} until the lease is
 * closed after saving. The pool parses lazily and never holds more than {@code maxParsed}
 * instances (each takes about 25 MB of heap); a renderer beyond that waits for a lease. Rendering is
 * CPU-bound and short, so more instances than cores would only cost memory.
 *
 * <p>Glyph substitution (the font's GSUB table) is off: kofu sets text horizontally, where
 * BIZ UDMincho substitutes nothing, and PDFBox's substitution pass costs more than the rest of the
 * text drawing.
 */
public final class CertificateFonts {
  private static final String MINCHO = "/jp/kofu/issuer/fonts/BIZUDMincho-Regular.ttf";

  private final byte[] fontFile;
  private final Semaphore leases;
  private final ConcurrentLinkedQueue<TrueTypeFont> idle = new ConcurrentLinkedQueue<>();
  private final AtomicInteger parsed = new AtomicInteger();
  private final boolean glyphSubstitution;

  private CertificateFonts(byte[] fontFile, int maxParsed) {
    this(fontFile, maxParsed, false);
  }

  private CertificateFonts(byte[] fontFile, int maxParsed, boolean glyphSubstitution) {
    this.fontFile = fontFile;
    this.glyphSubstitution = glyphSubstitution;
    this.leases = new Semaphore(maxParsed, true);
    // Fail at startup, not at the first resident's request, if the font is unusable.
    idle.add(parse());
  }

  /** The process-wide instance: BIZ UDMincho from the classpath, at most four parsed copies. */
  public static CertificateFonts shared() {
    return Shared.INSTANCE;
  }

  /** A pool of its own, for tests and tools; {@code maxParsed} bounds the memory it may take. */
  public static CertificateFonts mincho(int maxParsed) {
    if (maxParsed < 1) {
      throw new IllegalArgumentException("maxParsed: " + maxParsed + " (expected: >= 1)");
    }
    return new CertificateFonts(readMincho(), maxParsed);
  }

  /**
   * A pool whose fonts apply the font's GSUB table when text is shown, as PDFBox does by default:
   * only to prove, in a test, that turning it off ({@link #mincho}, {@link #shared}) changes no
   * content stream.
   */
  static CertificateFonts minchoWithGlyphSubstitution(int maxParsed) {
    return new CertificateFonts(readMincho(), maxParsed, true);
  }

  /** How many parsed instances exist now (informational). */
  public int parsedInstances() {
    return parsed.get();
  }

  /**
   * Lends a parsed font to {@code document} and embeds it there as a subset font. Close the lease
   * after the document was saved, never before: subsetting happens while saving. Waits while all
   * parsed instances are lent out.
   *
   * @throws CancellationException when interrupted while waiting (the interrupt flag stays set)
   */
  public Lease embedIn(PDDocument document) {
    Objects.requireNonNull(document, "document");
    try {
      leases.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CancellationException("interrupted while waiting for a certificate font");
    }
    TrueTypeFont ttf = null;
    try {
      ttf = idle.poll();
      if (ttf == null) {
        ttf = parse();
      }
      // The font is ours, not the document's: PDType0Font.load(doc, ttf, ...) does not register it
      // for closing, and subsetting "closes" it without effect (it reads from a byte array).
      PDType0Font font = PDType0Font.load(document, ttf, true);
      return new Lease(ttf, font);
    } catch (IOException | RuntimeException e) {
      if (ttf != null) {
        idle.add(ttf);
      }
      leases.release();
      if (e instanceof IOException io) {
        throw new UncheckedIOException("embedding the certificate font failed", io);
      }
      throw (RuntimeException) e;
    }
  }

  private TrueTypeFont parse() {
    try {
      TrueTypeFont ttf = new TTFParser().parse(new RandomAccessReadBuffer(fontFile));
      // Horizontal Japanese text needs no substitution, but PDFBox would run its GSUB worker over
      // every string shown (about 1 ms and 40 % of a page's allocation). Off, the content streams
      // are byte for byte the same (CertificateFontsTest).
      ttf.setEnableGsub(glyphSubstitution);
      parsed.incrementAndGet();
      return ttf;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot parse the certificate font", e);
    }
  }

  private static byte[] readMincho() {
    try (InputStream in = CertificateFonts.class.getResourceAsStream(MINCHO)) {
      if (in == null) {
        throw new IllegalStateException("certificate font missing from the classpath: " + MINCHO);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the certificate font " + MINCHO, e);
    }
  }

  /** A font lent to one document; closing it gives the parsed font back to the pool. */
  public final class Lease implements AutoCloseable {
    private final TrueTypeFont ttf;
    private final PDType0Font font;
    private boolean closed;

    private Lease(TrueTypeFont ttf, PDType0Font font) {
      this.ttf = ttf;
      this.font = font;
    }

    /** The subset font to draw with; valid until this lease is closed. */
    public PDType0Font font() {
      if (closed) {
        throw new IllegalStateException("font lease already closed");
      }
      return font;
    }

    /** Whether the font can print every character of {@code text}. */
    public boolean canPrint(String text) {
      try {
        var cmap = ttf.getUnicodeCmapLookup();
        return text.codePoints().allMatch(cp -> cmap.getGlyphId(cp) != 0);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      idle.add(ttf);
      leases.release();
    }
  }

  private static final class Shared {
    // A parsed copy takes about 25 MB of heap, and one renders a certificate in under 10 ms: four
    // render far more than the whole country's peak (DOMAIN.md §6), even on a large machine.
    static final CertificateFonts INSTANCE =
        new CertificateFonts(readMincho(), Math.min(4, Math.max(2, Runtime.getRuntime().availableProcessors())));
  }
}
