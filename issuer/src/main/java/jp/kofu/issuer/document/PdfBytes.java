package jp.kofu.issuer.document;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte buffer that writes the lexical pieces of a PDF (ISO 32000-1 §7.3) without
 * intermediate strings: numbers in the shortest plain decimal form, names, literal and hex
 * strings. Both the content streams and the file itself are written with it.
 *
 * <p>Not thread-safe: one buffer per stream or file being written.
 */
final class PdfBytes {
  private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

  private byte[] buf;
  private int size;

  PdfBytes(int capacity) {
    buf = new byte[Math.max(16, capacity)];
  }

  private PdfBytes(byte[] buf) {
    this.buf = buf;
  }

  /**
   * Buffers lent for the writing of one document and given back once its bytes are copied out
   * ({@link #take}, {@link #give}): a document's file, its pages' content and the compression
   * scratch are ~250 KB that would otherwise be allocated and dropped per document. Bounded: at
   * most {@code most} idle buffers of at most 4 MB each are kept.
   *
   * <p>Thread-safe; a buffer given back must not be used again by the one who gave it.
   */
  static final class Pool {
    private static final int LARGEST = 4 << 20;
    private final java.util.concurrent.ConcurrentLinkedQueue<byte[]> idle = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final java.util.concurrent.atomic.AtomicInteger count = new java.util.concurrent.atomic.AtomicInteger();
    private final int most;

    Pool(int most) {
      this.most = most;
    }

    /** An empty buffer of at least {@code capacity} bytes, a pooled one when there is one. */
    PdfBytes take(int capacity) {
      byte[] b = idle.poll();
      if (b != null) {
        count.decrementAndGet();
        if (b.length >= capacity) {
          return new PdfBytes(b);
        }
      }
      return new PdfBytes(capacity);
    }

    /** Gives {@code bytes}' array back; {@code bytes} is unusable afterwards. */
    void give(PdfBytes bytes) {
      byte[] b = bytes.buf;
      bytes.buf = null;
      bytes.size = 0;
      if (b == null || b.length > LARGEST) {
        return;
      }
      if (count.incrementAndGet() <= most) {
        idle.add(b);
      } else {
        count.decrementAndGet();
      }
    }
  }

  int size() {
    return size;
  }

  /** The internal array (valid up to {@link #size()}); it changes when the buffer grows. */
  byte[] array() {
    return buf;
  }

  byte[] toByteArray() {
    return Arrays.copyOf(buf, size);
  }

  void reset() {
    size = 0;
  }

  private void ensure(int more) {
    if (size + more > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
    }
  }

  /** Appends what {@code deflater} (given its input and finished) produces. */
  void deflateFrom(java.util.zip.Deflater deflater) {
    while (!deflater.finished()) {
      ensure(4096);
      size += deflater.deflate(buf, size, buf.length - size);
    }
  }

  PdfBytes raw(byte[] bytes) {
    return raw(bytes, 0, bytes.length);
  }

  PdfBytes raw(byte[] bytes, int offset, int length) {
    ensure(length);
    System.arraycopy(bytes, offset, buf, size, length);
    size += length;
    return this;
  }

  PdfBytes raw(PdfBytes other) {
    return raw(other.buf, 0, other.size);
  }

  PdfBytes b(int c) {
    ensure(1);
    buf[size++] = (byte) c;
    return this;
  }

  /** The byte {@code c}, {@code n} times. */
  PdfBytes repeat(int c, int n) {
    ensure(n);
    Arrays.fill(buf, size, size + n, (byte) c);
    size += n;
    return this;
  }

  /** ASCII text (operators, keys, fixed syntax); the caller guarantees it is ASCII. */
  PdfBytes a(String ascii) {
    int n = ascii.length();
    ensure(n);
    for (int i = 0; i < n; i++) {
      buf[size++] = (byte) ascii.charAt(i);
    }
    return this;
  }

  PdfBytes sp() {
    return b(' ');
  }

  PdfBytes nl() {
    return b('\n');
  }

  /** An integer. */
  PdfBytes i(long v) {
    if (v < 0) {
      b('-');
      v = -v;
    }
    if (v < 10) {
      return b((int) ('0' + v));
    }
    ensure(20);
    int start = size;
    while (v > 0) {
      buf[size++] = (byte) ('0' + v % 10);
      v /= 10;
    }
    for (int lo = start, hi = size - 1; lo < hi; lo++, hi--) {
      byte t = buf[lo];
      buf[lo] = buf[hi];
      buf[hi] = t;
    }
    return this;
  }

  /** An integer right-aligned in {@code width} digits with leading zeros (xref offsets). */
  PdfBytes padded(long v, int width) {
    ensure(width);
    for (int i = width - 1; i >= 0; i--) {
      buf[size + i] = (byte) ('0' + v % 10);
      v /= 10;
    }
    size += width;
    return this;
  }

  /**
   * A real number rounded to four decimals (1/10,000 of a point: far below any printer's dot),
   * without exponent or trailing zeros, as PDF wants (§7.3.3).
   */
  PdfBytes f(double v) {
    long scaled = Math.round(v * 10_000);
    if (scaled < 0) {
      b('-');
      scaled = -scaled;
    }
    i(scaled / 10_000);
    int fraction = (int) (scaled % 10_000);
    if (fraction != 0) {
      b('.');
      int divisor = 1000;
      while (fraction != 0) {
        b('0' + fraction / divisor);
        fraction %= divisor;
        divisor /= 10;
      }
    }
    return this;
  }

  /** A name, {@code /Key}; the caller passes regular characters only. */
  PdfBytes name(String name) {
    return b('/').a(name);
  }

  /** A hex string of raw bytes. */
  PdfBytes hex(byte[] bytes) {
    ensure(2 * bytes.length + 2);
    buf[size++] = '<';
    for (byte x : bytes) {
      buf[size++] = HEX[(x >> 4) & 0xF];
      buf[size++] = HEX[x & 0xF];
    }
    buf[size++] = '>';
    return this;
  }

  /** Four hex digits of a two-byte code (no delimiters). */
  PdfBytes hex4(int code) {
    ensure(4);
    buf[size++] = HEX[(code >> 12) & 0xF];
    buf[size++] = HEX[(code >> 8) & 0xF];
    buf[size++] = HEX[(code >> 4) & 0xF];
    buf[size++] = HEX[code & 0xF];
    return this;
  }

  /**
   * A text string (§7.9.2.2): a literal string when it is printable ASCII, otherwise UTF-16BE with
   * a byte order mark, as hex.
   */
  PdfBytes text(String s) {
    boolean ascii = true;
    for (int i = 0; i < s.length() && ascii; i++) {
      char c = s.charAt(i);
      ascii = c >= 0x20 && c < 0x7F;
    }
    if (ascii) {
      b('(');
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c == '(' || c == ')' || c == '\\') {
          b('\\');
        }
        b(c);
      }
      return b(')');
    }
    ensure(4 * s.length() + 6);
    buf[size++] = '<';
    a("FEFF");
    for (int i = 0; i < s.length(); i++) {
      hex4(s.charAt(i));
    }
    return b('>');
  }

  /** An indirect reference {@code n 0 R}. */
  PdfBytes ref(int object) {
    return i(object).a(" 0 R");
  }
}
