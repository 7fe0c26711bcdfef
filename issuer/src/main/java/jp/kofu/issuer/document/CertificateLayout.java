package jp.kofu.issuer.document;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import jp.kofu.issuer.spi.CertificateType;

/**
 * The page layout all kofu certificates share: an A4 portrait page on the anti-forgery background
 * ({@link Background}) with a title, ruled tables of labelled cells (or the two-column form of a
 * family register), the certifying block with the official seal (公印) and the verification QR code,
 * and a footer with the document number and page numbers on every page. The result is PDF/A-2b
 * ({@link PdfA}). A renderer for one certificate type says what goes where
 * ({@link #title}, {@link #block}, {@link #certification}); this class decides how it looks and
 * breaks pages.
 *
 * <p>Text that does not fit its cell is set smaller, down to a floor; below the floor the layout
 * refuses with an {@link IllegalArgumentException} that names the field, never its content. So
 * does text with a character the font cannot print (a 外字).
 *
 * <p>The drawing goes straight into content-stream bytes ({@link PageContent}) and the file is
 * written by {@link CertificatePdf}: no PDFBox document model per certificate.
 *
 * <p>Not thread-safe: one instance renders one document.
 */
final class CertificateLayout {

  private static final float POINTS_PER_MM = 1 / (10 * 2.54f) * 72;
  /** A4 (210 × 297 mm) in points, computed as PDFBox's PDRectangle.A4. */
  static final float PAGE_WIDTH = 210 * POINTS_PER_MM;
  static final float PAGE_HEIGHT = 297 * POINTS_PER_MM;
  static final float MARGIN_X = 48;
  static final float TABLE_WIDTH = PAGE_WIDTH - 2 * MARGIN_X;
  private static final float TOP = PAGE_HEIGHT - 54;
  private static final float BOTTOM = 66;
  private static final float FOOTER_BASELINE = 34;

  private static final float TITLE_SIZE = 22;
  private static final float HEADING_SIZE = 11;
  private static final float VALUE_SIZE = 10.5f;
  private static final float VALUE_FLOOR = 6.5f;
  private static final float LABEL_SIZE = 8.5f;
  private static final float LABEL_FLOOR = 5.5f;
  private static final float RUBY_SIZE = 6.5f;
  private static final float RUBY_FLOOR = 5;
  private static final float FOOTER_SIZE = 8;
  private static final float CERTIFY_SIZE = 11.5f;
  private static final float MAYOR_SIZE = 15;
  private static final float MAYOR_FLOOR = 10;

  private static final float ROW_HEIGHT = 21;
  private static final float RUBY_ROW_HEIGHT = 31;
  private static final float FIRST_LABEL_WIDTH = 74;
  private static final float MIN_LABEL_WIDTH = 38;
  private static final float PADDING = 4;
  private static final float SEAL_SIZE = 62;
  private static final float CERTIFICATION_HEIGHT = 150;
  private static final float QR_SIZE = 62;
  static final int QR_MASK = 2;
  private static final float REGISTER_ROW = 15.5f;
  private static final float REGISTER_LABEL_WIDTH = 128;
  private static final float REGISTER_SIZE = 10;
  private static final float IMPRESSION_BOX = 150;

  // The CJK ideographic em box sits from -0.12 to 0.88 em around the baseline (BIZ UDMincho's
  // hhea ascender/descender); centring text in a cell centres this box.
  private static final float EM_DESCENT = 0.12f;
  private static final float EM_CENTRE = 0.38f;

  private static final float[] SEAL_RED = {0.84f, 0.11f, 0.09f};
  private static final float LABEL_SHADE = 0.93f;

  private final CertificateFonts fonts;
  private final CertificatePdf document;
  private final DocumentMeta meta;
  private final MunicipalityIdentity municipality;
  private final VerificationLink link;
  private PageContent content;
  private java.util.function.Consumer<String> shown = text -> {};
  private float y;
  private String continuationHeading;

  CertificateLayout(CertificateFonts fonts, DocumentMeta meta, MunicipalityIdentity municipality, VerificationLink link) {
    this.meta = Objects.requireNonNull(meta, "meta");
    this.municipality = Objects.requireNonNull(municipality, "municipality");
    this.link = Objects.requireNonNull(link, "link");
    this.fonts = Objects.requireNonNull(fonts, "fonts");
    this.document = new CertificatePdf(fonts, municipality.fullName());
  }

  /** One labelled cell of a ruled row; {@code field} names it in errors (never the value). */
  record Cell(String field, String label, String value, float weight, String ruby, boolean alignRight) {
    Cell {
      Objects.requireNonNull(field, "field");
      Objects.requireNonNull(label, "label");
      if (weight <= 0) {
        throw new IllegalArgumentException("weight: " + weight + " (expected: > 0)");
      }
    }

    static Cell of(String field, String label, String value, float weight) {
      return new Cell(field, label, value, weight, null, false);
    }

    /** A cell whose value is an amount: set flush right, as figures are in a column. */
    static Cell amount(String field, String label, String value, float weight) {
      return new Cell(field, label, value, weight, null, true);
    }

    /** The same cell with a reading (ふりがな) printed small above the value. */
    Cell withRuby(String reading) {
      return new Cell(field, label, value, weight, reading, alignRight);
    }

    Cell withWeight(float newWeight) {
      return new Cell(field, label, value, newWeight, ruby, alignRight);
    }

    String rubyField() {
      return field + "Kana";
    }
  }

  /** One line of a ruled table: cells side by side, their widths in proportion to their weights. */
  record Row(List<Cell> cells) {
    Row {
      cells = List.copyOf(cells);
      if (cells.isEmpty()) {
        throw new IllegalArgumentException("cells: empty (expected: at least one)");
      }
    }

    Row(Cell... cells) {
      this(List.of(cells));
    }

    float height() {
      return cells.stream().anyMatch(c -> c.ruby() != null) ? RUBY_ROW_HEIGHT : ROW_HEIGHT;
    }
  }

  /**
   * The certifying block: the sentence, the date of issue and the certifier, whose name the
   * official seal 「{mayorTitle}之印」 overlaps.
   */
  record Certification(String sentence, String date, String mayorTitle, String mayorName) {
    Certification {
      Objects.requireNonNull(sentence, "sentence");
      Objects.requireNonNull(date, "date");
      Objects.requireNonNull(mayorTitle, "mayorTitle");
      Objects.requireNonNull(mayorName, "mayorName");
    }
  }

  /** The document's title, centred on the first page; later pages repeat it as 「…（続き）」. */
  void title(String text) {
    ensurePage();
    float size = fit("title", text, TABLE_WIDTH, TITLE_SIZE, HEADING_SIZE);
    y -= size;
    show(text, (PAGE_WIDTH - width(text, size)) / 2, y + EM_DESCENT * size, size);
    y -= 20;
    continuationHeading = text + "（続き）";
  }

  /**
   * A ruled table block, kept on one page: when it does not fit below what is already there, it
   * starts the next page.
   */
  void block(List<Row> rows) {
    if (rows.isEmpty()) {
      return;
    }
    List<PlacedCell> placed = new ArrayList<>();
    float height = 0;
    for (Row row : rows) {
      placed.addAll(place(row, height, MARGIN_X, TABLE_WIDTH, row.height()));
      height += row.height();
    }
    if (height > TOP - BOTTOM - 2 * HEADING_SIZE) {
      throw new IllegalArgumentException("block: " + rows.size() + " rows do not fit on one page");
    }
    ensureRoom(height);
    float top = y;
    drawCells(placed, top);
    content.setLineWidth(1.2f);
    content.addRect(MARGIN_X, top - height, TABLE_WIDTH, height);
    content.stroke();
    y = top - height;
  }

  /** Shaded labels, values and the rules between cells. */
  private void drawCells(List<PlacedCell> placed, float top) {
    content.setNonStrokingGray(LABEL_SHADE);
    for (PlacedCell c : placed) {
      content.addRect(c.x, top - c.top - c.height, c.labelWidth, c.height);
    }
    content.fill();
    content.setNonStrokingGray(0f);
    for (PlacedCell c : placed) {
      drawCellText(c, top);
    }
    content.setStrokingGray(0f);
    content.setLineWidth(0.5f);
    for (PlacedCell c : placed) {
      float bottom = top - c.top - c.height;
      if (c.x > MARGIN_X) {
        line(c.x, bottom, c.x, bottom + c.height);
      }
      line(c.x + c.labelWidth, bottom, c.x + c.labelWidth, bottom + c.height);
      line(c.x, bottom, c.x + c.width, bottom);
    }
  }

  /** A small heading above the next table, e.g. 所得の内訳. */
  void heading(String text) {
    ensureRoom(HEADING_SIZE + 8 + ROW_HEIGHT);
    y -= HEADING_SIZE + 6;
    show(text, MARGIN_X + 2, y + EM_DESCENT * HEADING_SIZE, HEADING_SIZE);
    y -= 3;
  }

  /** Vertical space before the next block. */
  void gap(float points) {
    ensurePage();
    y -= points;
  }

  /**
   * A ruled block with an image box on the left, e.g. the registered seal impression (印影): the
   * image at its true size, {@code sizePt} wide, centred in the box; {@code rows} to its right.
   */
  void imageBlock(String label, byte[] png, float sizePt, List<Row> rows) {
    float rowsHeight = 0;
    for (Row row : rows) {
      rowsHeight += row.height();
    }
    float height = Math.max(IMPRESSION_BOX, rowsHeight);
    float scale = height / rowsHeight;
    List<PlacedCell> placed = new ArrayList<>();
    float rowTop = 0;
    for (Row row : rows) {
      placed.addAll(place(row, rowTop, MARGIN_X + IMPRESSION_BOX, TABLE_WIDTH - IMPRESSION_BOX, row.height() * scale));
      rowTop += row.height() * scale;
    }
    ensureRoom(height);
    float top = y;
    CertificatePdf.Image image = document.addImage(png);
    drawCells(placed, top);
    show(label, MARGIN_X + PADDING + 2, top - PADDING - (1 - EM_DESCENT) * LABEL_SIZE, LABEL_SIZE);
    float w = sizePt;
    float h = sizePt * image.height() / image.width();
    content.drawImage(image.name(), MARGIN_X + (IMPRESSION_BOX - w) / 2, top - height / 2 - h / 2, w, h);
    content.setLineWidth(0.5f);
    line(MARGIN_X + IMPRESSION_BOX, top - height, MARGIN_X + IMPRESSION_BOX, top);
    content.setLineWidth(1.2f);
    content.addRect(MARGIN_X, top - height, TABLE_WIDTH, height);
    content.stroke();
    y = top - height;
  }

  // ---- the two-column form of a family register

  /** How a register row is separated from the one above it. */
  enum Rule {
    NONE,
    THIN,
    THICK
  }

  /**
   * One line of a family register: a label in the left column (indented one step when {@code
   * indent}), the text in the right; {@code boxedLabel} draws the label framed, as the 除籍 mark.
   */
  record RegisterRow(String label, boolean indent, boolean boxedLabel, String field, String text, Rule rule) {
    RegisterRow {
      Objects.requireNonNull(rule, "rule");
    }
  }

  /**
   * The family-register form: groups of rows (the 本籍/氏名 head, the 戸籍事項, each person) in a
   * frame whose left column holds the labels. A group is kept on one page when it fits on one;
   * otherwise it continues on the next, and the frame is closed and opened at the break.
   */
  void register(List<List<RegisterRow>> groups) {
    ensureRoom(2 * REGISTER_ROW);
    float frameTop = y;
    for (List<RegisterRow> group : groups) {
      float height = group.size() * REGISTER_ROW;
      if (y - height < BOTTOM && height <= TOP - BOTTOM - 2 * HEADING_SIZE && y < frameTop) {
        closeFrame(frameTop);
        newPage();
        frameTop = y;
      }
      for (RegisterRow row : group) {
        if (y - REGISTER_ROW < BOTTOM) {
          closeFrame(frameTop);
          newPage();
          frameTop = y;
        }
        drawRegisterRow(row, y < frameTop);
        y -= REGISTER_ROW;
      }
    }
    closeFrame(frameTop);
  }

  private void drawRegisterRow(RegisterRow row, boolean ruleAllowed) {
    float top = y;
    float baseline = top - REGISTER_ROW / 2 - EM_CENTRE * REGISTER_SIZE;
    if (ruleAllowed && row.rule() != Rule.NONE) {
      content.setLineWidth(row.rule() == Rule.THICK ? 0.9f : 0.35f);
      line(MARGIN_X, top, MARGIN_X + TABLE_WIDTH, top);
    }
    if (row.label() != null && !row.label().isEmpty()) {
      float x = MARGIN_X + 6 + (row.indent() ? 2 * REGISTER_SIZE : 0);
      float room = MARGIN_X + REGISTER_LABEL_WIDTH - 4 - x;
      float size = fit("registerLabel", row.label(), room, REGISTER_SIZE, LABEL_FLOOR);
      show(row.label(), x, baseline, size);
      if (row.boxedLabel()) {
        content.setLineWidth(0.6f);
        content.addRect(x - 2, baseline - EM_DESCENT * size - 1.5f, width(row.label(), size) + 4, size + 3);
        content.stroke();
      }
    }
    if (row.text() != null && !row.text().isEmpty()) {
      float x = MARGIN_X + REGISTER_LABEL_WIDTH + 6;
      float room = MARGIN_X + TABLE_WIDTH - 4 - x;
      float size = fit(row.field(), row.text(), room, REGISTER_SIZE, VALUE_FLOOR);
      show(row.text(), x, baseline, size);
    }
  }

  private void closeFrame(float frameTop) {
    if (frameTop <= y) {
      return;
    }
    content.setLineWidth(0.5f);
    line(MARGIN_X + REGISTER_LABEL_WIDTH, y, MARGIN_X + REGISTER_LABEL_WIDTH, frameTop);
    content.setLineWidth(1.2f);
    content.addRect(MARGIN_X, y, TABLE_WIDTH, frameTop - y);
    content.stroke();
  }

  /** A short right-aligned remark below the last table, e.g. 以下余白 (the rest is blank). */
  void note(String text) {
    ensureRoom(LABEL_SIZE + 8);
    y -= LABEL_SIZE + 6;
    show(text, MARGIN_X + TABLE_WIDTH - width(text, LABEL_SIZE), y, LABEL_SIZE);
  }

  /** The certifying block with the official seal; starts a new page when the last one is full. */
  void certification(Certification c) {
    float sentenceSize = fit("certification", c.sentence(), TABLE_WIDTH - 24, CERTIFY_SIZE, VALUE_FLOOR);
    float dateSize = fit("issueDate", c.date(), TABLE_WIDTH - 24, CERTIFY_SIZE, VALUE_FLOOR);
    String certifier = c.mayorTitle() + "　" + c.mayorName();
    float certifierRight = MARGIN_X + TABLE_WIDTH - SEAL_SIZE * 0.7f;
    float mayorSize = fit("mayor", certifier, certifierRight - MARGIN_X - 24, MAYOR_SIZE, MAYOR_FLOOR);
    requirePrintable("mayorTitle", c.mayorTitle() + "之印");

    ensureRoom(CERTIFICATION_HEIGHT);
    y -= 34;
    show(c.sentence(), MARGIN_X + 24, y, sentenceSize);
    y -= 30;
    show(c.date(), MARGIN_X + 24, y, dateSize);
    y -= 52;
    float nameEnd = certifierRight;
    show(certifier, nameEnd - width(certifier, mayorSize), y, mayorSize);
    // Real seals are stamped over the end of the certifier's name.
    seal(c.mayorTitle() + "之印", nameEnd - mayorSize * 0.6f + SEAL_SIZE * 0.32f, y + EM_CENTRE * mayorSize);
    if (meta.verificationCode() != null) {
      qr(link.forDocument(meta.documentNumber(), meta.verificationCode()), MARGIN_X + 24, y - SEAL_SIZE / 2 + 4);
    }
    y -= SEAL_SIZE / 2;
  }

  /**
   * The verification QR code, drawn as vector modules (crisp at any printer resolution), with
   * the code beneath it for those who type.
   */
  private void qr(String text, float left, float bottom) {
    // The modules ZXing would place, without its Reed–Solomon polynomial objects (QrModules);
    // ZXing itself for a text QrModules does not take.
    QrModules modules = QrModules.encode(text, ErrorCorrectionLevel.M, QR_MASK);
    BitMatrix matrix = null;
    if (modules == null) {
      try {
        matrix = new QRCodeWriter().encode(
            text, BarcodeFormat.QR_CODE, 0, 0,
            Map.of(
                EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M,
                EncodeHintType.MARGIN, 0,
                // Any of the eight masks is a valid code (ISO/IEC 18004 §7.8); choosing one saves
                // trying all eight and scoring each, most of the QR code's cost.
                EncodeHintType.QR_MASK_PATTERN, QR_MASK));
      } catch (WriterException e) {
        throw new IllegalArgumentException("verification link: cannot be encoded as a QR code", e);
      }
    }
    int n = modules != null ? modules.size : matrix.getWidth();
    float module = QR_SIZE / n;
    // The four-module quiet zone of ISO/IEC 18004, kept white so the 地紋 cannot confuse a scanner.
    float quiet = 4 * module;
    float top = bottom + QR_SIZE;
    content.setNonStrokingGray(1f);
    content.addRect(left - quiet, bottom - quiet, QR_SIZE + 2 * quiet, QR_SIZE + 2 * quiet);
    content.fill();
    content.setNonStrokingGray(0f);
    for (int row = 0; row < n; row++) {
      int column = 0;
      while (column < n) {
        if (!(modules != null ? modules.dark(column, row) : matrix.get(column, row))) {
          column++;
          continue;
        }
        int run = column;
        while (run < n && (modules != null ? modules.dark(run, row) : matrix.get(run, row))) {
          run++;
        }
        content.addRect(left + column * module, top - (row + 1) * module, (run - column) * module, module);
        column = run;
      }
    }
    content.fill();
    String caption = "照合用コード";
    show(caption, left + QR_SIZE + 8, bottom + QR_SIZE - FOOTER_SIZE, FOOTER_SIZE);
    show(meta.verificationCode(), left + QR_SIZE + 8, bottom + QR_SIZE - 2.6f * FOOTER_SIZE, FOOTER_SIZE);
  }

  /**
   * Writes the footers and the document information, and returns the PDF; with a {@code signature}
   * the file carries a signature field whose /Contents is reserved for the CMS (see {@link
   * PadesSigner}). The custom Info entries (KofuBinding, …) are part of what the signature covers.
   */
  CertificatePdf.Written finish(String title, CertificateType type, MunicipalityIdentity municipality,
      CertificatePdf.SignatureReservation signature) {
    ensurePage();
    content = null;
    String left = "証明書番号　" + meta.documentNumber();
    requirePrintable("documentNumber", left);
    String right = meta.verificationCode() == null ? null : "照合番号　" + meta.verificationCode();
    if (right != null) {
      requirePrintable("verificationCode", right);
    }
    List<PageContent> pages = document.pages();
    for (int i = 0; i < pages.size(); i++) {
      content = pages.get(i);
      content.setStrokingGray(0f);
      content.setLineWidth(0.4f);
      line(MARGIN_X, FOOTER_BASELINE + 12, MARGIN_X + TABLE_WIDTH, FOOTER_BASELINE + 12);
      show(left, MARGIN_X, FOOTER_BASELINE, FOOTER_SIZE);
      String pageNumber = (i + 1) + " / " + pages.size();
      show(pageNumber, (PAGE_WIDTH - width(pageNumber, FOOTER_SIZE)) / 2, FOOTER_BASELINE, FOOTER_SIZE);
      if (right != null) {
        show(right, MARGIN_X + TABLE_WIDTH - width(right, FOOTER_SIZE), FOOTER_BASELINE, FOOTER_SIZE);
      }
    }
    content = null;
    return document.write(new CertificatePdf.Info(title, municipality.fullName(), meta, municipality.code(), type),
        signature);
  }

  // ---- cells

  private record PlacedCell(Cell cell, float x, float top, float width, float height, float labelWidth,
      float labelSize, float valueSize, float rubySize) {}

  /** Measures a row's cells (relative to the block's top) and fits their text, or refuses. */
  private List<PlacedCell> place(Row row, float rowTop, float left, float rowWidth, float rowHeight) {
    float totalWeight = 0;
    for (Cell c : row.cells()) {
      totalWeight += c.weight();
    }
    List<PlacedCell> placed = new ArrayList<>(row.cells().size());
    float x = left;
    for (int i = 0; i < row.cells().size(); i++) {
      Cell c = row.cells().get(i);
      boolean last = i == row.cells().size() - 1;
      float w = last ? left + rowWidth - x : rowWidth * c.weight() / totalWeight;
      float labelWidth =
          i == 0 ? FIRST_LABEL_WIDTH : Math.max(MIN_LABEL_WIDTH, width(c.label(), LABEL_SIZE) + 3 * PADDING);
      labelWidth = Math.min(labelWidth, w / 2);
      float labelSize = fitLabel(c.label(), labelWidth - 2 * PADDING);
      float room = w - labelWidth - 2 * PADDING;
      float valueSize = isBlank(c.value()) ? VALUE_SIZE : fit(c.field(), c.value(), room, VALUE_SIZE, VALUE_FLOOR);
      float rubySize = isBlank(c.ruby()) ? RUBY_SIZE : fit(c.rubyField(), c.ruby(), room, RUBY_SIZE, RUBY_FLOOR);
      placed.add(new PlacedCell(c, x, rowTop, w, rowHeight, labelWidth, labelSize, valueSize, rubySize));
      x += w;
    }
    return placed;
  }

  private void drawCellText(PlacedCell c, float blockTop) {
    float top = blockTop - c.top;
    float bottom = top - c.height;
    Cell cell = c.cell();
    float labelCentre = bottom + c.height / 2;
    show(cell.label(), c.x + (c.labelWidth - width(cell.label(), c.labelSize)) / 2,
        labelCentre - EM_CENTRE * c.labelSize, c.labelSize);
    float valueX = c.x + c.labelWidth + PADDING;
    float valueCentre = labelCentre;
    if (!isBlank(cell.ruby())) {
      float rubyBaseline = top - 3 - (1 - EM_DESCENT) * c.rubySize;
      show(cell.ruby(), valueX, rubyBaseline, c.rubySize);
      valueCentre = bottom + (rubyBaseline - EM_DESCENT * c.rubySize - bottom) / 2;
    }
    if (!isBlank(cell.value())) {
      if (cell.alignRight()) {
        valueX = c.x + c.width - PADDING - 2 - width(cell.value(), c.valueSize);
      }
      show(cell.value(), valueX, valueCentre - EM_CENTRE * c.valueSize, c.valueSize);
    }
  }

  // ---- the official seal

  /**
   * A square red seal, its text in vertical columns read from the right, each character stretched
   * to fill its cell as engraved seals do. Drawn with a multiply blend so the name beneath shows
   * through, as ink does on paper.
   */
  private void seal(String text, float centreX, float centreY) {
    int[] codePoints = text.codePoints().toArray();
    int n = codePoints.length;
    int columns = (int) Math.ceil(Math.sqrt(n));
    int base = n / columns;
    int extra = n % columns;
    float frame = SEAL_SIZE * 0.055f;
    float inner = SEAL_SIZE - 2 * frame - SEAL_SIZE * 0.07f;
    float left = centreX - SEAL_SIZE / 2;
    float bottom = centreY - SEAL_SIZE / 2;
    float innerLeft = centreX - inner / 2;
    float innerTop = centreY + inner / 2;
    float columnWidth = inner / columns;
    content.saveGraphicsState();
    // The seal's ink: a multiply blend at 0.92 opacity (an ExtGState every document shares).
    content.setGraphicsState(PageContent.INK);
    content.setStrokingRgb(SEAL_RED[0], SEAL_RED[1], SEAL_RED[2]);
    content.setNonStrokingRgb(SEAL_RED[0], SEAL_RED[1], SEAL_RED[2]);
    content.setLineWidth(frame);
    content.addRect(left + frame / 2, bottom + frame / 2, SEAL_SIZE - frame, SEAL_SIZE - frame);
    content.stroke();
    // Engraved seal characters are heavier than a text face: outline the glyphs as well as fill.
    content.setLineWidth(SEAL_SIZE * 0.014f);
    content.beginText();
    content.setFont(1);
    content.setRenderingMode(2); // fill and stroke
    int next = 0;
    for (int column = 0; column < columns; column++) {
      int count = base + (column < extra ? 1 : 0);
      float cellHeight = inner / count;
      float columnLeft = innerLeft + inner - (column + 1) * columnWidth;
      for (int row = 0; row < count; row++) {
        String glyph = new String(codePoints, next++, 1);
        float advance = fonts.width(glyph) / 1000;
        float scaleX = columnWidth * 0.96f / advance;
        float scaleY = cellHeight * 0.98f;
        float cellBottom = innerTop - (row + 1) * cellHeight;
        float baseline = cellBottom + (cellHeight - scaleY) / 2 + EM_DESCENT * scaleY;
        float x = columnLeft + (columnWidth - advance * scaleX) / 2;
        content.setTextMatrix(scaleX, 0, 0, scaleY, x, baseline);
        shown.accept(glyph);
        content.showText(glyph);
      }
    }
    content.endText();
    content.restoreGraphicsState();
  }

  // ---- pages and text

  private void ensurePage() {
    if (content == null) {
      newPage();
    }
  }

  private void ensureRoom(float height) {
    ensurePage();
    if (y - height < BOTTOM) {
      newPage();
    }
  }

  private void newPage() {
    content = document.newPage();
    content.drawForm(PageContent.BACKGROUND);
    y = TOP;
    if (continuationHeading != null) {
      y -= HEADING_SIZE;
      show(continuationHeading, MARGIN_X, y + EM_DESCENT * HEADING_SIZE, HEADING_SIZE);
      y -= 10;
    }
  }

  /** Tests hear every string shown (to prove that glyph substitution would change none). */
  void onShow(java.util.function.Consumer<String> listener) {
    this.shown = Objects.requireNonNull(listener, "listener");
  }

  private void show(String text, float x, float baseline, float size) {
    shown.accept(text);
    content.text(text, x, baseline, size);
  }

  private void line(float x1, float y1, float x2, float y2) {
    content.moveTo(x1, y1);
    content.lineTo(x2, y2);
    content.stroke();
  }

  /**
   * The largest size from {@code size} down to {@code floor} at which {@code text} fits into
   * {@code room}; refuses below the floor. Messages name the field and the widths, never the text.
   */
  private float fit(String field, String text, float room, float size, float floor) {
    requirePrintable(field, text);
    float perPoint = width(text, 1);
    if (perPoint * size <= room) {
      return size;
    }
    float fitted = (float) Math.floor(room / perPoint * 4) / 4;
    if (fitted >= floor) {
      return fitted;
    }
    throw new IllegalArgumentException(String.format(Locale.ROOT,
        "%s: too long for the layout (%.1fpt at the smallest size %.1fpt, room for %.1fpt)",
        field, perPoint * floor, floor, room));
  }

  private float fitLabel(String label, float room) {
    try {
      return fit("label", label, room, LABEL_SIZE, LABEL_FLOOR);
    } catch (IllegalArgumentException e) {
      // Labels are ours, not residents' data: a label that does not fit is a layout bug.
      throw new IllegalStateException("label too wide for its cell: " + label, e);
    }
  }

  private void requirePrintable(String field, String text) {
    if (!fonts.canPrint(text)) {
      throw new IllegalArgumentException(field + ": contains a character the certificate font cannot print (外字?)");
    }
  }

  private float width(String text, float size) {
    return fonts.width(text) / 1000 * size;
  }

  private static boolean isBlank(String s) {
    return s == null || s.isEmpty();
  }
}
