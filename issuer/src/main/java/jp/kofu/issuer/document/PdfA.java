package jp.kofu.issuer.document;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * What makes a certificate PDF/A-2b (ISO 19005-2, level B: the look is preserved for the long
 * term): XMP metadata that declares the conformance and repeats the document information, and an
 * sRGB output intent, so the colours of the seal, the 地紋 and the shading mean one thing on every
 * device. The rest of PDF/A-2b is kept by the layout itself: every font embedded, no encryption,
 * no external content.
 *
 * <p>The output profile is the Java runtime's own sRGB profile, read and compressed once per
 * process, and written with the output intent into the prefix every document copies as bytes.
 */
final class PdfA {
  static final String OUTPUT_CONDITION = "sRGB IEC61966-2.1";
  private static final byte[] SRGB_DEFLATED = deflated(ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData());
  private static final DateTimeFormatter XMP_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");

  private PdfA() {}

  /** Writes the sRGB profile (object {@code profile}) and the output intent ({@code intent}) that uses it. */
  static void writeOutputIntent(PdfFile file, int intent, int profile) {
    file.rawStream(profile, "/N 3 /Filter /FlateDecode", SRGB_DEFLATED, SRGB_DEFLATED.length);
    PdfBytes d = new PdfBytes(256);
    d.a("/Type /OutputIntent /S /GTS_PDFA1 /DestOutputProfile ").ref(profile)
        .a(" /Info ").text(OUTPUT_CONDITION)
        .a(" /OutputCondition ").text(OUTPUT_CONDITION)
        .a(" /OutputConditionIdentifier ").text(OUTPUT_CONDITION)
        .a(" /RegistryName ").text("http://www.color.org");
    file.dictionary(intent, d);
  }

  /** Writes the XMP metadata stream (object {@code number}), matching the Info entries written beside it. */
  static void writeMetadata(PdfFile file, int number, String title, String author, String creator, String producer,
      ZonedDateTime created) {
    // XMP stays uncompressed so that any tool can find and read it (ISO 19005-2 recommends it).
    byte[] xmp = xmp(title, author, creator, producer, created).getBytes(StandardCharsets.UTF_8);
    file.rawStream(number, "/Type /Metadata /Subtype /XML", xmp, xmp.length);
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
