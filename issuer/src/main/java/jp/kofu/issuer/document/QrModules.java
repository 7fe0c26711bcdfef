package jp.kofu.issuer.document;

import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import com.google.zxing.qrcode.decoder.Version;

/**
 * The modules of a verification link's QR code (ISO/IEC 18004), exactly the ones ZXing's {@code
 * Encoder} places for the same text, level and mask (byte mode, no ECI, the smallest version), but
 * with the Reed–Solomon remainder computed in place: ZXing divides immutable polynomial objects,
 * one pair of arrays per data byte, and that was 4.7 % of the server's allocation per issuance.
 *
 * <p>Only what a link needs: printable ASCII that ZXing would encode in byte mode (it has a
 * character outside the alphanumeric set, as any {@code https://} link has). {@link #encode}
 * answers null for anything else, and the caller asks ZXing. {@code QrModulesTest} compares the
 * two on thousands of texts.
 */
final class QrModules {
  private static final int[] EXP = new int[512];
  private static final int[] LOG = new int[256];
  /** Reed–Solomon generator polynomials by degree, highest coefficient first (ZXing's field: 0x11D, base 0). */
  private static final int[][] GENERATORS = new int[69][];

  static {
    int x = 1;
    for (int i = 0; i < 255; i++) {
      EXP[i] = x;
      LOG[x] = i;
      x <<= 1;
      if (x >= 256) {
        x ^= 0x11D;
      }
    }
    for (int i = 255; i < 512; i++) {
      EXP[i] = EXP[i - 255];
    }
    int[] g = {1};
    GENERATORS[0] = g;
    for (int d = 1; d < GENERATORS.length; d++) {
      // g(x) * (x + a^(d-1))
      int[] next = new int[g.length + 1];
      int root = EXP[d - 1];
      for (int i = 0; i < g.length; i++) {
        next[i] ^= g[i];
        next[i + 1] ^= multiply(g[i], root);
      }
      GENERATORS[d] = next;
      g = next;
    }
  }

  /** The 4-bit mode indicator of byte mode. */
  private static final int BYTE_MODE = 0x4;
  private static final int TYPE_INFO_POLY = 0x537;
  private static final int TYPE_INFO_MASK = 0x5412;
  private static final int VERSION_INFO_POLY = 0x1f25;
  private static final int[][] TYPE_INFO_COORDINATES = {
    {8, 0}, {8, 1}, {8, 2}, {8, 3}, {8, 4}, {8, 5}, {8, 7}, {8, 8}, {7, 8}, {5, 8}, {4, 8}, {3, 8}, {2, 8}, {1, 8}, {0, 8},
  };

  /** The matrix's side, in modules. */
  final int size;
  /** Row by row, 1 for a dark module. */
  private final byte[] modules;

  private QrModules(int size) {
    this.size = size;
    this.modules = new byte[size * size];
    java.util.Arrays.fill(modules, (byte) -1);
  }

  /** Whether the module in {@code column}, {@code row} is dark. */
  boolean dark(int column, int row) {
    return modules[row * size + column] == 1;
  }

  private int get(int x, int y) {
    return modules[y * size + x];
  }

  private void set(int x, int y, int value) {
    modules[y * size + x] = (byte) value;
  }

  private static int multiply(int a, int b) {
    return a == 0 || b == 0 ? 0 : EXP[LOG[a] + LOG[b]];
  }

  /** Whether ZXing's Encoder would choose byte mode for {@code text}, and it is printable ASCII. */
  private static boolean byteModeAscii(String text) {
    boolean outsideAlphanumeric = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c > 0x7E) {
        return false;
      }
      boolean alphanumeric = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || " $%*+-./:".indexOf(c) >= 0;
      outsideAlphanumeric |= !alphanumeric;
    }
    return outsideAlphanumeric;
  }

  private static int dataBytes(Version version, ErrorCorrectionLevel level) {
    return version.getTotalCodewords() - version.getECBlocksForLevel(level).getTotalECCodewords();
  }

  /** ZXing's choice: the smallest version whose data capacity holds {@code bits}. */
  private static Version chooseVersion(int bits, ErrorCorrectionLevel level) {
    for (int v = 1; v <= 40; v++) {
      Version version = Version.getVersionForNumber(v);
      if (dataBytes(version, level) >= (bits + 7) / 8) {
        return version;
      }
    }
    return null;
  }

  private static int countBits(Version version) {
    return version.getVersionNumber() <= 9 ? 8 : 16;
  }

  /**
   * The modules of {@code text} at {@code level} with {@code mask}, or null when {@code text} is
   * not printable ASCII in byte mode or too long for any version (ask ZXing then).
   */
  static QrModules encode(String text, ErrorCorrectionLevel level, int mask) {
    if (text.isEmpty() || !byteModeAscii(text) || mask < 0 || mask > 7) {
      return null;
    }
    int length = text.length();
    // As ZXing: a provisional version from version 1's count length, then the right one.
    Version provisional = chooseVersion(4 + 8 + 8 * length, level);
    if (provisional == null) {
      return null;
    }
    Version version = chooseVersion(4 + countBits(provisional) + 8 * length, level);
    if (version == null || length >= 1 << countBits(version)) {
      return null;
    }
    int numData = dataBytes(version, level);
    byte[] data = new byte[numData];
    Bits bits = new Bits(data);
    bits.append(BYTE_MODE, 4);
    bits.append(length, countBits(version));
    for (int i = 0; i < length; i++) {
      bits.append(text.charAt(i), 8);
    }
    int capacity = 8 * numData;
    for (int i = 0; i < 4 && bits.size < capacity; i++) {
      bits.append(0, 1);
    }
    if ((bits.size & 7) != 0) {
      bits.append(0, 8 - (bits.size & 7));
    }
    for (int i = 0; bits.size < capacity; i++) {
      bits.append((i & 1) == 0 ? 0xEC : 0x11, 8);
    }
    byte[] codewords = interleaved(data, version.getTotalCodewords(), version.getECBlocksForLevel(level).getNumBlocks());
    QrModules qr = new QrModules(version.getDimensionForVersion());
    qr.basicPatterns(version);
    qr.typeInfo(level, mask);
    qr.versionInfo(version);
    qr.dataBits(codewords, mask);
    return qr;
  }

  /** The data codewords and their error correction, interleaved block by block (ZXing's interleaveWithECBytes). */
  private static byte[] interleaved(byte[] data, int total, int blocks) {
    int numData = data.length;
    int group2 = total % blocks;
    int group1 = blocks - group2;
    int dataInGroup1 = numData / blocks;
    int ecPerBlock = total / blocks - dataInGroup1;
    if (group1 * dataInGroup1 + group2 * (dataInGroup1 + 1) != numData || numData + blocks * ecPerBlock != total) {
      throw new IllegalStateException("QR blocks do not add up");
    }
    int[] generator = GENERATORS[ecPerBlock];
    byte[] ec = new byte[blocks * ecPerBlock];
    int[] remainder = new int[ecPerBlock];
    for (int b = 0; b < blocks; b++) {
      int offset = b * dataInGroup1 + Math.max(0, b - group1);
      int size = b < group1 ? dataInGroup1 : dataInGroup1 + 1;
      // The remainder of data(x)·x^ec divided by the generator: a shift register, in place.
      java.util.Arrays.fill(remainder, 0);
      for (int i = 0; i < size; i++) {
        int factor = (data[offset + i] & 0xFF) ^ remainder[0];
        System.arraycopy(remainder, 1, remainder, 0, ecPerBlock - 1);
        remainder[ecPerBlock - 1] = 0;
        if (factor != 0) {
          for (int j = 0; j < ecPerBlock; j++) {
            remainder[j] ^= multiply(generator[j + 1], factor);
          }
        }
      }
      for (int j = 0; j < ecPerBlock; j++) {
        ec[b * ecPerBlock + j] = (byte) remainder[j];
      }
    }
    byte[] out = new byte[total];
    int at = 0;
    for (int i = 0; i <= dataInGroup1; i++) {
      for (int b = 0; b < blocks; b++) {
        int size = b < group1 ? dataInGroup1 : dataInGroup1 + 1;
        if (i < size) {
          out[at++] = data[b * dataInGroup1 + Math.max(0, b - group1) + i];
        }
      }
    }
    for (int j = 0; j < ecPerBlock; j++) {
      for (int b = 0; b < blocks; b++) {
        out[at++] = ec[b * ecPerBlock + j];
      }
    }
    return out;
  }

  private static final class Bits {
    final byte[] bytes;
    int size;

    Bits(byte[] bytes) {
      this.bytes = bytes;
    }

    void append(int value, int n) {
      for (int i = n - 1; i >= 0; i--) {
        if ((value >> i & 1) != 0) {
          bytes[size >> 3] |= (byte) (0x80 >>> (size & 7));
        }
        size++;
      }
    }
  }

  private static int msb(int value) {
    return 32 - Integer.numberOfLeadingZeros(value);
  }

  private static int bch(int value, int poly) {
    int msbPoly = msb(poly);
    value <<= msbPoly - 1;
    while (msb(value) >= msbPoly) {
      value ^= poly << (msb(value) - msbPoly);
    }
    return value;
  }

  private void basicPatterns(Version version) {
    finder(0, 0);
    finder(size - 7, 0);
    finder(0, size - 7);
    for (int x = 0; x < 8; x++) {
      set(x, 7, 0);
      set(size - 8 + x, 7, 0);
      set(x, size - 8, 0);
    }
    for (int y = 0; y < 7; y++) {
      set(7, y, 0);
      set(size - 8, y, 0);
      set(7, size - 7 + y, 0);
    }
    set(8, size - 8, 1);
    if (version.getVersionNumber() >= 2) {
      int[] centers = version.getAlignmentPatternCenters();
      for (int y : centers) {
        for (int x : centers) {
          if (get(x, y) == -1) {
            alignment(x - 2, y - 2);
          }
        }
      }
    }
    for (int i = 8; i < size - 8; i++) {
      int bit = (i + 1) % 2;
      if (get(i, 6) == -1) {
        set(i, 6, bit);
      }
      if (get(6, i) == -1) {
        set(6, i, bit);
      }
    }
  }

  private void finder(int left, int top) {
    for (int y = 0; y < 7; y++) {
      for (int x = 0; x < 7; x++) {
        boolean ring = x == 0 || x == 6 || y == 0 || y == 6;
        boolean core = x >= 2 && x <= 4 && y >= 2 && y <= 4;
        set(left + x, top + y, ring || core ? 1 : 0);
      }
    }
  }

  private void alignment(int left, int top) {
    for (int y = 0; y < 5; y++) {
      for (int x = 0; x < 5; x++) {
        boolean ring = x == 0 || x == 4 || y == 0 || y == 4;
        set(left + x, top + y, ring || (x == 2 && y == 2) ? 1 : 0);
      }
    }
  }

  private void typeInfo(ErrorCorrectionLevel level, int mask) {
    int info = level.getBits() << 3 | mask;
    int bits = ((info << 10) | bch(info, TYPE_INFO_POLY)) ^ TYPE_INFO_MASK;
    for (int i = 0; i < 15; i++) {
      int bit = bits >> i & 1;
      set(TYPE_INFO_COORDINATES[i][0], TYPE_INFO_COORDINATES[i][1], bit);
      if (i < 8) {
        set(size - i - 1, 8, bit);
      } else {
        set(8, size - 7 + (i - 8), bit);
      }
    }
  }

  private void versionInfo(Version version) {
    int v = version.getVersionNumber();
    if (v < 7) {
      return;
    }
    int bits = v << 12 | bch(v, VERSION_INFO_POLY);
    int index = 0;
    for (int i = 0; i < 6; i++) {
      for (int j = 0; j < 3; j++) {
        int bit = bits >> index++ & 1;
        set(i, size - 11 + j, bit);
        set(size - 11 + j, i, bit);
      }
    }
  }

  private static boolean maskBit(int mask, int x, int y) {
    int t;
    return switch (mask) {
      case 0 -> ((y + x) & 1) == 0;
      case 1 -> (y & 1) == 0;
      case 2 -> x % 3 == 0;
      case 3 -> (y + x) % 3 == 0;
      case 4 -> (((y / 2) + (x / 3)) & 1) == 0;
      case 5 -> {
        t = y * x;
        yield (t & 1) + (t % 3) == 0;
      }
      case 6 -> {
        t = y * x;
        yield (((t & 1) + (t % 3)) & 1) == 0;
      }
      default -> {
        t = y * x;
        yield (((t % 3) + ((y + x) & 1)) & 1) == 0;
      }
    };
  }

  private void dataBits(byte[] codewords, int mask) {
    int total = 8 * codewords.length;
    int index = 0;
    int direction = -1;
    int x = size - 1;
    int y = size - 1;
    while (x > 0) {
      if (x == 6) {
        x -= 1;
      }
      while (y >= 0 && y < size) {
        for (int i = 0; i < 2; i++) {
          int xx = x - i;
          if (get(xx, y) != -1) {
            continue;
          }
          boolean bit = false;
          if (index < total) {
            bit = (codewords[index >> 3] & (0x80 >>> (index & 7))) != 0;
            index++;
          }
          if (maskBit(mask, xx, y)) {
            bit = !bit;
          }
          set(xx, y, bit ? 1 : 0);
        }
        y += direction;
      }
      direction = -direction;
      y += direction;
      x -= 2;
    }
    if (index != total) {
      throw new IllegalStateException("QR data: " + index + " of " + total + " bits placed");
    }
  }
}
