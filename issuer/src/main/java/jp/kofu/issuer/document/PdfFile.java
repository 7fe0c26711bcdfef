package jp.kofu.issuer.document;

import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.zip.Deflater;

/**
 * Writes a PDF file front to back (ISO 32000-1 §7.5): header, numbered objects, a classic
 * cross-reference table and trailer, so that an incremental update can be appended after it.
 *
 * <p>A file may start from a {@link Prefix}: the header and objects that are the same in every
 * document of a kind (the output intent's ICC profile, the 地紋 of a municipality), serialised
 * once and copied as bytes, with their offsets.
 *
 * <p>Streams are deflated at {@link #DEFLATE_LEVEL} (system property {@code
 * jp.kofu.pdf.deflateLevel}, default 1): on the 住民票の写し level 1 costs about 2 ms of CPU less
 * than zlib's default 6 for about 5 % more bytes (bench/README.md).
 *
 * <p>Not thread-safe: one per file being written.
 */
final class PdfFile {
  static final int DEFLATE_LEVEL = Integer.getInteger("jp.kofu.pdf.deflateLevel", 1);
  private static final ConcurrentLinkedQueue<Deflater> DEFLATERS = new ConcurrentLinkedQueue<>();

  final PdfBytes out;
  private int[] offsets;
  private int next;
  private static final PdfBytes.Pool FILES = new PdfBytes.Pool(32);
  private static final PdfBytes.Pool SCRATCH = new PdfBytes.Pool(32);
  private final PdfBytes scratch = SCRATCH.take(64 * 1024);

  /**
   * A file whose first objects are {@code prefix}'s; new objects are numbered from {@code
   * firstFree}. Its buffers are pooled: {@link #release} them once its bytes are copied out.
   */
  PdfFile(Prefix prefix, int firstFree, int capacity) {
    out = FILES.take(capacity);
    out.raw(prefix.bytes);
    offsets = Arrays.copyOf(prefix.offsets, Math.max(64, firstFree * 2));
    next = firstFree;
  }

  /** An empty file with only the header, for building a {@link Prefix}. */
  PdfFile() {
    out = new PdfBytes(64 * 1024);
    // The comment of high bytes tells transfer programs the file is binary (§7.5.2).
    out.a("%PDF-1.7\n%").b(0xE2).b(0xE3).b(0xCF).b(0xD3).nl();
    offsets = new int[64];
    next = 1;
  }

  /** Gives this file's buffers back to their pools; the file and {@link #out} are unusable afterwards. */
  void release() {
    FILES.give(out);
    SCRATCH.give(scratch);
  }

  /** The next free object number. */
  int reserve() {
    return next++;
  }

  /** Starts object {@code number}: {@code n 0 obj}. */
  PdfBytes begin(int number) {
    if (number >= offsets.length) {
      offsets = Arrays.copyOf(offsets, Math.max(2 * offsets.length, number + 1));
    }
    offsets[number] = out.size();
    return out.i(number).a(" 0 obj\n");
  }

  void end() {
    out.a("\nendobj\n");
  }

  /** An object that is a dictionary: {@code entries} between {@code <<} and {@code >>}. */
  void dictionary(int number, PdfBytes entries) {
    begin(number).a("<<").raw(entries).a(">>");
    end();
  }

  /** A stream stored as given ({@code data} already in its filter's encoding, or plain). */
  void rawStream(int number, String entries, byte[] data, int length) {
    begin(number).a("<<").a(entries).a(" /Length ").i(length).a(">>\nstream\n").raw(data, 0, length).a("\nendstream");
    end();
  }

  /** A stream deflated here: {@code entries} plus /Filter and /Length. */
  void deflatedStream(int number, String entries, byte[] data, int length) {
    scratch.reset();
    deflate(data, 0, length, scratch);
    rawStream(number, entries + " /Filter /FlateDecode", scratch.array(), scratch.size());
  }

  /** Deflates (zlib format, RFC 1950) {@code data} and appends it to {@code into}. */
  static void deflate(byte[] data, int offset, int length, PdfBytes into) {
    Deflater deflater = DEFLATERS.poll();
    if (deflater == null) {
      deflater = new Deflater(DEFLATE_LEVEL);
    }
    try {
      deflater.setInput(data, offset, length);
      deflater.finish();
      into.deflateFrom(deflater);
    } finally {
      deflater.reset();
      DEFLATERS.add(deflater);
    }
  }

  /**
   * The cross-reference table, trailer and end of file. {@code trailer} holds the trailer's
   * entries besides /Size.
   */
  void finish(PdfBytes trailer) {
    int xref = out.size();
    out.a("xref\n0 ").i(next).a("\n0000000000 65535 f\r\n");
    for (int n = 1; n < next; n++) {
      if (offsets[n] == 0) {
        throw new IllegalStateException("object " + n + " reserved but not written");
      }
      out.padded(offsets[n], 10).a(" 00000 n\r\n");
    }
    out.a("trailer\n<< /Size ").i(next).sp().raw(trailer).a(" >>\nstartxref\n").i(xref).a("\n%%EOF\n");
  }

  /** What {@link #PdfFile(Prefix, int, int)} starts from. */
  record Prefix(byte[] bytes, int[] offsets) {}

  /** The bytes written so far and the offsets of objects 1 to {@code objects - 1}, as a prefix for other files. */
  Prefix asPrefix(int objects) {
    return new Prefix(out.toByteArray(), Arrays.copyOf(offsets, objects));
  }
}
