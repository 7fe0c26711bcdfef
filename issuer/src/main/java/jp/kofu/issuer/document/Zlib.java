package jp.kofu.issuer.document;

import java.util.zip.Adler32;
import java.util.zip.Deflater;

/**
 * A zlib stream (RFC 1950) assembled from pieces compressed independently: each piece is raw
 * deflate data ending in a full flush (RFC 1951 blocks, none final, the last one an empty stored
 * block, no reference to earlier data), so pieces compressed once and cached can be concatenated
 * with pieces compressed now; the stream then ends with a final empty block and the Adler-32 of
 * the whole uncompressed data, combined from the pieces' own checksums.
 */
final class Zlib {
  /** A compressed piece: raw deflate data ending in a full flush, its length and Adler-32 uncompressed. */
  record Piece(byte[] deflated, int length, int adler) {}

  private static final int BASE = 65521;
  private static final java.util.concurrent.ConcurrentLinkedQueue<Deflater> POOL =
      new java.util.concurrent.ConcurrentLinkedQueue<>();

  private Zlib() {}

  /** Compresses {@code data[offset, offset + length)} as an independent piece. */
  static Piece piece(byte[] data, int offset, int length, int level) {
    boolean pooled = level == PdfFile.DEFLATE_LEVEL;
    Deflater deflater = pooled ? POOL.poll() : null;
    if (deflater == null) {
      deflater = new Deflater(level, true);
    }
    try {
      deflater.setInput(data, offset, length);
      byte[] buf = new byte[length + length / 8 + 64];
      int n = 0;
      while (true) {
        n += deflater.deflate(buf, n, buf.length - n, Deflater.FULL_FLUSH);
        if (n < buf.length && deflater.needsInput()) {
          break;
        }
        buf = java.util.Arrays.copyOf(buf, 2 * buf.length);
      }
      Adler32 adler = new Adler32();
      adler.update(data, offset, length);
      return new Piece(java.util.Arrays.copyOf(buf, n), length, (int) adler.getValue());
    } finally {
      if (pooled) {
        deflater.reset();
        POOL.add(deflater);
      } else {
        deflater.end();
      }
    }
  }

  /** Starts a stream: the zlib header (deflate, 32K window, no preset dictionary). */
  static void header(PdfBytes out) {
    out.b(0x78).b(0x9C);
  }

  /** Ends a stream whose uncompressed data has Adler-32 {@code adler}: a final empty block and the checksum. */
  static void trailer(PdfBytes out, int adler) {
    // A final stored block of length 0: BFINAL=1, BTYPE=00, aligned, LEN=0, NLEN=0xFFFF.
    out.b(0x01).b(0x00).b(0x00).b(0xFF).b(0xFF);
    out.b(adler >>> 24).b(adler >>> 16).b(adler >>> 8).b(adler);
  }

  /** The Adler-32 of A followed by B, from A's, B's and B's length (as zlib's adler32_combine). */
  static int combine(int adlerA, int adlerB, long lengthB) {
    long rem = lengthB % BASE;
    long sum1 = adlerA & 0xFFFF;
    long sum2 = (rem * sum1) % BASE;
    sum1 += (adlerB & 0xFFFF) + BASE - 1;
    sum2 += ((adlerA >>> 16) & 0xFFFF) + ((adlerB >>> 16) & 0xFFFF) + BASE - rem;
    if (sum1 >= BASE) {
      sum1 -= BASE;
    }
    if (sum1 >= BASE) {
      sum1 -= BASE;
    }
    if (sum2 >= ((long) BASE << 1)) {
      sum2 -= ((long) BASE << 1);
    }
    if (sum2 >= BASE) {
      sum2 -= BASE;
    }
    return (int) (sum1 | (sum2 << 16));
  }
}
