package jp.kofu.issuer.document;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentCatalog;
import org.apache.pdfbox.pdmodel.common.PDMetadata;
import org.apache.pdfbox.pdmodel.graphics.color.PDOutputIntent;

/**
 * What makes a certificate PDF/A-2b (ISO 19005-2, level B: the look is preserved for the long
 * term): XMP metadata that declares the conformance and repeats the document information, and an
 * sRGB output intent, so the colours of the seal, the 地紋 and the shading mean one thing on every
 * device. The rest of PDF/A-2b is kept by the layout itself: every font embedded, no encryption,
 * no external content.
 *
 * <p>The output profile is the Java runtime's own sRGB profile, read and compressed once per
 * process: each document gets the same compressed bytes (PDFBox's {@code PDOutputIntent(document,
 * InputStream)} would parse the profile and deflate it again for every document).
 */
final class PdfA {
  static final String OUTPUT_CONDITION = "sRGB IEC61966-2.1";
  private static final byte[] SRGB_DEFLATED = deflated(ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData());
  private static final DateTimeFormatter XMP_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");

  private PdfA() {}

  /** Adds the XMP metadata (matching the Info entries written beside it) and the output intent. */
  static void apply(PDDocument document, String title, String author, String creator, String producer, ZonedDateTime created) {
    PDDocumentCatalog catalog = document.getDocumentCatalog();
    try {
      COSStream profile = document.getDocument().createCOSStream();
      try (OutputStream out = profile.createRawOutputStream()) {
        out.write(SRGB_DEFLATED);
      }
      profile.setItem(COSName.FILTER, COSName.FLATE_DECODE);
      profile.setInt(COSName.N, 3);
      COSDictionary dictionary = new COSDictionary();
      dictionary.setItem(COSName.TYPE, COSName.OUTPUT_INTENT);
      dictionary.setItem(COSName.S, COSName.GTS_PDFA1);
      dictionary.setItem(COSName.DEST_OUTPUT_PROFILE, profile);
      PDOutputIntent intent = new PDOutputIntent(dictionary);
      intent.setInfo(OUTPUT_CONDITION);
      intent.setOutputCondition(OUTPUT_CONDITION);
      intent.setOutputConditionIdentifier(OUTPUT_CONDITION);
      intent.setRegistryName("http://www.color.org");
      catalog.addOutputIntent(intent);

      COSStream stream = document.getDocument().createCOSStream();
      // XMP stays uncompressed so that any tool can find and read it (ISO 19005-2 recommends it).
      try (OutputStream out = stream.createOutputStream()) {
        out.write(xmp(title, author, creator, producer, created).getBytes(StandardCharsets.UTF_8));
      }
      PDMetadata metadata = new PDMetadata(stream);
      stream.setItem(COSName.TYPE, COSName.METADATA);
      stream.setItem(COSName.SUBTYPE, COSName.getPDFName("XML"));
      catalog.setMetadata(metadata);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] deflated(byte[] data) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(data.length);
    try (DeflaterOutputStream out = new DeflaterOutputStream(bytes, new Deflater(Deflater.BEST_COMPRESSION))) {
      out.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static String xmp(String title, String author, String creator, String producer, ZonedDateTime created) {
    String date = XMP_DATE.format(created);
    return "<?xpacket begin=\"\uFEFF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
        + "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
        + " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
        + "  <rdf:Description rdf:about=\"\"\n"
        + "    xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
        + "    xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"\n"
        + "    xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\"\n"
        + "    xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\">\n"
        + "   <dc:format>application/pdf</dc:format>\n"
        + "   <dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">" + escape(title) + "</rdf:li></rdf:Alt></dc:title>\n"
        + "   <dc:creator><rdf:Seq><rdf:li>" + escape(author) + "</rdf:li></rdf:Seq></dc:creator>\n"
        + "   <dc:language><rdf:Bag><rdf:li>ja-JP</rdf:li></rdf:Bag></dc:language>\n"
        + "   <xmp:CreatorTool>" + escape(creator) + "</xmp:CreatorTool>\n"
        + "   <xmp:CreateDate>" + date + "</xmp:CreateDate>\n"
        + "   <pdf:Producer>" + escape(producer) + "</pdf:Producer>\n"
        + "   <pdfaid:part>2</pdfaid:part>\n"
        + "   <pdfaid:conformance>B</pdfaid:conformance>\n"
        + "  </rdf:Description>\n"
        + " </rdf:RDF>\n"
        + "</x:xmpmeta>\n"
        + "<?xpacket end=\"w\"?>";
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
