package jp.kofu.issuer.document;

import static jp.kofu.issuer.document.DocumentVerificationException.Problem.INCOMPLETE_COVERAGE;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import jp.kofu.issuer.document.PdfObjects.Entry;
import jp.kofu.issuer.document.PdfObjects.Malformed;
import jp.kofu.issuer.document.PdfObjects.Name;
import jp.kofu.issuer.document.PdfObjects.PdfString;
import jp.kofu.issuer.document.PdfObjects.Ref;
import jp.kofu.issuer.document.PdfObjects.Section;
import jp.kofu.issuer.document.PdfObjects.Stream;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ocsp.OCSPResponse;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.CertificateList;

/**
 * The one incremental update kofu appends after a signature: the document security store (DSS,
 * ISO 32000-2 §12.8.4.3, ETSI EN 319 142-1 §5.4.2) that makes a B-T signature B-LT. Written by
 * hand, and read back by the same rules, so that writing costs a copy and checking costs no parse
 * of the document:
 *
 * <pre>
 *   n 0 obj &lt;&lt;/Length L&gt;&gt; stream DER endstream endobj      one per certificate, CRL, OCSP response
 *   d 0 obj &lt;&lt;/Type/DSS/Certs[..]/CRLs[..]/OCSPs[..]&gt;&gt; endobj
 *   r g obj (the signed catalog, unchanged, plus /DSS d 0 R) endobj
 *   a cross-reference section of the same kind as the signed one (table or stream),
 *   its trailer with /Prev, /Root, /Info and /ID of the signed revision
 * </pre>
 *
 * <p>{@link #check} accepts exactly that shape after the signed range and nothing else: no other
 * object replaced, no object left unreferenced, every stream a DER certificate, CRL or OCSP
 * response. A second update, or one that changes anything the signature covers, is refused.
 */
final class DssUpdate {
  private DssUpdate() {}

  /** DER encodings of what the DSS holds. */
  record ValidationData(List<byte[]> certificates, List<byte[]> crls, List<byte[]> ocsps) {
    ValidationData {
      certificates = List.copyOf(certificates);
      crls = List.copyOf(crls);
      ocsps = List.copyOf(ocsps);
    }

    int size() {
      int n = 0;
      for (List<byte[]> list : List.of(certificates, crls, ocsps)) {
        for (byte[] b : list) {
          n += b.length + 64;
        }
      }
      return n;
    }
  }

  /**
   * {@code signedPdf} with the DSS update appended.
   *
   * @throws IllegalArgumentException when {@code signedPdf} does not end with a complete revision
   *     or already has a DSS
   */
  static byte[] append(byte[] signedPdf, ValidationData data) {
    try {
      PdfObjects doc = PdfObjects.read(signedPdf);
      Section last = doc.sections.get(0);
      if (last.end() != signedPdf.length) {
        throw new IllegalArgumentException("signedPdf: does not end with its last revision's %%EOF");
      }
      Map<String, Object> trailer = last.trailer();
      if (!(trailer.get("Root") instanceof Ref root)) {
        throw new IllegalArgumentException("signedPdf: trailer without /Root");
      }
      Map<String, Object> catalog = doc.dictionary(root);
      if (catalog == null || catalog.containsKey("DSS")) {
        throw new IllegalArgumentException("signedPdf: no catalog, or it has a DSS already");
      }
      int size = PdfObjects.intValue(trailer.get("Size"));

      Appended out = new Appended(signedPdf, data.size() + 1024);
      List<int[]> written = new ArrayList<>(); // {number, generation, offset}
      int next = size;
      List<List<Integer>> groups = new ArrayList<>();
      for (List<byte[]> blobs : List.of(data.certificates(), data.crls(), data.ocsps())) {
        List<Integer> numbers = new ArrayList<>();
        for (byte[] der : blobs) {
          written.add(new int[] {next, 0, out.size()});
          ascii(out, next + " 0 obj\n<</Length " + der.length + ">>\nstream\n");
          out.writeBytes(der);
          ascii(out, "\nendstream\nendobj\n");
          numbers.add(next++);
        }
        groups.add(numbers);
      }
      int dss = next++;
      written.add(new int[] {dss, 0, out.size()});
      StringBuilder d = new StringBuilder(dss + " 0 obj\n<</Type/DSS");
      String[] keys = {"Certs", "CRLs", "OCSPs"};
      for (int i = 0; i < keys.length; i++) {
        if (!groups.get(i).isEmpty()) {
          d.append('/').append(keys[i]).append('[');
          for (int n : groups.get(i)) {
            d.append(n).append(" 0 R ");
          }
          d.setLength(d.length() - 1);
          d.append(']');
        }
      }
      ascii(out, d.append(">>\nendobj\n").toString());

      Map<String, Object> extended = new LinkedHashMap<>(catalog);
      extended.put("DSS", new Ref(dss, 0));
      written.add(0, new int[] {root.number(), root.generation(), out.size()});
      ascii(out, root.number() + " " + root.generation() + " obj\n");
      write(out, extended);
      ascii(out, "\nendobj\n");

      StringBuilder tail = new StringBuilder();
      tail.append("/Root ").append(root.text());
      if (trailer.get("Info") instanceof Ref info) {
        tail.append("/Info ").append(info.text());
      }
      if (trailer.get("ID") != null) {
        ByteArrayOutputStream id = new ByteArrayOutputStream();
        write(id, trailer.get("ID"));
        tail.append("/ID ").append(id.toString(StandardCharsets.ISO_8859_1));
      }
      tail.append("/Prev ").append(last.offset());
      int xref = out.size();
      if (last.stream()) {
        int self = next++;
        written.add(new int[] {self, 0, xref});
        ByteArrayOutputStream rows = new ByteArrayOutputStream();
        for (int[] w : written) {
          rows.write(1);
          for (int shift = 24; shift >= 0; shift -= 8) {
            rows.write(w[2] >>> shift);
          }
          rows.write(w[1] >>> 8);
          rows.write(w[1]);
        }
        ascii(out, self + " 0 obj\n<</Type/XRef/Size " + next + "/W[1 4 2]/Index[" + root.number() + " 1 " + size + " " + (next - size)
            + "]" + tail + "/Length " + rows.size() + ">>\nstream\n");
        out.writeBytes(rows.toByteArray());
        ascii(out, "\nendstream\nendobj\n");
      } else {
        StringBuilder x = new StringBuilder("xref\n0 1\n0000000000 65535 f\r\n");
        x.append(root.number()).append(" 1\n").append(entry(written.get(0)));
        x.append(size).append(' ').append(next - size).append('\n');
        for (int[] w : written.subList(1, written.size())) {
          x.append(entry(w));
        }
        x.append("trailer\n<</Size ").append(next).append(tail).append(">>\n");
        ascii(out, x.toString());
      }
      ascii(out, "startxref\n" + xref + "\n%%EOF\n");
      return out.joined();
    } catch (Malformed e) {
      throw new IllegalArgumentException("signedPdf: " + e.getMessage(), e);
    }
  }

  /**
   * The update being written after {@code signed}: its {@link #size} counts from the start of the
   * signed bytes (the offsets the update's cross-reference section needs), and the two are joined
   * into one array once, at the end, instead of the signed bytes being copied in first and the
   * whole copied out again.
   */
  private static final class Appended extends ByteArrayOutputStream {
    private final byte[] signed;

    Appended(byte[] signed, int capacity) {
      super(capacity);
      this.signed = signed;
    }

    @Override
    public synchronized int size() {
      return signed.length + count;
    }

    byte[] joined() {
      byte[] all = Arrays.copyOf(signed, signed.length + count);
      System.arraycopy(buf, 0, all, signed.length, count);
      return all;
    }
  }

  private static String entry(int[] w) {
    return String.format("%010d %05d n\r\n", w[2], w[1]);
  }

  /**
   * Checks that everything after {@code signedEnd} is one DSS update of the revision ending there,
   * and returns what its DSS holds.
   */
  static ValidationData check(PdfObjects doc, int signedEnd) throws DocumentVerificationException {
    byte[] pdf = doc.pdf;
    List<Section> sections = doc.sections;
    String after = (pdf.length - signedEnd) + " bytes after the signed range";
    if (sections.size() < 2 || sections.get(1).end() != signedEnd || sections.get(0).end() != pdf.length) {
      throw new DocumentVerificationException(
          INCOMPLETE_COVERAGE, after + " (an incremental update was appended, or more than one)");
    }
    try {
      Section update = sections.get(0);
      Section signed = sections.get(1);
      PdfObjects before = doc.revision(1);
      Map<String, Object> oldTrailer = signed.trailer();
      Map<String, Object> newTrailer = update.trailer();
      if (!(oldTrailer.get("Root") instanceof Ref root) || !root.equals(newTrailer.get("Root"))
          || !Objects.equals(oldTrailer.get("Info"), newTrailer.get("Info"))
          || !Objects.equals(oldTrailer.get("ID"), newTrailer.get("ID"))
          || !Long.valueOf(signed.offset()).equals(newTrailer.get("Prev"))) {
        throw refused(after, "its trailer changes /Root, /Info or /ID, or does not follow the signed revision");
      }
      int size = PdfObjects.intValue(oldTrailer.get("Size"));
      Set<Integer> added = new HashSet<>();
      for (Map.Entry<Integer, Entry> e : update.entries().entrySet()) {
        int number = e.getKey();
        Entry entry = e.getValue();
        if (entry.type() == 0 && number == 0) {
          continue;
        }
        if (entry.type() != 1 || entry.a() < signedEnd || entry.a() >= pdf.length) {
          throw refused(after, "object " + number + " is not a plain object of the update");
        }
        if (number == update.streamObject()) {
          continue;
        }
        if (number != root.number()) {
          if (number < size) {
            throw refused(after, "it replaces object " + number + " of the signed revision");
          }
          added.add(number);
        }
      }
      Map<String, Object> oldCatalog = before.dictionary(root);
      Map<String, Object> newCatalog = doc.dictionary(root);
      if (oldCatalog == null || newCatalog == null || oldCatalog.containsKey("DSS")) {
        throw refused(after, "no catalog, or the signed catalog has a DSS already");
      }
      Map<String, Object> without = new LinkedHashMap<>(newCatalog);
      Object dssRef = without.remove("DSS");
      if (!(dssRef instanceof Ref dss) || !without.equals(oldCatalog) || !added.remove(dss.number())) {
        throw refused(after, "its catalog differs from the signed one by more than a /DSS of the update");
      }
      Map<String, Object> store = doc.dictionary(dss);
      if (store == null || !Set.of("Type", "Certs", "CRLs", "OCSPs").containsAll(store.keySet())
          || (store.containsKey("Type") && !new Name("DSS").equals(store.get("Type")))) {
        throw refused(after, "its DSS has entries other than /Type /DSS, /Certs, /CRLs and /OCSPs");
      }
      List<List<byte[]>> blobs = new ArrayList<>();
      String[] keys = {"Certs", "CRLs", "OCSPs"};
      for (String key : keys) {
        List<byte[]> ders = new ArrayList<>();
        Object value = store.get(key);
        if (value != null) {
          if (!(value instanceof List<?> refs)) {
            throw refused(after, "its DSS /" + key + " is not an array");
          }
          for (Object item : refs) {
            if (!(item instanceof Ref ref) || !added.remove(ref.number()) || !(doc.object(ref) instanceof Stream s)
                || !Set.of("Length").equals(s.dictionary().keySet())) {
              throw refused(after, "its DSS /" + key + " holds something else than unfiltered streams of the update");
            }
            byte[] der = s.raw();
            if (!der(key, der)) {
              throw refused(after, "a stream of its DSS /" + key + " is not what the key says");
            }
            ders.add(der);
          }
        }
        blobs.add(ders);
      }
      if (!added.isEmpty()) {
        throw refused(after, "objects " + added + " of the update are not part of its DSS");
      }
      return new ValidationData(blobs.get(0), blobs.get(1), blobs.get(2));
    } catch (Malformed | RuntimeException e) {
      throw refused(after, "it cannot be read (" + e.getClass().getSimpleName() + ")");
    }
  }

  private static final int MAX_WELL_FORMED = 512;
  private static final java.util.concurrent.ConcurrentHashMap<java.nio.ByteBuffer, String> WELL_FORMED =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * Whether {@code der} is one DER-encoded object of what {@code key} holds. The DSS of every
   * document signed in one freshness window holds the same certificates and CRLs, so what was
   * found well formed once is remembered by its bytes (bounded) instead of parsed again.
   */
  private static boolean der(String key, byte[] der) {
    if (key.equals(WELL_FORMED.get(java.nio.ByteBuffer.wrap(der)))) {
      return true;
    }
    if (!parsesAs(key, der)) {
      return false;
    }
    if (WELL_FORMED.size() >= MAX_WELL_FORMED) {
      WELL_FORMED.clear();
    }
    WELL_FORMED.put(java.nio.ByteBuffer.wrap(der.clone()), key);
    return true;
  }

  private static boolean parsesAs(String key, byte[] der) {
    try {
      ASN1Primitive object = ASN1Primitive.fromByteArray(der);
      if (!Arrays.equals(object.getEncoded(), der)) {
        return false;
      }
      switch (key) {
        case "Certs" -> Certificate.getInstance(object);
        case "CRLs" -> CertificateList.getInstance(object);
        default -> OCSPResponse.getInstance(object);
      }
      return true;
    } catch (java.io.IOException | RuntimeException e) {
      return false;
    }
  }

  private static DocumentVerificationException refused(String after, String why) {
    return new DocumentVerificationException(INCOMPLETE_COVERAGE, after + " are not a PAdES DSS update: " + why);
  }

  private static void ascii(ByteArrayOutputStream out, String s) {
    out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
  }

  /** Writes a direct object in PDF syntax. */
  private static void write(ByteArrayOutputStream out, Object value) {
    switch (value) {
      case Map<?, ?> map -> {
        ascii(out, "<<");
        for (Map.Entry<?, ?> e : map.entrySet()) {
          writeName(out, (String) e.getKey());
          ascii(out, " ");
          write(out, e.getValue());
        }
        ascii(out, ">>");
      }
      case List<?> list -> {
        ascii(out, "[");
        boolean first = true;
        for (Object item : list) {
          if (!first) {
            ascii(out, " ");
          }
          first = false;
          write(out, item);
        }
        ascii(out, "]");
      }
      case Name name -> writeName(out, name.value());
      case PdfString s -> ascii(out, "<" + java.util.HexFormat.of().formatHex(s.bytes) + ">");
      case Long l -> ascii(out, l.toString());
      case Double x -> ascii(out, BigDecimal.valueOf(x).stripTrailingZeros().toPlainString());
      case Boolean b -> ascii(out, b.toString());
      case Ref r -> ascii(out, r.text());
      case Stream s -> throw new IllegalArgumentException("a stream inside a dictionary");
      default -> {
        if (value == PdfObjects.NULL) {
          ascii(out, "null");
        } else {
          throw new IllegalArgumentException("not a PDF object: " + value.getClass().getSimpleName());
        }
      }
    }
  }

  private static void writeName(ByteArrayOutputStream out, String name) {
    out.write('/');
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c < 0x21 || c > 0x7e || c == '#' || PdfObjects.Lexer.delimiter(c)) {
        ascii(out, String.format("#%02X", c));
      } else {
        out.write(c);
      }
    }
  }
}
