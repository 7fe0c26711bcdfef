package jp.kofu.issuer.document;

import java.util.Arrays;

/**
 * The glyphs one document shows, numbered in the order they first appear, and the TrueType font
 * program holding exactly those glyphs.
 *
 * <p>Text is encoded as it is laid out: each new glyph gets the next character identifier (CID),
 * and the subset font program puts that glyph at the same index, so the font's CIDToGIDMap is
 * /Identity and the content streams need no renumbering. The program is assembled from slices of
 * the font file that {@link CertificateFonts} read once: no font parser, no deflate-and-reparse of
 * the subset, no PDFBox font objects.
 *
 * <p>Not thread-safe: one per document.
 */
final class FontSubset {
  private static final int COMPOSITE_MORE = 0x20;
  private static final int ARGS_ARE_WORDS = 0x01;
  private static final int HAVE_SCALE = 0x08;
  private static final int HAVE_XY_SCALE = 0x40;
  private static final int HAVE_TWO_BY_TWO = 0x80;

  private final CertificateFonts font;
  /** CID to original glyph; CID 0 is .notdef. */
  private int[] glyphs = new int[128];
  /** CID to the code point first shown with it (0 for glyphs only referenced by composites). */
  private int[] codePoints = new int[128];
  private int count = 1;
  /**
   * Original glyph to CID, open addressing: {@code keys} holds glyph + 1 (0: free), {@code
   * values} the CID. A document uses a few hundred of the font's glyphs; a table indexed by glyph
   * cost {@code 2 * numGlyphs} bytes per document.
   */
  private int[] keys = new int[512];

  private char[] values = new char[512];
  private int used;

  FontSubset(CertificateFonts font) {
    this.font = font;
    put(0, 0);
  }

  /** The CID of {@code glyph}, or -1 when it is not in the subset yet. */
  private int cidOf(int glyph) {
    int mask = keys.length - 1;
    for (int i = hash(glyph) & mask; ; i = (i + 1) & mask) {
      int k = keys[i];
      if (k == glyph + 1) {
        return values[i];
      }
      if (k == 0) {
        return -1;
      }
    }
  }

  private void put(int glyph, int cid) {
    if (2 * (used + 1) > keys.length) {
      int[] oldKeys = keys;
      char[] oldValues = values;
      keys = new int[2 * oldKeys.length];
      values = new char[2 * oldKeys.length];
      used = 0;
      for (int i = 0; i < oldKeys.length; i++) {
        if (oldKeys[i] != 0) {
          put(oldKeys[i] - 1, oldValues[i]);
        }
      }
    }
    int mask = keys.length - 1;
    int i = hash(glyph) & mask;
    while (keys[i] != 0) {
      i = (i + 1) & mask;
    }
    keys[i] = glyph + 1;
    values[i] = (char) cid;
    used++;
  }

  private static int hash(int glyph) {
    return glyph * 0x9E3779B9 >>> 16;
  }

  /** Appends {@code text} as a hex string of CIDs, {@code <...>}, adding new glyphs to the subset. */
  void show(String text, PdfBytes out) {
    out.b('<');
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      int glyph = font.glyph(cp);
      out.hex4(cid(glyph, cp));
      i += Character.charCount(cp);
    }
    out.b('>');
  }

  private int cid(int glyph, int codePoint) {
    int cid = cidOf(glyph);
    if (cid >= 0) {
      return cid;
    }
    if (count == glyphs.length) {
      glyphs = Arrays.copyOf(glyphs, 2 * count);
      codePoints = Arrays.copyOf(codePoints, 2 * count);
    }
    cid = count++;
    glyphs[cid] = glyph;
    codePoints[cid] = codePoint;
    put(glyph, cid);
    return cid;
  }

  int size() {
    return count;
  }

  /** A subset tag (six capitals, ISO 32000-1 §9.6.4) derived from the glyphs, so equal subsets share it. */
  String tag() {
    long h = 1125899906842597L;
    for (int i = 0; i < count; i++) {
      h = 31 * h + glyphs[i];
    }
    char[] tag = new char[6];
    h = h & Long.MAX_VALUE;
    for (int i = 0; i < 6; i++) {
      tag[i] = (char) ('A' + h % 26);
      h /= 26;
    }
    return new String(tag);
  }

  /** The /W array of the CIDFont: widths other than the default 1000. */
  void widths(PdfBytes out) {
    out.b('[');
    int run = -2;
    for (int cid = 1; cid < count; cid++) {
      int w = font.width(glyphs[cid]);
      if (w == 1000) {
        continue;
      }
      if (run != cid - 1) {
        if (run >= 0) {
          out.a("] ");
        }
        out.i(cid).a(" [");
      } else {
        out.sp();
      }
      out.i(w);
      run = cid;
    }
    if (run >= 0) {
      out.b(']');
    }
    out.b(']');
  }

  /** The ToUnicode CMap: each CID to the character it was shown for. */
  void toUnicode(PdfBytes out) {
    out.a("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        + "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        + "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        + "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
    int[] mapped = new int[count];
    int n = 0;
    for (int cid = 1; cid < count; cid++) {
      if (codePoints[cid] != 0) {
        mapped[n++] = cid;
      }
    }
    for (int start = 0; start < n; start += 100) {
      int end = Math.min(n, start + 100);
      out.i(end - start).a(" beginbfchar\n");
      for (int k = start; k < end; k++) {
        int cid = mapped[k];
        out.b('<').hex4(cid).a("> <");
        int cp = codePoints[cid];
        if (cp < 0x10000) {
          out.hex4(cp);
        } else {
          out.hex4(Character.highSurrogate(cp)).hex4(Character.lowSurrogate(cp));
        }
        out.a(">\n");
      }
      out.a("endbfchar\n");
    }
    out.a("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
  }

  /** The hinting tables, carried over unchanged, in the order they sit in a subset's file. */
  static final String[] HINTING_TABLES = {"cvt ", "fpgm", "gasp", "prep"};

  /**
   * A font program as a zlib stream, and its uncompressed length (the stream's /Length1); {@link
   * #release} gives {@code zlib}'s buffer back to its pool once it is written into the file.
   */
  record Program(PdfBytes zlib, int length) {
    void release() {
      PROGRAMS.give(zlib);
    }
  }

  /** The buffers of the compressed programs, lent per document ({@link Program#release}). */
  private static final PdfBytes.Pool PROGRAMS = new PdfBytes.Pool(32);

  /**
   * The TrueType font program of the subset, compressed: glyph {@code i} is the glyph of CID
   * {@code i}. Holds the tables PDF needs of an embedded TrueType program (head, hhea, maxp, loca,
   * glyf, hmtx, and the hinting tables cvt, fpgm, gasp, prep); no cmap, which a CIDFont with
   * /Identity does not use.
   *
   * <p>Only the small per-document tables (directory, head, hhea, maxp, loca, hmtx, about 1 KB)
   * are deflated here; the hinting tables and every glyph's outline are pieces compressed once
   * per process ({@link CertificateFonts#compressedGlyph}) and copied ({@link Zlib}).
   */
  Program program() {
    // Composites point to their components: give those CIDs first.
    addAllComponents();
    byte[] hinting = font.hintingTables();
    int[] hintingLength = hintingLengths();
    int tableCount = 6;
    for (int length : hintingLength) {
      tableCount += length < 0 ? 0 : 1;
    }
    int directory = 12 + 16 * tableCount;
    byte[] head = font.table("head");
    byte[] hhea = font.table("hhea");
    byte[] maxp = font.table("maxp");
    int headAt = directory;
    int hheaAt = headAt + pad4(head.length);
    int maxpAt = hheaAt + pad4(hhea.length);
    int locaAt = maxpAt + pad4(maxp.length);
    int hmtxAt = locaAt + 4 * (count + 1);
    int hintingAt = hmtxAt + 4 * count;
    Layout at = new Layout(headAt, head.length, hheaAt, hhea.length, maxpAt, maxp.length, locaAt, hmtxAt, hintingAt,
        hintingAt + hinting.length);

    byte[] part = new byte[hintingAt];
    System.arraycopy(head, 0, part, headAt, head.length);
    putInt(part, headAt + 8, 0); // checkSumAdjustment, set below
    putShort(part, headAt + 50, 1); // long loca offsets
    System.arraycopy(hhea, 0, part, hheaAt, hhea.length);
    putShort(part, hheaAt + 34, count);
    System.arraycopy(maxp, 0, part, maxpAt, maxp.length);
    putShort(part, maxpAt + 4, count);

    CertificateFonts.Glyph[] pieces = new CertificateFonts.Glyph[count];
    long glyf = locaAndMetrics(part, at, pieces);
    int glyfLength = (int) (glyf >>> 32);
    int glyfChecksum = (int) glyf;
    putInt(part, locaAt + 4 * count, glyfLength);

    int fileChecksum = directory(part, tableCount, at, hinting, hintingLength, glyfLength, glyfChecksum);
    fileChecksum += checksum(part, 0, part.length) + glyfChecksum;
    putInt(part, headAt + 8, (int) (0xB1B0AFBAL - (fileChecksum & 0xFFFFFFFFL)));

    Zlib.Piece own = Zlib.piece(part, 0, part.length, PdfFile.DEFLATE_LEVEL);
    return new Program(assemble(own, font.compressedHintingTables(), pieces), at.glyf() + glyfLength);
  }

  /*
   * program() is kept short and each of its loops is a method of its own: C2 compiled the one long
   * method again and again (profile_predicate deoptimisations at its loop bounds), seconds of
   * compiler time that lined up with the load run's slow seconds (bench/README.md, "Overhead").
   */

  /** Where each table of the subset program starts (the hinting tables are one block). */
  private record Layout(
      int head, int headLength, int hhea, int hheaLength, int maxp, int maxpLength, int loca, int hmtx, int hinting,
      int glyf) {}

  private void addAllComponents() {
    for (int cid = 0; cid < count; cid++) {
      addComponents(glyphs[cid]);
    }
  }

  /** Each hinting table's length, or -1 for one the font lacks. */
  private int[] hintingLengths() {
    int[] lengths = new int[HINTING_TABLES.length];
    for (int t = 0; t < HINTING_TABLES.length; t++) {
      byte[] table = font.table(HINTING_TABLES[t]);
      lengths[t] = table == null ? -1 : table.length;
    }
    return lengths;
  }

  /**
   * Writes loca and hmtx and picks each CID's glyph piece; answers the glyf table's length (high
   * 32 bits) and checksum (low 32 bits).
   */
  private long locaAndMetrics(byte[] part, Layout at, CertificateFonts.Glyph[] pieces) {
    int glyfLength = 0;
    int glyfChecksum = 0;
    for (int cid = 0; cid < count; cid++) {
      int g = glyphs[cid];
      putInt(part, at.loca() + 4 * cid, glyfLength);
      putShort(part, at.hmtx() + 4 * cid, font.advanceUnits(g));
      putShort(part, at.hmtx() + 4 * cid + 2, font.leftSideBearing(g));
      pieces[cid] = isComposite(g) ? renumbered(g) : font.compressedGlyph(g);
      glyfLength += pieces[cid].piece().length();
      glyfChecksum += pieces[cid].checksum();
    }
    return ((long) glyfLength << 32) | (glyfChecksum & 0xFFFFFFFFL);
  }

  /**
   * Writes the table directory, sorted by tag; answers the sum of the hinting tables' checksums
   * (the whole file's checksum covers them; they are not in {@code part}).
   */
  private int directory(byte[] part, int tableCount, Layout at, byte[] hinting, int[] hintingLength, int glyfLength, int glyfChecksum) {
    putInt(part, 0, 0x00010000);
    putShort(part, 4, tableCount);
    int power = Integer.highestOneBit(tableCount);
    putShort(part, 6, power * 16);
    putShort(part, 8, Integer.numberOfTrailingZeros(power));
    putShort(part, 10, tableCount * 16 - power * 16);
    int entry = 12;
    int hintingChecksum = 0;
    for (String tag : CertificateFonts.SUBSET_TABLES) {
      int offset;
      int length;
      int sum;
      switch (tag) {
        case "head" -> { offset = at.head(); length = at.headLength(); sum = checksum(part, offset, pad4(length)); }
        case "hhea" -> { offset = at.hhea(); length = at.hheaLength(); sum = checksum(part, offset, pad4(length)); }
        case "maxp" -> { offset = at.maxp(); length = at.maxpLength(); sum = checksum(part, offset, pad4(length)); }
        case "loca" -> { offset = at.loca(); length = 4 * (count + 1); sum = checksum(part, offset, length); }
        case "hmtx" -> { offset = at.hmtx(); length = 4 * count; sum = checksum(part, offset, length); }
        case "glyf" -> { offset = at.glyf(); length = glyfLength; sum = glyfChecksum; }
        default -> {
          int t = hintingIndex(tag);
          if (hintingLength[t] < 0) {
            continue;
          }
          offset = hintingOffset(at.hinting(), hintingLength, t);
          length = hintingLength[t];
          sum = checksum(hinting, offset - at.hinting(), pad4(length));
          hintingChecksum += sum;
        }
      }
      directoryEntry(part, entry, tag, sum, offset, length);
      entry += 16;
    }
    return hintingChecksum;
  }

  private static int hintingIndex(String tag) {
    int t = 0;
    while (!HINTING_TABLES[t].equals(tag)) {
      t++;
    }
    return t;
  }

  /** Where hinting table {@code t} starts: after the tables before it that the font has. */
  private static int hintingOffset(int hintingAt, int[] hintingLength, int t) {
    int at = hintingAt;
    for (int i = 0; i < t; i++) {
      at += Math.max(0, pad4(hintingLength[i]));
    }
    return at;
  }

  private static void directoryEntry(byte[] part, int entry, String tag, int sum, int offset, int length) {
    for (int k = 0; k < 4; k++) {
      part[entry + k] = (byte) tag.charAt(k);
    }
    putInt(part, entry + 4, sum);
    putInt(part, entry + 8, offset);
    putInt(part, entry + 12, length);
  }

  /** The zlib stream: a header, the deflated pieces in order, and their combined Adler-32. */
  private static PdfBytes assemble(Zlib.Piece own, Zlib.Piece hints, CertificateFonts.Glyph[] pieces) {
    int size = 16 + own.deflated().length + hints.deflated().length;
    for (CertificateFonts.Glyph p : pieces) {
      size += p.piece().deflated().length;
    }
    PdfBytes zlib = PROGRAMS.take(size);
    Zlib.header(zlib);
    zlib.raw(own.deflated());
    zlib.raw(hints.deflated());
    int adler = Zlib.combine(own.adler(), hints.adler(), hints.length());
    for (CertificateFonts.Glyph p : pieces) {
      zlib.raw(p.piece().deflated());
      adler = Zlib.combine(adler, p.piece().adler(), p.piece().length());
    }
    Zlib.trailer(zlib, adler);
    return zlib;
  }

  private boolean isComposite(int glyph) {
    return font.glyphLength(glyph) > 0 && (short) readShort(font.file, font.glyphOffset(glyph)) < 0;
  }

  /** A composite glyph, its components renumbered to their CIDs, compressed for this document. */
  private CertificateFonts.Glyph renumbered(int glyph) {
    int length = font.glyphLength(glyph);
    byte[] padded = new byte[pad4(length)];
    System.arraycopy(font.file, font.glyphOffset(glyph), padded, 0, length);
    renumberComponents(padded, 0);
    return new CertificateFonts.Glyph(Zlib.piece(padded, 0, padded.length, PdfFile.DEFLATE_LEVEL),
        checksum(padded, 0, padded.length));
  }

  /** Gives every component of a composite glyph a CID (appended, never shown). */
  private void addComponents(int glyph) {
    int offset = font.glyphOffset(glyph);
    byte[] file = font.file;
    if (!isComposite(glyph)) {
      return;
    }
    int p = offset + 10;
    int flags;
    do {
      flags = readShort(file, p);
      int component = readShort(file, p + 2);
      if (cidOf(component) < 0) {
        cid(component, 0);
      }
      p += componentLength(flags);
    } while ((flags & COMPOSITE_MORE) != 0);
  }

  private void renumberComponents(byte[] glyf, int offset) {
    int p = offset + 10;
    int flags;
    do {
      flags = readShort(glyf, p);
      int component = readShort(glyf, p + 2);
      putShort(glyf, p + 2, cidOf(component));
      p += componentLength(flags);
    } while ((flags & COMPOSITE_MORE) != 0);
  }

  private static int componentLength(int flags) {
    int length = 4 + ((flags & ARGS_ARE_WORDS) != 0 ? 4 : 2);
    if ((flags & HAVE_SCALE) != 0) {
      length += 2;
    } else if ((flags & HAVE_XY_SCALE) != 0) {
      length += 4;
    } else if ((flags & HAVE_TWO_BY_TWO) != 0) {
      length += 8;
    }
    return length;
  }

  /** The TrueType checksum of a four-byte-aligned range: the sum of its big-endian words. */
  static int checksum(byte[] b, int offset, int length) {
    int sum = 0;
    for (int i = offset; i < offset + length; i += 4) {
      sum += ((b[i] & 0xFF) << 24) | ((b[i + 1] & 0xFF) << 16) | ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
    }
    return sum;
  }

  private static int pad4(int n) {
    return (n + 3) & ~3;
  }

  private static int readShort(byte[] b, int at) {
    return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
  }

  private static void putShort(byte[] b, int at, int v) {
    b[at] = (byte) (v >> 8);
    b[at + 1] = (byte) v;
  }

  private static void putInt(byte[] b, int at, int v) {
    b[at] = (byte) (v >> 24);
    b[at + 1] = (byte) (v >> 16);
    b[at + 2] = (byte) (v >> 8);
    b[at + 3] = (byte) v;
  }
}
