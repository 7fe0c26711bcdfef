package jp.kofu.issuer.document;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import jp.kofu.issuer.spi.CertificateType;

/**
 * One certificate's PDF file: its pages' content, its font subset and images, written front to
 * back in one pass as PDF/A-2b, optionally with a PAdES signature field whose /Contents is
 * reserved for the CMS that {@link PadesSigner} patches in afterwards (no second save, no reload).
 *
 * <p>What is the same in every document of a municipality is a <em>prefix</em> serialised once
 * and copied as bytes: the header, the sRGB output intent and its ICC profile, the seal ink's
 * graphics state and the five objects of the 地紋 ({@link Background}). The font's descriptor
 * metrics are serialised once per process ({@link CertificateFonts}). Per document remain the
 * content streams, the subset font program with its widths and ToUnicode map, the metadata and
 * the document information.
 *
 * <p>Object numbers: the fixed ones below, then pages, their content streams, images and the
 * signature's objects as they are written. The file ends with a classic cross-reference table and
 * trailer, so that an incremental update (a DSS) can be appended after it.
 *
 * <p>Not thread-safe: one per document.
 */
final class CertificatePdf {
  static final int CATALOG = 1;
  static final int INFO = 2;
  static final int PAGES = 3;
  static final int METADATA = 4;
  static final int OUTPUT_INTENT = 5;
  static final int ICC_PROFILE = 6;
  static final int FONT = 7;
  static final int CID_FONT = 8;
  static final int DESCRIPTOR = 9;
  static final int FONT_FILE = 10;
  static final int TO_UNICODE = 11;
  static final int BACKGROUND = 12; // to 16
  static final int INK = 17;
  static final int FIRST_FREE = 18;

  /** The placeholder /ByteRange: four numbers of up to ten digits each, patched in place. */
  static final String BYTE_RANGE_PLACEHOLDER = "[0 0000000000 0000000000 0000000000]";

  /** A4 exactly as the float layout computes it (Float.toString is the shortest exact decimal). */
  private static final String MEDIA_BOX =
      "[0 0 " + Float.toString(CertificateLayout.PAGE_WIDTH) + " " + Float.toString(CertificateLayout.PAGE_HEIGHT) + "]";
  private static final int MAX_PREFIXES = 2048;
  /** The ToUnicode CMaps' buffers, lent while a document's font is written. */
  private static final PdfBytes.Pool CMAPS = new PdfBytes.Pool(32);
  private static final Map<String, PdfFile.Prefix> PREFIXES = new ConcurrentHashMap<>();

  private final CertificateFonts fonts;
  private final String municipalityName;
  private final FontSubset subset;
  private final List<PageContent> pages = new ArrayList<>(2);
  private final List<Image> images = new ArrayList<>(1);

  CertificatePdf(CertificateFonts fonts, String municipalityName) {
    this.fonts = fonts;
    this.municipalityName = municipalityName;
    this.subset = new FontSubset(fonts);
  }

  /** A new page, appended; draw on the returned content. */
  PageContent newPage() {
    PageContent page = new PageContent(subset);
    pages.add(page);
    return page;
  }

  List<PageContent> pages() {
    return pages;
  }

  /** An image drawn with {@code name}: a prepared image (its streams already compressed). */
  record Image(String name, PreparedImage prepared) {
    int width() {
      return prepared.width();
    }

    int height() {
      return prepared.height();
    }
  }

  /**
   * A decoded PNG as the PDF stores it: the colour samples (DeviceRGB, 8 bits) and, when it is
   * translucent, its alpha channel as a soft mask (DeviceGray), each a zlib stream ready to copy.
   */
  record PreparedImage(int width, int height, byte[] rgb, byte[] alpha) {}

  /**
   * Adds a PNG image. The image is decoded and compressed once per distinct PNG (a content-keyed
   * cache of {@value #MAX_IMAGES}): a resident's registered impression is the same in every
   * 印鑑登録証明書 issued until the registration changes, so only its first document pays for the
   * decoding and compression.
   *
   * @throws IllegalArgumentException when {@code png} is not a readable image
   */
  Image addImage(byte[] png) {
    Image image = new Image("Im" + (images.size() + 1), prepared(png));
    images.add(image);
    return image;
  }

  private static final int MAX_IMAGES = 256;
  private static final Map<PngKey, PreparedImage> IMAGES = new ConcurrentHashMap<>();

  /** A PNG's bytes as a map key (compared by content). */
  private record PngKey(byte[] png, int hash) {
    PngKey(byte[] png) {
      this(png, Arrays.hashCode(png));
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof PngKey k && k.hash == hash && Arrays.equals(k.png, png);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  static PreparedImage prepared(byte[] png) {
    PngKey key = new PngKey(png);
    PreparedImage image = IMAGES.get(key);
    if (image == null) {
      image = prepare(png);
      if (IMAGES.size() >= MAX_IMAGES) {
        IMAGES.clear();
      }
      IMAGES.put(new PngKey(png.clone(), key.hash), image);
    }
    return image;
  }

  /** Decodes a PNG (in memory: no ImageIO file cache) and compresses its planes. */
  private static PreparedImage prepare(byte[] png) {
    BufferedImage decoded = null;
    Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("png");
    if (readers.hasNext()) {
      ImageReader reader = readers.next();
      try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(png))) {
        reader.setInput(in, true, true);
        decoded = reader.read(0);
      } catch (IOException | RuntimeException e) {
        decoded = null;
      } finally {
        reader.dispose();
      }
    }
    if (decoded == null) {
      throw new IllegalArgumentException("impression: not a readable image");
    }
    int w = decoded.getWidth();
    int h = decoded.getHeight();
    byte[] rgb = new byte[3 * w * h];
    byte[] alpha = new byte[w * h];
    boolean translucent = false;
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      decoded.getRGB(0, y, w, 1, row, 0, w);
      for (int x = 0; x < w; x++) {
        int argb = row[x];
        int i = y * w + x;
        rgb[3 * i] = (byte) (argb >> 16);
        rgb[3 * i + 1] = (byte) (argb >> 8);
        rgb[3 * i + 2] = (byte) argb;
        alpha[i] = (byte) (argb >>> 24);
        translucent |= (argb >>> 24) != 0xFF;
      }
    }
    return new PreparedImage(w, h, zlib(rgb), translucent ? zlib(alpha) : null);
  }

  private static byte[] zlib(byte[] data) {
    PdfBytes out = new PdfBytes(data.length / 4 + 64);
    PdfFile.deflate(data, 0, data.length, out);
    return Arrays.copyOf(out.array(), out.size());
  }

  /** The document information, repeated in the XMP metadata. */
  record Info(String title, String author, DocumentMeta meta, String municipalityCode, CertificateType type) {}

  /** A signature to reserve: its signing time /M and the bytes kept for the CMS in /Contents. */
  record SignatureReservation(ZonedDateTime signingTime, int contentsBytes) {}

  /**
   * The written file; with a reserved signature, where its /ByteRange placeholder and /Contents
   * hex string ({@code <} to {@code >} inclusive) are.
   */
  record Written(byte[] pdf, int pageCount, int byteRangeAt, int contentsStart, int contentsEnd) {
    boolean reserved() {
      return contentsStart >= 0;
    }
  }

  Written write(Info info, SignatureReservation signature) {
    PdfFile.Prefix prefix = prefix(municipalityName);
    PdfFile file = new PdfFile(prefix, FIRST_FREE, prefix.bytes().length + 64 * 1024
        + (signature == null ? 0 : 2 * signature.contentsBytes() + 1024));
    PdfBytes d = new PdfBytes(512);

    // Images first: the pages' resources name them.
    String resources = "/Resources << /Font << /" + PageContent.FONT + " " + FONT + " 0 R >> /XObject << " + writeImages(file)
        + " >> /ExtGState << /" + PageContent.INK + " " + INK + " 0 R >> >>";
    int[] pageNumbers = reservePages(file);
    int widget = signature == null ? 0 : file.reserve();
    writePages(file, d, resources, pageNumbers, widget);

    writeFont(file, d);
    writeInfo(file, d, info);
    writePageTree(file, d, pageNumbers);
    int[] reserved = signature == null ? new int[] {-1, -1, -1} : writeSignature(file, d, signature, widget, pageNumbers[0]);

    d.reset();
    d.a("/Type /Catalog /Pages ").ref(PAGES).a(" /Metadata ").ref(METADATA).a(" /OutputIntents [").ref(OUTPUT_INTENT)
        .a("] /Lang (ja-JP)");
    if (widget != 0) {
      d.a(" /AcroForm << /Fields [").ref(widget).a("] /SigFlags 3 >>");
    }
    file.dictionary(CATALOG, d);

    byte[] id = id(info.meta());
    d.reset();
    d.a("/Root ").ref(CATALOG).a(" /Info ").ref(INFO).a(" /ID [").hex(id).hex(id).a("]");
    file.finish(d);
    byte[] pdf = file.out.toByteArray();
    file.release();
    for (PageContent page : pages) {
      page.release();
    }
    return new Written(pdf, pages.size(), reserved[0], reserved[1], reserved[2]);
  }

  /*
   * write() is kept short and each of its loops is a method of its own: C2 compiled the one long
   * method again and again (profile_predicate deoptimisations at its loop bounds), and once crashed
   * compiling it (Temurin 25.0.3, loop predication); bench/README.md, "Overhead".
   */

  /** Writes the images (and their alpha masks); answers the pages' /XObject entries. */
  private StringBuilder writeImages(PdfFile file) {
    StringBuilder xobjects = new StringBuilder("/").append(PageContent.BACKGROUND).append(' ').append(BACKGROUND)
        .append(" 0 R");
    for (Image image : images) {
      PreparedImage prepared = image.prepared();
      int mask = 0;
      if (prepared.alpha() != null) {
        mask = file.reserve();
        file.rawStream(mask, "/Type /XObject /Subtype /Image /Width " + image.width() + " /Height "
            + image.height() + " /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode", prepared.alpha(),
            prepared.alpha().length);
      }
      int number = file.reserve();
      file.rawStream(number, "/Type /XObject /Subtype /Image /Width " + image.width() + " /Height "
          + image.height() + " /ColorSpace /DeviceRGB /BitsPerComponent 8" + (mask == 0 ? "" : " /SMask " + mask + " 0 R")
          + " /Filter /FlateDecode", prepared.rgb(), prepared.rgb().length);
      xobjects.append(" /").append(image.name()).append(' ').append(number).append(" 0 R");
    }
    return xobjects;
  }

  private int[] reservePages(PdfFile file) {
    int[] pageNumbers = new int[pages.size()];
    for (int p = 0; p < pages.size(); p++) {
      pageNumbers[p] = file.reserve();
    }
    return pageNumbers;
  }

  /** Each page's content stream and dictionary; the first page carries the signature's widget. */
  private void writePages(PdfFile file, PdfBytes d, String resources, int[] pageNumbers, int widget) {
    for (int p = 0; p < pages.size(); p++) {
      PdfBytes content = pages.get(p).out;
      int contents = file.reserve();
      file.deflatedStream(contents, "", content.array(), content.size());
      d.reset();
      d.a("/Type /Page /Parent ").ref(PAGES).a(" /MediaBox ").a(MEDIA_BOX).sp().a(resources).a(" /Contents ")
          .ref(contents);
      if (p == 0 && widget != 0) {
        d.a(" /Annots [").ref(widget).a("]");
      }
      file.dictionary(pageNumbers[p], d);
    }
  }

  /** The XMP metadata and the document information dictionary. */
  private void writeInfo(PdfFile file, PdfBytes d, Info info) {
    ZonedDateTime created = info.meta().issuedAt();
    PdfA.writeMetadata(file, METADATA, info.title(), info.author(), "kofu issuer", "kofu", created);
    d.reset();
    d.a("/Title ").text(info.title()).a(" /Author ").text(info.author()).a(" /Creator (kofu issuer) /Producer (kofu)")
        .a(" /CreationDate ").text(date(created))
        .sp().name(DocumentMeta.INFO_BINDING).sp().text(info.meta().bindingHex())
        .sp().name(DocumentMeta.INFO_DOCUMENT_NUMBER).sp().text(info.meta().documentNumber())
        .sp().name(DocumentMeta.INFO_MUNICIPALITY_CODE).sp().text(info.municipalityCode())
        .sp().name(DocumentMeta.INFO_CERTIFICATE_TYPE).sp().text(info.type().name());
    file.dictionary(INFO, d);
  }

  private void writePageTree(PdfFile file, PdfBytes d, int[] pageNumbers) {
    d.reset();
    d.a("/Type /Pages /Count ").i(pages.size()).a(" /Kids [");
    for (int p = 0; p < pages.size(); p++) {
      d.sp().ref(pageNumbers[p]);
    }
    file.dictionary(PAGES, d.a(" ]"));
  }

  /**
   * The signature's widget, its empty appearance and its value with /ByteRange and /Contents
   * reserved; answers where the /ByteRange placeholder and the /Contents hex string are.
   */
  private static int[] writeSignature(PdfFile file, PdfBytes d, SignatureReservation signature, int widget, int firstPage) {
    int value = file.reserve();
    int appearance = file.reserve();
    // The widget is invisible (zero size) but printable and locked (/F 132), as PDF/A-2 wants of
    // every annotation; its appearance is an empty form.
    d.reset();
    d.a("/Type /Annot /Subtype /Widget /FT /Sig /T (Signature1) /Rect [0 0 0 0] /F 132 /P ").ref(firstPage)
        .a(" /V ").ref(value).a(" /AP << /N ").ref(appearance).a(" >>");
    file.dictionary(widget, d);
    file.rawStream(appearance, "/Type /XObject /Subtype /Form /BBox [0 0 0 0]", new byte[0], 0);
    PdfBytes out = file.begin(value);
    out.a("<</Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /M ")
        .text(date(signature.signingTime())).a(" /ByteRange ");
    int byteRangeAt = out.size();
    out.a(BYTE_RANGE_PLACEHOLDER).a(" /Contents ");
    int contentsStart = out.size();
    out.b('<');
    out.repeat('0', 2 * signature.contentsBytes());
    out.b('>');
    int contentsEnd = out.size();
    out.a(">>");
    file.end();
    return new int[] {byteRangeAt, contentsStart, contentsEnd};
  }

  private void writeFont(PdfFile file, PdfBytes d) {
    // The program first: building it gives composite glyphs' components their CIDs.
    FontSubset.Program program = subset.program();
    String name = subset.tag() + "+" + fonts.postScriptName;
    file.rawStream(FONT_FILE, "/Length1 " + program.length() + " /Filter /FlateDecode", program.zlib().array(),
        program.zlib().size());
    program.release();
    d.reset();
    d.a("/Type /FontDescriptor /FontName ").name(name).sp().raw(fonts.descriptorEntries).a(" /FontFile2 ")
        .ref(FONT_FILE);
    file.dictionary(DESCRIPTOR, d);
    d.reset();
    d.a("/Type /Font /Subtype /CIDFontType2 /BaseFont ").name(name)
        .a(" /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor ")
        .ref(DESCRIPTOR).a(" /CIDToGIDMap /Identity /W ");
    subset.widths(d);
    file.dictionary(CID_FONT, d);
    PdfBytes cmap = CMAPS.take(8 * 1024);
    subset.toUnicode(cmap);
    file.deflatedStream(TO_UNICODE, "", cmap.array(), cmap.size());
    CMAPS.give(cmap);
    d.reset();
    d.a("/Type /Font /Subtype /Type0 /BaseFont ").name(name).a(" /Encoding /Identity-H /DescendantFonts [")
        .ref(CID_FONT).a("] /ToUnicode ").ref(TO_UNICODE);
    file.dictionary(FONT, d);
  }

  /** The prefix of every document of {@code municipalityName}, built on first use. */
  private static PdfFile.Prefix prefix(String municipalityName) {
    PdfFile.Prefix prefix = PREFIXES.get(municipalityName);
    if (prefix == null) {
      PdfFile file = new PdfFile();
      PdfA.writeOutputIntent(file, OUTPUT_INTENT, ICC_PROFILE);
      Background.write(file, BACKGROUND, municipalityName);
      file.dictionary(INK, new PdfBytes(64).a("/Type /ExtGState /BM /Multiply /ca 0.92 /CA 0.92"));
      prefix = file.asPrefix(FIRST_FREE);
      if (PREFIXES.size() >= MAX_PREFIXES) {
        PREFIXES.clear();
      }
      PREFIXES.put(municipalityName, prefix);
    }
    return prefix;
  }

  /** A PDF date (ISO 32000-1 §7.9.4): {@code D:YYYYMMDDHHmmSS+HH'mm'}. */
  static String date(ZonedDateTime t) {
    int offset = t.getOffset().getTotalSeconds() / 60;
    char sign = offset < 0 ? '-' : '+';
    offset = Math.abs(offset);
    return String.format("D:%04d%02d%02d%02d%02d%02d%c%02d'%02d'", t.getYear(), t.getMonthValue(), t.getDayOfMonth(),
        t.getHour(), t.getMinute(), t.getSecond(), sign, offset / 60, offset % 60);
  }

  /** The file identifier (§14.4): from what makes the document unique. */
  private static byte[] id(DocumentMeta meta) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(meta.documentNumber().getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      sha.update(meta.bindingHex().getBytes(StandardCharsets.US_ASCII));
      return Arrays.copyOf(sha.digest(), 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
