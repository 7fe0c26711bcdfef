package jp.kofu.issuer.document;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.apache.pdfbox.pdmodel.graphics.form.PDFormXObject;
import org.apache.pdfbox.pdmodel.graphics.pattern.PDTilingPattern;

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
 * <p>Speed: a page carries thousands of dots and glyphs, so the drawing is prepared once per
 * municipality name, as the compressed bytes of one form XObject. A document copies those bytes
 * into a single form that every page draws (the dots themselves are two tiling patterns of one
 * dot each), so a page costs one {@code Do} operator.
 */
final class Background {
  /** The hidden warning word. */
  static final String WARNING_WORD = "複写";

  private static final String FONT = "KF";
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

  private static final int MAX_CACHED = 2048;
  private static final Map<String, Prepared> PREPARED = new ConcurrentHashMap<>();

  private Background() {}

  private record Prepared(byte[] deflated, int[] codePoints) {}

  /** The background form for one document of {@code municipalityName}, drawing with its {@code font}. */
  static PDFormXObject create(PDDocument document, PDType0Font font, String municipalityName) {
    Prepared prepared = prepared(font, municipalityName);
    for (int cp : prepared.codePoints()) {
      font.addToSubset(cp);
    }
    COSStream stream = document.getDocument().createCOSStream();
    try (OutputStream out = stream.createRawOutputStream()) {
      out.write(prepared.deflated());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    stream.setItem(COSName.FILTER, COSName.FLATE_DECODE);
    PDFormXObject form = new PDFormXObject(stream);
    form.setFormType(1);
    form.setBBox(new PDRectangle(CertificateLayout.PAGE_WIDTH, CertificateLayout.PAGE_HEIGHT));
    PDResources resources = new PDResources();
    resources.put(COSName.getPDFName(FONT), font);
    resources.put(COSName.getPDFName(FINE), dots(FINE_STEP, FINE_DOT));
    resources.put(COSName.getPDFName(COARSE), dots(COARSE_STEP, COARSE_DOT));
    form.setResources(resources);
    return form;
  }

  private static Prepared prepared(PDType0Font font, String municipalityName) {
    Prepared p = PREPARED.get(municipalityName);
    if (p != null) {
      return p;
    }
    p = prepare(font, municipalityName);
    if (PREPARED.size() >= MAX_CACHED) {
      PREPARED.clear();
    }
    PREPARED.put(municipalityName, p);
    return p;
  }

  /** A tiling pattern of one square dot per cell, in the field's tint. */
  private static PDTilingPattern dots(float step, float dot) {
    PDTilingPattern pattern = new PDTilingPattern();
    pattern.setPaintType(PDTilingPattern.PAINT_COLORED);
    pattern.setTilingType(PDTilingPattern.TILING_CONSTANT_SPACING);
    pattern.setBBox(new PDRectangle(step, step));
    pattern.setXStep(step);
    pattern.setYStep(step);
    pattern.setResources(new PDResources());
    String content = TINT + " rg 0 0 " + fmt(dot) + " " + fmt(dot) + " re f\n";
    try (OutputStream out = ((COSStream) pattern.getCOSObject()).createOutputStream()) {
      out.write(content.getBytes(StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return pattern;
  }

  private static Prepared prepare(PDType0Font font, String municipalityName) {
    float width = CertificateLayout.PAGE_WIDTH;
    float height = CertificateLayout.PAGE_HEIGHT;
    float fieldWidth = width - 2 * FIELD_MARGIN;
    float fieldHeight = height - 2 * FIELD_MARGIN;
    StringBuilder s = new StringBuilder(64 * 1024);
    // The fine field.
    s.append("q /Pattern cs /").append(FINE).append(" scn ")
        .append(fmt(FIELD_MARGIN)).append(' ').append(fmt(FIELD_MARGIN)).append(' ')
        .append(fmt(fieldWidth)).append(' ').append(fmt(fieldHeight)).append(" re f Q\n");
    // The hidden word: knocked out of the fine field, then filled with the coarse dots.
    s.append("q ").append(fmt(FIELD_MARGIN)).append(' ').append(fmt(FIELD_MARGIN)).append(' ')
        .append(fmt(fieldWidth)).append(' ').append(fmt(fieldHeight)).append(" re W n\n");
    String word = hex(font, WARNING_WORD);
    float wordWidth = width(font, WARNING_WORD, WORD_SIZE);
    double angle = Math.toRadians(28);
    float cos = (float) Math.cos(angle);
    float sin = (float) Math.sin(angle);
    StringBuilder words = new StringBuilder();
    for (int row = 0; row < 4; row++) {
      for (int column = 0; column < 2; column++) {
        float cx = width * (column == 0 ? 0.29f : 0.71f);
        float cy = height * (0.14f + 0.235f * row);
        // Centre the rotated word on (cx, cy).
        float x = cx - cos * wordWidth / 2 + sin * WORD_SIZE * 0.38f;
        float y = cy - sin * wordWidth / 2 - cos * WORD_SIZE * 0.38f;
        words.append(fmt(cos)).append(' ').append(fmt(sin)).append(' ').append(fmt(-sin)).append(' ')
            .append(fmt(cos)).append(' ').append(fmt(x)).append(' ').append(fmt(y)).append(" Tm ")
            .append(word).append(" Tj\n");
      }
    }
    s.append("1 1 1 rg BT /").append(FONT).append(' ').append(fmt(WORD_SIZE)).append(" Tf\n").append(words).append("ET\n");
    s.append("/Pattern cs /").append(COARSE).append(" scn BT /").append(FONT).append(' ').append(fmt(WORD_SIZE))
        .append(" Tf\n").append(words).append("ET\n");
    // Micro-text rows: the municipality's name, too small to reproduce legibly.
    String unit = municipalityName + "　";
    float unitWidth = width(font, unit, MICRO_SIZE);
    int repeats = (int) Math.ceil(fieldWidth / unitWidth) + 1;
    String row = hex(font, unit.repeat(repeats));
    s.append(MICRO_TINT).append(" rg BT /").append(FONT).append(' ').append(fmt(MICRO_SIZE)).append(" Tf\n");
    int line = 0;
    for (float y = FIELD_MARGIN + 4; y < height - FIELD_MARGIN - MICRO_SIZE; y += MICRO_PITCH, line++) {
      // Alternate rows are offset by half a name, so the rows do not form columns.
      float x = FIELD_MARGIN - (line % 2 == 0 ? 0 : unitWidth / 2);
      s.append("1 0 0 1 ").append(fmt(x)).append(' ').append(fmt(y)).append(" Tm ").append(row).append(" Tj\n");
    }
    s.append("ET Q\n");
    return new Prepared(
        deflate(s.toString().getBytes(StandardCharsets.US_ASCII)),
        (WARNING_WORD + unit).codePoints().distinct().toArray());
  }

  private static String hex(PDType0Font font, String text) {
    try {
      return "<" + HexFormat.of().formatHex(font.encode(text)) + ">";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static float width(PDType0Font font, String text, float size) {
    try {
      return font.getStringWidth(text) / 1000 * size;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
