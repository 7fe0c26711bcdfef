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
  /** Original glyph to CID + 1 (0: not in the subset yet). */
  private final char[] cids;

  FontSubset(CertificateFonts font) {
    this.font = font;
    this.cids = new char[font.numGlyphs];
    cids[0] = 1;
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
    int cid = cids[glyph] - 1;
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
    cids[glyph] = (char) (cid + 1);
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

  /**
   * The TrueType font program of the subset: glyph {@code i} is the glyph of CID {@code i}. Holds
   * the tables PDF needs of an embedded TrueType program (head, hhea, maxp, loca, glyf, hmtx, and
   * the hinting tables cvt, fpgm, prep, gasp); no cmap, which a CIDFont with /Identity does not use.
   */
  byte[] program() {
    byte[] file = font.file;
    // Glyph outlines, each padded to four bytes; composites point to their components' new index.
    int total = 0;
    for (int cid = 0; cid < count; cid++) {
      addComponents(glyphs[cid]);
      total += pad4(font.glyphLength(glyphs[cid]));
    }
    byte[] glyf = new byte[total];
    byte[] loca = new byte[4 * (count + 1)];
    byte[] hmtx = new byte[4 * count];
    int at = 0;
    for (int cid = 0; cid < count; cid++) {
      int g = glyphs[cid];
      int length = font.glyphLength(g);
      putInt(loca, 4 * cid, at);
      System.arraycopy(file, font.glyphOffset(g), glyf, at, length);
      if (length > 0 && (short) (((glyf[at] & 0xFF) << 8) | (glyf[at + 1] & 0xFF)) < 0) {
        renumberComponents(glyf, at);
      }
      at += pad4(length);
      putShort(hmtx, 4 * cid, font.advanceUnits(g));
      putShort(hmtx, 4 * cid + 2, font.leftSideBearing(g));
    }
    putInt(loca, 4 * count, at);

    byte[] head = font.table("head").clone();
    putInt(head, 8, 0); // checkSumAdjustment, set below
    putShort(head, 50, 1); // long loca offsets
    byte[] hhea = font.table("hhea").clone();
    putShort(hhea, 34, count);
    byte[] maxp = font.table("maxp").clone();
    putShort(maxp, 4, count);

    String[] tags = CertificateFonts.SUBSET_TABLES;
    byte[][] data = new byte[tags.length][];
    int tableCount = 0;
    for (int t = 0; t < tags.length; t++) {
      data[t] = switch (tags[t]) {
        case "glyf" -> glyf;
        case "loca" -> loca;
        case "hmtx" -> hmtx;
        case "head" -> head;
        case "hhea" -> hhea;
        case "maxp" -> maxp;
        default -> font.table(tags[t]);
      };
      if (data[t] != null) {
        tableCount++;
      }
    }
    int directory = 12 + 16 * tableCount;
    int size = directory;
    for (byte[] d : data) {
      if (d != null) {
        size += pad4(d.length);
      }
    }
    byte[] out = new byte[size];
    putInt(out, 0, 0x00010000);
    putShort(out, 4, tableCount);
    int power = Integer.highestOneBit(tableCount);
    putShort(out, 6, power * 16);
    putShort(out, 8, Integer.numberOfTrailingZeros(power));
    putShort(out, 10, tableCount * 16 - power * 16);
    int entry = 12;
    int offset = directory;
    int headOffset = 0;
    for (int t = 0; t < tags.length; t++) {
      byte[] d = data[t];
      if (d == null) {
        continue;
      }
      for (int k = 0; k < 4; k++) {
        out[entry + k] = (byte) tags[t].charAt(k);
      }
      System.arraycopy(d, 0, out, offset, d.length);
      putInt(out, entry + 4, checksum(out, offset, pad4(d.length)));
      putInt(out, entry + 8, offset);
      putInt(out, entry + 12, d.length);
      if (tags[t].equals("head")) {
        headOffset = offset;
      }
      entry += 16;
      offset += pad4(d.length);
    }
    putInt(out, headOffset + 8, (int) (0xB1B0AFBAL - (checksum(out, 0, out.length) & 0xFFFFFFFFL)));
    return out;
  }

  /** Gives every component of a composite glyph a CID (appended, never shown). */
  private void addComponents(int glyph) {
    int offset = font.glyphOffset(glyph);
    byte[] file = font.file;
    if (font.glyphLength(glyph) == 0 || (short) readShort(file, offset) >= 0) {
      return;
    }
    int p = offset + 10;
    int flags;
    do {
      flags = readShort(file, p);
      int component = readShort(file, p + 2);
      if (cids[component] == 0) {
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
      putShort(glyf, p + 2, cids[component] - 1);
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

  private static int checksum(byte[] b, int offset, int length) {
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
