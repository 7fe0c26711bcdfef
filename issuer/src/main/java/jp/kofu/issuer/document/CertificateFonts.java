package jp.kofu.issuer.document;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.zip.Deflater;
import org.apache.fontbox.ttf.CmapLookup;
import org.apache.fontbox.ttf.TTFParser;
import org.apache.fontbox.ttf.TrueTypeFont;
import org.apache.pdfbox.io.RandomAccessReadBuffer;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.font.PDFontDescriptor;
import org.apache.pdfbox.pdmodel.font.PDType0Font;

/**
 * The typeface of kofu's certificates, BIZ UDMincho (a universal-design 明朝体), read once per
 * process into immutable tables, and embedded as a subset into every document by
 * {@link FontSubset}.
 *
 * <p>Everything a document needs from the 6 MB font is prepared here once: the character map
 * (code point to glyph), each glyph's advance width in the units of the PDF (1/1000 em, rounded as
 * PDFBox rounds them, so the layout measures exactly as before), the byte range of each glyph's
 * outline in the font file, the font-wide tables a subset carries over unchanged, and the PDF
 * font descriptor's metrics. A document's subset is then assembled from slices of the file (no
 * font parser, no PDFBox font objects per document), so one instance serves every thread at once.
 *
 * <p>Glyph substitution (the font's GSUB table) is not applied: kofu sets text horizontally,
 * where BIZ UDMincho substitutes nothing; {@code CertificateFontsTest} proves that PDFBox with
 * substitution on chooses the same glyphs for every string every certificate type shows.
 */
public final class CertificateFonts {
  private static final String MINCHO = "/jp/kofu/issuer/fonts/BIZUDMincho-Regular.ttf";
  /** The tables a TrueType font program in a PDF needs (ISO 32000-1 §9.9, as PDFBox keeps them). */
  static final String[] SUBSET_TABLES = {"cvt ", "fpgm", "gasp", "glyf", "head", "hhea", "hmtx", "loca", "maxp", "prep"};

  final String postScriptName;
  final byte[] file;
  private final int glyfOffset;
  /** Offsets of each glyph's outline in {@link #file}, numGlyphs + 1 entries. */
  private final int[] glyphStart;
  private final int[] advance;
  private final short[] leftSideBearing;
  private final int[] width1000;
  private final int[] bmp;
  private final Map<Integer, Integer> supplementary;
  private final Map<String, byte[]> tables;
  /** The descriptor's entries apart from /FontName and /FontFile2, serialised once. */
  final byte[] descriptorEntries;
  final int numGlyphs;
  private final AtomicReferenceArray<Glyph> glyphPieces;
  private final byte[] hinting;
  private final Zlib.Piece hintingPiece;

  private CertificateFonts(byte[] file) {
    this.file = file;
    ByteBuffer b = ByteBuffer.wrap(file);
    int count = b.getShort(4) & 0xFFFF;
    Map<String, int[]> directory = new HashMap<>();
    for (int t = 0; t < count; t++) {
      int at = 12 + 16 * t;
      String tag = new String(file, at, 4, java.nio.charset.StandardCharsets.US_ASCII);
      directory.put(tag, new int[] {b.getInt(at + 8), b.getInt(at + 12)});
    }
    int head = table(directory, "head")[0];
    int unitsPerEm = b.getShort(head + 18) & 0xFFFF;
    boolean longLoca = b.getShort(head + 50) != 0;
    numGlyphs = b.getShort(table(directory, "maxp")[0] + 4) & 0xFFFF;
    int hMetrics = b.getShort(table(directory, "hhea")[0] + 34) & 0xFFFF;
    glyfOffset = table(directory, "glyf")[0];
    int loca = table(directory, "loca")[0];
    glyphStart = new int[numGlyphs + 1];
    for (int g = 0; g <= numGlyphs; g++) {
      glyphStart[g] = glyfOffset + (longLoca ? b.getInt(loca + 4 * g) : 2 * (b.getShort(loca + 2 * g) & 0xFFFF));
    }
    int hmtx = table(directory, "hmtx")[0];
    advance = new int[numGlyphs];
    leftSideBearing = new short[numGlyphs];
    width1000 = new int[numGlyphs];
    // PDFBox's widths: round(advance * (1000f / unitsPerEm)), in float as it computes them.
    float scaling = 1000f / unitsPerEm;
    for (int g = 0; g < numGlyphs; g++) {
      if (g < hMetrics) {
        advance[g] = b.getShort(hmtx + 4 * g) & 0xFFFF;
        leftSideBearing[g] = b.getShort(hmtx + 4 * g + 2);
      } else {
        advance[g] = advance[hMetrics - 1];
        leftSideBearing[g] = b.getShort(hmtx + 4 * hMetrics + 2 * (g - hMetrics));
      }
      width1000[g] = Math.round(advance[g] * scaling);
    }
    tables = new HashMap<>();
    for (String tag : SUBSET_TABLES) {
      int[] entry = directory.get(tag);
      if (entry != null && !tag.equals("glyf") && !tag.equals("loca") && !tag.equals("hmtx")) {
        byte[] t = new byte[entry[1]];
        System.arraycopy(file, entry[0], t, 0, entry[1]);
        tables.put(tag, t);
      }
    }
    glyphPieces = new AtomicReferenceArray<>(numGlyphs);
    PdfBytes hints = new PdfBytes(8 * 1024);
    for (String tag : FontSubset.HINTING_TABLES) {
      byte[] t = tables.get(tag);
      if (t != null) {
        hints.raw(t);
        while (hints.size() % 4 != 0) {
          hints.b(0);
        }
      }
    }
    hinting = hints.toByteArray();
    hintingPiece = Zlib.piece(hinting, 0, hinting.length, Deflater.BEST_COMPRESSION);
    bmp = new int[0x10000];
    supplementary = new HashMap<>();
    PdfBytes descriptor = new PdfBytes(512);
    String name;
    try (TrueTypeFont ttf = new TTFParser().parse(new RandomAccessReadBuffer(file))) {
      CmapLookup cmap = ttf.getUnicodeCmapLookup();
      for (int cp = 0; cp < 0x110000; cp++) {
        int gid = cmap.getGlyphId(cp);
        if (gid != 0) {
          if (cp < 0x10000) {
            bmp[cp] = gid;
          } else {
            supplementary.put(cp, gid);
          }
        }
      }
      // The descriptor's metrics as PDFBox derives them from the font, once per process.
      try (PDDocument scratch = new PDDocument()) {
        PDType0Font font = PDType0Font.load(scratch, ttf, false);
        PDFontDescriptor d = font.getDescendantFont().getFontDescriptor();
        name = d.getFontName();
        var box = d.getFontBoundingBox();
        descriptor.a("/Flags ").i(d.getFlags())
            .a(" /FontBBox [").f(box.getLowerLeftX()).sp().f(box.getLowerLeftY()).sp()
            .f(box.getUpperRightX()).sp().f(box.getUpperRightY()).a("]")
            .a(" /ItalicAngle ").f(d.getItalicAngle())
            .a(" /Ascent ").f(d.getAscent())
            .a(" /Descent ").f(d.getDescent())
            .a(" /CapHeight ").f(d.getCapHeight())
            .a(" /XHeight ").f(d.getXHeight())
            .a(" /StemV ").f(d.getStemV())
            .a(" /FontWeight ").f(d.getFontWeight());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot parse the certificate font", e);
    }
    this.postScriptName = name;
    this.descriptorEntries = descriptor.toByteArray();
  }

  private static int[] table(Map<String, int[]> directory, String tag) {
    int[] entry = directory.get(tag);
    if (entry == null) {
      throw new IllegalStateException("certificate font has no " + tag + " table");
    }
    return entry;
  }

  /** The process-wide instance: BIZ UDMincho from the classpath, read once. */
  public static CertificateFonts shared() {
    return Shared.INSTANCE;
  }

  /** An instance of its own (tests and tools); prefer {@link #shared}, which is read only once. */
  public static CertificateFonts mincho() {
    return new CertificateFonts(readMincho());
  }

  /** The glyph of {@code codePoint}, 0 (.notdef) when the font has none. */
  int glyph(int codePoint) {
    if (codePoint < 0x10000) {
      return codePoint < 0 ? 0 : bmp[codePoint];
    }
    return supplementary.getOrDefault(codePoint, 0);
  }

  /** The advance of {@code glyph} in 1/1000 em, as the PDF's /W array states it. */
  int width(int glyph) {
    return width1000[glyph];
  }

  int advanceUnits(int glyph) {
    return advance[glyph];
  }

  short leftSideBearing(int glyph) {
    return leftSideBearing[glyph];
  }

  int glyphOffset(int glyph) {
    return glyphStart[glyph];
  }

  int glyphLength(int glyph) {
    return glyphStart[glyph + 1] - glyphStart[glyph];
  }

  byte[] table(String tag) {
    return tables.get(tag);
  }

  /** Whether the font can print every character of {@code text}. */
  public boolean canPrint(String text) {
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      if (glyph(cp) == 0) {
        return false;
      }
      i += Character.charCount(cp);
    }
    return true;
  }

  /** The width of {@code text} in 1/1000 em, summed as PDFBox sums it. */
  float width(String text) {
    float w = 0;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      w += width1000[glyph(cp)];
      i += Character.charCount(cp);
    }
    return w;
  }

  /** A glyph's outline padded to four bytes, compressed once: a {@link Zlib.Piece} and its TrueType checksum. */
  record Glyph(Zlib.Piece piece, int checksum) {}

  /**
   * Glyph {@code glyph}'s outline, padded to four bytes and compressed at the best level on first
   * use, then kept: a document's font program copies the compressed pieces of its glyphs instead
   * of deflating them again. Safe from any thread (a race compresses twice, to the same bytes).
   */
  Glyph compressedGlyph(int glyph) {
    Glyph g = glyphPieces.get(glyph);
    if (g == null) {
      int length = glyphLength(glyph);
      byte[] padded = new byte[(length + 3) & ~3];
      System.arraycopy(file, glyphOffset(glyph), padded, 0, length);
      g = new Glyph(Zlib.piece(padded, 0, padded.length, Deflater.BEST_COMPRESSION), FontSubset.checksum(padded, 0, padded.length));
      glyphPieces.set(glyph, g);
    }
    return g;
  }

  /** The hinting tables a subset carries unchanged (cvt, fpgm, gasp, prep): their bytes, each padded to four. */
  byte[] hintingTables() {
    return hinting;
  }

  /** {@link #hintingTables()} compressed once. */
  Zlib.Piece compressedHintingTables() {
    return hintingPiece;
  }

  static byte[] readMincho() {
    try (InputStream in = CertificateFonts.class.getResourceAsStream(MINCHO)) {
      if (in == null) {
        throw new IllegalStateException("certificate font missing from the classpath: " + MINCHO);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the certificate font " + MINCHO, e);
    }
  }

  private static final class Shared {
    static final CertificateFonts INSTANCE = new CertificateFonts(readMincho());
  }
}
