package jp.kofu.issuer.document;

/**
 * The content stream of one page (ISO 32000-1 §8, §9.4): the few operators kofu's layout draws
 * with, written straight into bytes. Text is shown in the document's one font, {@code /F1}, each
 * character as the CID its glyph has in the document's {@link FontSubset}.
 *
 * <p>Not thread-safe: one per page being drawn.
 */
final class PageContent {
  static final String FONT = "F1";
  static final String INK = "GS1";
  static final String BACKGROUND = "Bg";

  private static final PdfBytes.Pool PAGES = new PdfBytes.Pool(64);

  final PdfBytes out = PAGES.take(16 * 1024);
  private final FontSubset subset;

  PageContent(FontSubset subset) {
    this.subset = subset;
  }

  /** Gives the content's buffer back to its pool once the page is written; unusable afterwards. */
  void release() {
    PAGES.give(out);
  }

  void drawForm(String name) {
    out.name(name).a(" Do\n");
  }

  void drawImage(String name, float x, float y, float width, float height) {
    out.a("q ").f(width).a(" 0 0 ").f(height).sp().f(x).sp().f(y).a(" cm ").name(name).a(" Do Q\n");
  }

  /** {@code BT /F1 size Tf x y Td <cids> Tj ET}: one run of text at a baseline point. */
  void text(String text, float x, float baseline, float size) {
    out.a("BT ").name(FONT).sp().f(size).a(" Tf ").f(x).sp().f(baseline).a(" Td ");
    subset.show(text, out);
    out.a(" Tj ET\n");
  }

  void beginText() {
    out.a("BT\n");
  }

  void endText() {
    out.a("ET\n");
  }

  void setFont(float size) {
    out.name(FONT).sp().f(size).a(" Tf\n");
  }

  void setTextMatrix(float a, float b, float c, float d, float e, float f) {
    out.f(a).sp().f(b).sp().f(c).sp().f(d).sp().f(e).sp().f(f).a(" Tm\n");
  }

  void showText(String text) {
    subset.show(text, out);
    out.a(" Tj\n");
  }

  /** Text rendering mode (§9.3.6): 2 fills and strokes the glyphs. */
  void setRenderingMode(int mode) {
    out.i(mode).a(" Tr\n");
  }

  void setLineWidth(float width) {
    out.f(width).a(" w\n");
  }

  void addRect(float x, float y, float width, float height) {
    out.f(x).sp().f(y).sp().f(width).sp().f(height).a(" re\n");
  }

  void moveTo(float x, float y) {
    out.f(x).sp().f(y).a(" m\n");
  }

  void lineTo(float x, float y) {
    out.f(x).sp().f(y).a(" l\n");
  }

  void fill() {
    out.a("f\n");
  }

  void stroke() {
    out.a("S\n");
  }

  void setNonStrokingGray(float gray) {
    out.f(gray).a(" g\n");
  }

  void setStrokingGray(float gray) {
    out.f(gray).a(" G\n");
  }

  void setNonStrokingRgb(float r, float g, float b) {
    out.f(r).sp().f(g).sp().f(b).a(" rg\n");
  }

  void setStrokingRgb(float r, float g, float b) {
    out.f(r).sp().f(g).sp().f(b).a(" RG\n");
  }

  void saveGraphicsState() {
    out.a("q\n");
  }

  void restoreGraphicsState() {
    out.a("Q\n");
  }

  void setGraphicsState(String name) {
    out.name(name).a(" gs\n");
  }
}
