package jp.kofu.issuer.document;

import java.awt.Font;
import java.awt.Shape;
import java.awt.font.FontRenderContext;
import java.awt.geom.PathIterator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * The anti-forgery background (地紋) of every page: a pale field of fine dots, rows of micro-text
 * repeating the municipality's name, and the warning word 「複写」 hidden in the field.
 *
 * <p>The word is drawn with dots twice as far apart and twice as large as the field's, so both
 * cover the same share of the paper and look like one even tint. A copier reproduces the large
 * dots but drops the fine ones (they are below its resolution), so on a photocopy the word stands
 * out of a paler field: the usual technique of Japanese certificate paper (DOMAIN.md §5), drawn
 * here in vector form so that the municipality's printer produces it on plain paper.
 *
 * <p>The micro-text and the word are glyph outlines, not text: a text extractor, a screen reader
 * or a copy-and-paste sees the certificate's content only, never thousands of background words.
 *
 * <p>Speed: a page carries thousands of dots and glyphs, so the drawing is written once per
 * municipality name as PDF objects: the page field (a form XObject), the word (a form drawn
 * eight times) and the micro-text (a tiling pattern of two rows of the name). They are part of
 * the prefix every document of the municipality copies as bytes ({@link CertificatePdf}), and
 * every page draws the field with one {@code Do}. Dots and micro-text are
 * tiling patterns, so a viewer rasterizes one tile and repeats it, and a text extractor, which
 * never opens a pattern, is not slowed by them.
 */
final class Background {
  /** The hidden warning word. */
  static final String WARNING_WORD = "複写";

  private static final String MICRO = "PM";
  private static final String WORD = "KW";
  private static final String FINE = "PF";
  private static final String COARSE = "PC";
  // Tint of the field: a pale blue-green, as on most municipal security paper.
  private static final String TINT = "0.55 0.76 0.81";
  private static final String MICRO_TINT = "0.56 0.73 0.79";
  private static final float FINE_STEP = 1.2f;
  private static final float FINE_DOT = 0.36f;
  // Same coverage (dot area / cell area) as the fine field: (0.72 / 2.4)^2 = (0.36 / 1.2)^2.
  private static final float COARSE_STEP = 2.4f;
  private static final float COARSE_DOT = 0.72f;
  private static final float MICRO_SIZE = 1.9f;
  private static final float MICRO_PITCH = 21f;
  private static final float WORD_SIZE = 96f;
  private static final float FIELD_MARGIN = 18f;
  private static final FontRenderContext FRC = new FontRenderContext(null, true, true);

  private Background() {}

  private record Outline(byte[] deflated, float width, float height) {}

  /**
   * Writes the background of {@code municipalityName} into {@code file} as five objects: the page
   * field (a form XObject, object {@code first}, drawn by every page), the micro-text pattern
   * ({@code first + 1}), the word's form ({@code first + 2}) and the fine and coarse dot patterns
   * ({@code first + 3}, {@code first + 4}). Called once per municipality: the result is part of
   * the document prefix that every document of the municipality copies as bytes.
   */
  static void write(PdfFile file, int first, String municipalityName) {
    Outline name = outline(municipalityName + "　", MICRO_SIZE);
    Outline word = outline(WARNING_WORD, WORD_SIZE);
    byte[] field = field(word);
    float h = CertificateLayout.PAGE_HEIGHT;
    file.rawStream(first,
        "/Type /XObject /Subtype /Form /FormType 1 " + bbox(CertificateLayout.PAGE_WIDTH, h)
            + " /Resources << /Pattern << /" + MICRO + " " + (first + 1) + " 0 R /" + FINE + " " + (first + 3)
            + " 0 R /" + COARSE + " " + (first + 4) + " 0 R >> /XObject << /" + WORD + " " + (first + 2)
            + " 0 R >> >> /Filter /FlateDecode",
        field, field.length);
    byte[] micro = micro(name);
    float tileHeight = 2 * MICRO_PITCH;
    file.rawStream(first + 1,
        "/Type /Pattern /PatternType 1 /PaintType 1 /TilingType 1 /BBox [0 0 " + fmt(name.width()) + " "
            + fmt(tileHeight) + "] /XStep " + fmt(name.width()) + " /YStep " + fmt(tileHeight)
            + " /Resources << >> /Filter /FlateDecode",
        micro, micro.length);
    file.rawStream(first + 2,
        "/Type /XObject /Subtype /Form /FormType 1 " + bbox(word.width(), word.height())
            + " /Resources << >> /Filter /FlateDecode",
        word.deflated(), word.deflated().length);
    dots(file, first + 3, FINE_STEP, FINE_DOT);
    dots(file, first + 4, COARSE_STEP, COARSE_DOT);
  }

  /** Outlines reach a little below the baseline (origin) and beyond the advance. */
  private static String bbox(float width, float height) {
    return "/BBox [" + fmt(-0.5f * height) + " " + fmt(-0.5f * height) + " " + fmt(width + 0.5f * height) + " "
        + fmt(1.5f * height) + "]";
  }

  /** A tiling pattern of one square dot per cell, in the field's tint. */
  private static void dots(PdfFile file, int number, float step, float dot) {
    byte[] content = (TINT + " rg 0 0 " + fmt(dot) + " " + fmt(dot) + " re f\n").getBytes(StandardCharsets.US_ASCII);
    file.rawStream(number,
        "/Type /Pattern /PatternType 1 /PaintType 1 /TilingType 1 /BBox [0 0 " + fmt(step) + " " + fmt(step)
            + "] /XStep " + fmt(step) + " /YStep " + fmt(step) + " /Resources << >>",
        content, content.length);
  }

  /** The page field: fine dots, the hidden word in coarse dots, the micro-text rows. */
  private static byte[] field(Outline word) {
    float width = CertificateLayout.PAGE_WIDTH;
    float height = CertificateLayout.PAGE_HEIGHT;
    float fieldWidth = width - 2 * FIELD_MARGIN;
    float fieldHeight = height - 2 * FIELD_MARGIN;
    StringBuilder s = new StringBuilder(64 * 1024);
    String field = fmt(FIELD_MARGIN) + " " + fmt(FIELD_MARGIN) + " " + fmt(fieldWidth) + " " + fmt(fieldHeight) + " re";
    s.append("q /Pattern cs /").append(FINE).append(" scn ").append(field).append(" f Q\n");
    // The hidden word: knocked out of the fine field, then filled with the coarse dots. The word's
    // form sets no colour, so it paints in whatever fill is current: white, then the pattern.
    s.append("q ").append(field).append(" W n\n");
    double angle = Math.toRadians(28);
    float cos = (float) Math.cos(angle);
    float sin = (float) Math.sin(angle);
    StringBuilder words = new StringBuilder();
    for (int row = 0; row < 4; row++) {
      for (int column = 0; column < 2; column++) {
        float cx = width * (column == 0 ? 0.29f : 0.71f);
        float cy = height * (0.14f + 0.235f * row);
        float x = cx - cos * word.width() / 2 + sin * WORD_SIZE * 0.38f;
        float y = cy - sin * word.width() / 2 - cos * WORD_SIZE * 0.38f;
        words.append("q ").append(fmt(cos)).append(' ').append(fmt(sin)).append(' ').append(fmt(-sin)).append(' ')
            .append(fmt(cos)).append(' ').append(fmt(x)).append(' ').append(fmt(y)).append(" cm /").append(WORD)
            .append(" Do Q\n");
      }
    }
    s.append("1 1 1 rg\n").append(words);
    s.append("/Pattern cs /").append(COARSE).append(" scn\n").append(words);
    // Micro-text rows: the municipality's name, too small to reproduce legibly.
    s.append("/Pattern cs /").append(MICRO).append(" scn ").append(field).append(" f\n");
    s.append("Q\n");
    return deflate(s.toString().getBytes(StandardCharsets.US_ASCII));
  }

  /** The micro-text tile: the name on the lower row, and offset by half a name on the upper. */
  private static byte[] micro(Outline name) {
    byte[] path = inflate(name.deflated());
    String glyphs = new String(path, StandardCharsets.US_ASCII);
    float w = name.width();
    StringBuilder s = new StringBuilder(glyphs.length() * 3 + 256);
    s.append(MICRO_TINT).append(" rg\n");
    float[][] at = {{0, 4}, {-w / 2, 4 + MICRO_PITCH}, {w / 2, 4 + MICRO_PITCH}};
    for (float[] p : at) {
      s.append("q 1 0 0 1 ").append(fmt(p[0])).append(' ').append(fmt(p[1])).append(" cm\n").append(glyphs).append("Q\n");
    }
    return deflate(s.toString().getBytes(StandardCharsets.US_ASCII));
  }

  private static byte[] inflate(byte[] deflated) {
    try (var in = new java.util.zip.InflaterInputStream(new java.io.ByteArrayInputStream(deflated))) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The glyph outlines of {@code text} at {@code size}, baseline at the origin, as a filled path. */
  private static Outline outline(String text, float size) {
    Font font = SealImpressions.typeface().deriveFont(size);
    Shape shape = font.createGlyphVector(FRC, text).getOutline();
    float advance = (float) font.getStringBounds(text, FRC).getWidth();
    StringBuilder s = new StringBuilder(16 * 1024);
    float[] c = new float[6];
    float lastX = 0;
    float lastY = 0;
    for (PathIterator it = shape.getPathIterator(null); !it.isDone(); it.next()) {
      // Java2D's y axis points down; PDF's points up.
      switch (it.currentSegment(c)) {
        case PathIterator.SEG_MOVETO -> {
          s.append(fmt(c[0])).append(' ').append(fmt(-c[1])).append(" m\n");
          lastX = c[0];
          lastY = c[1];
        }
        case PathIterator.SEG_LINETO -> {
          s.append(fmt(c[0])).append(' ').append(fmt(-c[1])).append(" l\n");
          lastX = c[0];
          lastY = c[1];
        }
        case PathIterator.SEG_QUADTO -> {
          // A quadratic Bézier as the cubic PDF draws: control points at 2/3 towards the quad's.
          float x1 = lastX + 2f / 3 * (c[0] - lastX);
          float y1 = lastY + 2f / 3 * (c[1] - lastY);
          float x2 = c[2] + 2f / 3 * (c[0] - c[2]);
          float y2 = c[3] + 2f / 3 * (c[1] - c[3]);
          s.append(fmt(x1)).append(' ').append(fmt(-y1)).append(' ').append(fmt(x2)).append(' ').append(fmt(-y2))
              .append(' ').append(fmt(c[2])).append(' ').append(fmt(-c[3])).append(" c\n");
          lastX = c[2];
          lastY = c[3];
        }
        case PathIterator.SEG_CUBICTO -> {
          s.append(fmt(c[0])).append(' ').append(fmt(-c[1])).append(' ').append(fmt(c[2])).append(' ')
              .append(fmt(-c[3])).append(' ').append(fmt(c[4])).append(' ').append(fmt(-c[5])).append(" c\n");
          lastX = c[4];
          lastY = c[5];
        }
        case PathIterator.SEG_CLOSE -> s.append("h\n");
        default -> throw new IllegalStateException("unknown path segment");
      }
    }
    s.append(shape.getPathIterator(null).getWindingRule() == PathIterator.WIND_EVEN_ODD ? "f*\n" : "f\n");
    return new Outline(deflate(s.toString().getBytes(StandardCharsets.US_ASCII)), advance, size);
  }

  private static byte[] deflate(byte[] data) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(data.length / 8);
    try (DeflaterOutputStream out = new DeflaterOutputStream(bytes, new Deflater(Deflater.BEST_COMPRESSION))) {
      out.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static String fmt(float v) {
    return String.format(Locale.ROOT, "%.3f", v);
  }
}
