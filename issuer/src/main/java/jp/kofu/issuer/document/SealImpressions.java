package jp.kofu.issuer.document;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontFormatException;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.font.FontRenderContext;
import java.awt.font.GlyphVector;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/**
 * Draws a plausible round 実印 impression (the seal a resident registers) as a PNG: a thick ring,
 * the engraved characters in vertical columns read from the right, each stretched to fill its
 * cell as seal engravers do, in vermilion 朱肉 ink with the slight unevenness of a real stamp. For
 * seeding synthetic residents' registrations; the same text always gives the same image, so a
 * seeded registry can be rebuilt byte for byte.
 *
 * <p>Thread-safe. Uses the certificate typeface (BIZ UDMincho) through Java2D, headless.
 */
public final class SealImpressions {
  private static final String MINCHO = "/jp/kofu/issuer/fonts/BIZUDMincho-Regular.ttf";
  private static final Color VERMILION = new Color(0xD0, 0x2A, 0x1E);
  private static final FontRenderContext FRC = new FontRenderContext(null, true, true);

  private SealImpressions() {}

  /**
   * The impression of {@code engraved} (usually the surname, or the full name without spaces,
   * at most 6 characters) as a square PNG of {@code pixels} × {@code pixels}, transparent outside
   * the ink.
   *
   * @throws IllegalArgumentException when the text is empty, longer than 6 characters, or has a
   *     character the typeface lacks; the message never quotes the text
   */
  public static byte[] png(String engraved, int pixels) {
    Objects.requireNonNull(engraved, "engraved");
    String text = engraved.replace(" ", "").replace("　", "");
    int[] codePoints = text.codePoints().toArray();
    if (codePoints.length == 0 || codePoints.length > 6) {
      throw new IllegalArgumentException("engraved: " + codePoints.length + " characters (expected: 1..6)");
    }
    if (pixels < 64 || pixels > 2048) {
      throw new IllegalArgumentException("pixels: " + pixels + " (expected: 64..2048)");
    }
    Font font = typeface();
    if (font.canDisplayUpTo(text) != -1) {
      throw new IllegalArgumentException("engraved: contains a character the seal typeface cannot draw");
    }
    BufferedImage image = new BufferedImage(pixels, pixels, BufferedImage.TYPE_INT_ARGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
      g.setColor(VERMILION);
      double size = pixels;
      double ring = size * 0.055;
      double margin = size * 0.02;
      g.setStroke(new BasicStroke((float) ring));
      g.draw(new Ellipse2D.Double(margin + ring / 2, margin + ring / 2, size - 2 * margin - ring, size - 2 * margin - ring));

      // The characters fill the square inscribed in the inner circle, a little widened: seal
      // engravers stretch the outer strokes to meet the ring.
      double innerRadius = size / 2 - margin - ring - size * 0.03;
      double half = innerRadius * 0.80;
      double left = size / 2 - half;
      double top = size / 2 - half;
      double box = 2 * half;
      int n = codePoints.length;
      int columns = n <= 2 ? 1 : (int) Math.ceil(Math.sqrt(n));
      int base = n / columns;
      int extra = n % columns;
      double columnWidth = box / columns;
      g.setStroke(new BasicStroke((float) (size * 0.012), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
      int next = 0;
      for (int column = 0; column < columns; column++) {
        int count = base + (column < extra ? 1 : 0);
        double cellHeight = box / count;
        double columnLeft = left + box - (column + 1) * columnWidth;
        for (int row = 0; row < count; row++) {
          String glyph = new String(codePoints, next++, 1);
          Shape outline = fitted(font, glyph, columnLeft, top + row * cellHeight, columnWidth, cellHeight);
          g.fill(outline);
          g.draw(outline);
        }
      }
    } finally {
      g.dispose();
    }
    wear(image, text);
    return encode(image);
  }

  /**
   * A glyph's outline scaled so that its em box fills the cell: the glyph is stretched as the
   * cell is (a tall cell for two characters in one column), but a flat character such as 一 stays
   * a stroke instead of growing into a block.
   */
  private static Shape fitted(Font font, String glyph, double x, double y, double w, double h) {
    GlyphVector vector = font.createGlyphVector(FRC, glyph);
    Shape outline = vector.getOutline();
    double em = font.getSize2D();
    double advance = vector.getGlyphMetrics(0).getAdvance();
    // BIZ UDMincho's ideographic em box: 0.88 em above the baseline, 0.12 below.
    double gutter = 0.02;
    double sx = w * (1 - 2 * gutter) / advance;
    double sy = h * (1 - 2 * gutter) / em;
    AffineTransform t = new AffineTransform();
    t.translate(x + w * gutter, y + h * gutter);
    t.scale(sx, sy);
    t.translate(0, 0.88 * em);
    return t.createTransformedShape(outline);
  }

  /**
   * Uneven ink: a stamp never prints solid. Thins the ink in soft blotches and drops a few
   * specks, seeded by the text so the result is reproducible.
   */
  private static void wear(BufferedImage image, String text) {
    SplittableRandom random = new SplittableRandom(seed(text));
    int w = image.getWidth();
    int h = image.getHeight();
    int blotches = 7;
    double[][] centres = new double[blotches][3];
    for (double[] c : centres) {
      c[0] = random.nextDouble() * w;
      c[1] = random.nextDouble() * h;
      c[2] = (0.12 + random.nextDouble() * 0.18) * w;
    }
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int argb = image.getRGB(x, y);
        int alpha = argb >>> 24;
        if (alpha == 0) {
          continue;
        }
        double thinning = 0;
        for (double[] c : centres) {
          double d = Math.hypot(x - c[0], y - c[1]) / c[2];
          if (d < 1) {
            thinning = Math.max(thinning, 0.35 * (1 - d * d));
          }
        }
        double keep = 1 - thinning - random.nextDouble() * 0.12;
        if (random.nextInt(400) == 0) {
          keep = 0.15;
        }
        int a = (int) Math.max(0, Math.min(255, Math.round(alpha * keep)));
        image.setRGB(x, y, (a << 24) | (argb & 0xFFFFFF));
      }
    }
  }

  private static long seed(String text) {
    long seed = 0x9E3779B97F4A7C15L;
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      seed = (seed ^ b) * 0x100000001B3L;
    }
    return seed;
  }

  private static byte[] encode(BufferedImage image) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(32 * 1024);
    try {
      if (!ImageIO.write(image, "png", out)) {
        throw new IllegalStateException("no PNG writer in this Java runtime");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** BIZ UDMincho for Java2D, at 100 pt; derive other sizes from it. */
  static Font typeface() {
    return Typeface.FONT;
  }

  private static final class Typeface {
    static final Font FONT = load();

    private static Font load() {
      try (InputStream in = SealImpressions.class.getResourceAsStream(MINCHO)) {
        if (in == null) {
          throw new IllegalStateException("certificate font missing from the classpath: " + MINCHO);
        }
        return Font.createFont(Font.TRUETYPE_FONT, in).deriveFont(100f);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the seal typeface", e);
      } catch (FontFormatException e) {
        throw new IllegalStateException("cannot read the seal typeface", e);
      }
    }
  }
}
