package jp.kofu.issuer.document;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Just enough of a PDF reader to check a signed certificate and to extend it, without parsing the
 * whole file: the cross-reference sections from the last {@code startxref} back along /Prev
 * (tables and streams), and the indirect objects asked for (plain, or inside an object stream).
 * Nothing is read that is not asked for, so checking a document touches its trailer, catalog,
 * form, signature and Info dictionaries and nothing else.
 *
 * <p>Values are {@code Map<String, Object>} (dictionaries, keys without the slash, in file
 * order), {@code List<Object>} (arrays), {@link Name}, {@link PdfString}, {@code Long} or
 * {@code Double}, {@code Boolean}, {@link Ref}, {@link Stream} and {@link #NULL}.
 *
 * <p>Anything this reader does not understand is {@link Malformed}, never a guess: the callers
 * refuse such a file rather than read it differently from a full PDF reader.
 */
final class PdfObjects {
  /** The PDF null object. */
  static final Object NULL = new Object() {
    @Override
    public String toString() {
      return "null";
    }
  };

  private static final int MAX_DEPTH = 32;
  private static final int MAX_SECTIONS = 64;
  private static final int MAX_INFLATED = 32 << 20;

  /** A name object, without its slash, #-escapes decoded. */
  record Name(String value) {}

  /** An indirect reference {@code N G R}. */
  record Ref(int number, int generation) {
    String text() {
      return number + " " + generation + " R";
    }
  }

  /** A string object; {@code start}/{@code end} delimit its token in the buffer it was read from. */
  static final class PdfString {
    final byte[] bytes;
    final byte[] source;
    final int start;
    final int end;

    PdfString(byte[] bytes, byte[] source, int start, int end) {
      this.bytes = bytes;
      this.source = source;
      this.start = start;
      this.end = end;
    }

    /** As a PDF text string: UTF-16BE with a byte-order mark, else (ASCII in kofu's files) Latin-1. */
    String text() {
      if (bytes.length >= 2 && (bytes[0] & 0xff) == 0xfe && (bytes[1] & 0xff) == 0xff) {
        return new String(bytes, 2, bytes.length - 2, StandardCharsets.UTF_16BE);
      }
      return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof PdfString s && Arrays.equals(bytes, s.bytes);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(bytes);
    }
  }

  /** A stream: its dictionary and where its (still encoded) data lies in {@code source}. */
  record Stream(Map<String, Object> dictionary, byte[] source, int dataStart, int dataEnd) {
    byte[] raw() {
      return Arrays.copyOfRange(source, dataStart, dataEnd);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Stream s && dictionary.equals(s.dictionary)
          && Arrays.equals(source, dataStart, dataEnd, s.source, s.dataStart, s.dataEnd);
    }

    @Override
    public int hashCode() {
      return dictionary.hashCode();
    }
  }

  /** A cross-reference entry: type 0 free, 1 at byte offset {@code a}, 2 number {@code b} in object stream {@code a}. */
  record Entry(int type, long a, int b) {}

  /**
   * One cross-reference section with its trailer (for a stream, the stream's dictionary).
   *
   * @param offset where it starts (what {@code startxref} names)
   * @param stream whether it is a cross-reference stream
   * @param streamObject the number of the cross-reference stream object, or -1
   * @param end the end of its revision (just after its {@code %%EOF} and end-of-line), or -1
   */
  record Section(int offset, boolean stream, int streamObject, Map<String, Object> trailer, Map<Integer, Entry> entries, int end) {}

  /** What this reader cannot read; never carries the document's bytes in its message. */
  static final class Malformed extends Exception {
    Malformed(String message) {
      super(message);
    }
  }

  final byte[] pdf;
  /** Newest first. */
  final List<Section> sections;
  private final Map<Integer, byte[]> objectStreams = new HashMap<>();
  /** How deep {@link #object} is nested (a stream's /Length, an object stream): bounded against loops. */
  private int nesting;

  private PdfObjects(byte[] pdf, List<Section> sections) {
    this.pdf = pdf;
    this.sections = sections;
  }

  /** Reads the cross-reference sections of {@code pdf}. */
  static PdfObjects read(byte[] pdf) throws Malformed {
    try {
      int startxref = lastStartxref(pdf);
      List<Section> sections = new ArrayList<>();
      Set<Integer> seen = new HashSet<>();
      PdfObjects reader = new PdfObjects(pdf, sections);
      for (int offset = startxref; offset >= 0; ) {
        if (!seen.add(offset) || sections.size() >= MAX_SECTIONS) {
          throw new Malformed("cross-reference sections loop or are too many");
        }
        Section section = reader.section(offset);
        if (section.trailer().containsKey("XRefStm")) {
          throw new Malformed("a hybrid cross-reference section (expected: a table or a stream)");
        }
        sections.add(section);
        Object prev = section.trailer().get("Prev");
        offset = prev == null ? -1 : intValue(prev);
      }
      return reader;
    } catch (RuntimeException e) {
      throw new Malformed("unreadable structure (" + e.getClass().getSimpleName() + ")");
    }
  }

  /** The same file seen without its newest {@code skip} sections: an earlier revision. */
  PdfObjects revision(int skip) {
    PdfObjects earlier = new PdfObjects(pdf, sections.subList(skip, sections.size()));
    return earlier;
  }

  Map<String, Object> trailer() {
    return sections.get(0).trailer();
  }

  /** {@code value}, or the object it refers to. */
  Object resolve(Object value) throws Malformed {
    return value instanceof Ref ref ? object(ref) : value;
  }

  /** The dictionary {@code value} is or refers to (a stream's dictionary too); null for null. */
  @SuppressWarnings("unchecked")
  Map<String, Object> dictionary(Object value) throws Malformed {
    Object resolved = resolve(value);
    if (resolved == NULL || resolved == null) {
      return null;
    }
    if (resolved instanceof Map<?, ?> map) {
      return (Map<String, Object>) map;
    }
    throw new Malformed("a dictionary was expected");
  }

  /** The entry for object {@code number}: the newest section that mentions it decides. */
  Entry entry(int number) {
    for (Section section : sections) {
      Entry e = section.entries().get(number);
      if (e != null) {
        return e;
      }
    }
    return null;
  }

  /** The object {@code ref} names, {@link #NULL} when it is free or absent. */
  Object object(Ref ref) throws Malformed {
    if (++nesting > 4) {
      nesting = 0;
      throw new Malformed("objects refer to each other in a loop");
    }
    try {
      Entry e = entry(ref.number());
      if (e == null || e.type() == 0) {
        return NULL;
      }
      if (e.type() == 1) {
        if (e.b() != ref.generation()) {
          return NULL;
        }
        return objectAt(pdf, (int) e.a(), ref.number(), 0);
      }
      if (e.type() == 2 && ref.generation() == 0) {
        return compressed((int) e.a(), e.b(), ref.number());
      }
      return NULL;
    } catch (RuntimeException e) {
      throw new Malformed("unreadable object " + ref.number() + " (" + e.getClass().getSimpleName() + ")");
    } finally {
      nesting = Math.max(0, nesting - 1);
    }
  }

  private Object compressed(int streamNumber, int index, int number) throws Malformed {
    byte[] data = objectStreams.get(streamNumber);
    if (data == null) {
      Entry e = entry(streamNumber);
      if (e == null || e.type() != 1) {
        throw new Malformed("object stream " + streamNumber + " is not a plain object");
      }
      if (!(objectAt(pdf, (int) e.a(), streamNumber, 0) instanceof Stream s) || !new Name("ObjStm").equals(s.dictionary().get("Type"))) {
        throw new Malformed("object " + streamNumber + " is not an object stream");
      }
      data = decode(s);
      objectStreams.put(streamNumber, data);
      objectStreams.put(-streamNumber - 1, toBytes(intValue(s.dictionary().get("N")), intValue(s.dictionary().get("First"))));
    }
    byte[] header = objectStreams.get(-streamNumber - 1);
    int n = (header[0] & 0xff) << 24 | (header[1] & 0xff) << 16 | (header[2] & 0xff) << 8 | (header[3] & 0xff);
    int first = (header[4] & 0xff) << 24 | (header[5] & 0xff) << 16 | (header[6] & 0xff) << 8 | (header[7] & 0xff);
    Lexer lexer = new Lexer(data, 0, first);
    for (int i = 0; i < n; i++) {
      int objectNumber = intValue(lexer.value(0));
      int offset = intValue(lexer.value(0));
      if (i == index) {
        if (objectNumber != number) {
          throw new Malformed("object stream " + streamNumber + " holds object " + objectNumber + " where " + number + " was expected");
        }
        return new Lexer(data, first + offset, data.length).value(0);
      }
    }
    throw new Malformed("object stream " + streamNumber + " has no entry " + index);
  }

  private static byte[] toBytes(int a, int b) {
    return new byte[] {(byte) (a >>> 24), (byte) (a >>> 16), (byte) (a >>> 8), (byte) a, (byte) (b >>> 24), (byte) (b >>> 16), (byte) (b >>> 8), (byte) b};
  }

  /** The indirect object {@code N G obj ... endobj} at {@code offset} in {@code buffer}. */
  private Object objectAt(byte[] buffer, int offset, int expectedNumber, int depth) throws Malformed {
    Lexer lexer = new Lexer(buffer, offset, buffer.length);
    int number = intValue(lexer.value(0));
    lexer.value(0);
    lexer.keyword("obj");
    if (expectedNumber >= 0 && number != expectedNumber) {
      throw new Malformed("object " + number + " found where the cross-reference table puts " + expectedNumber);
    }
    Object value = lexer.value(0);
    if (value instanceof Map<?, ?> && lexer.peekKeyword("stream")) {
      @SuppressWarnings("unchecked")
      Map<String, Object> dictionary = (Map<String, Object>) value;
      lexer.keyword("stream");
      int start = lexer.pos;
      if (start < buffer.length && buffer[start] == '\r') {
        start++;
      }
      if (start < buffer.length && buffer[start] == '\n') {
        start++;
      }
      Object length = dictionary.get("Length");
      if (length instanceof Ref ref) {
        if (depth > 0) {
          throw new Malformed("a stream length refers to another stream");
        }
        length = object(ref);
      }
      int end = Math.addExact(start, intValue(length));
      if (end > buffer.length) {
        throw new Malformed("a stream runs past the end of the file");
      }
      Lexer after = new Lexer(buffer, end, buffer.length);
      after.keyword("endstream");
      return new Stream(dictionary, buffer, start, end);
    }
    return value;
  }

  private Section section(int offset) throws Malformed {
    Lexer lexer = new Lexer(pdf, offset, pdf.length);
    if (lexer.peekKeyword("xref")) {
      lexer.keyword("xref");
      Map<Integer, Entry> entries = new LinkedHashMap<>();
      while (!lexer.peekKeyword("trailer")) {
        int first = intValue(lexer.value(0));
        int count = intValue(lexer.value(0));
        if (first < 0 || count < 0 || count > pdf.length / 18) {
          throw new Malformed("a cross-reference subsection out of range");
        }
        for (int i = 0; i < count; i++) {
          long a = longValue(lexer.value(0));
          int b = intValue(lexer.value(0));
          String kind = lexer.word();
          switch (kind) {
            case "n" -> entries.putIfAbsent(first + i, new Entry(1, a, b));
            case "f" -> entries.putIfAbsent(first + i, new Entry(0, a, b));
            default -> throw new Malformed("a cross-reference entry of kind '" + kind + "'");
          }
        }
      }
      lexer.keyword("trailer");
      Map<String, Object> trailer = dictionaryValue(lexer.value(0));
      return new Section(offset, false, -1, trailer, entries, revisionEnd(lexer.pos, offset));
    }
    Lexer header = new Lexer(pdf, offset, pdf.length);
    int number = intValue(header.value(0));
    if (!(objectAt(pdf, offset, number, 1) instanceof Stream s) || !new Name("XRef").equals(s.dictionary().get("Type"))) {
      throw new Malformed("startxref points at neither a cross-reference table nor stream");
    }
    Map<String, Object> dictionary = s.dictionary();
    List<?> w = (List<?>) dictionary.get("W");
    int[] widths = {intValue(w.get(0)), intValue(w.get(1)), intValue(w.get(2))};
    int size = intValue(dictionary.get("Size"));
    List<?> index = dictionary.get("Index") instanceof List<?> l ? l : List.of(0L, (long) size);
    byte[] data = decode(s);
    int rowLength = widths[0] + widths[1] + widths[2];
    Map<Integer, Entry> entries = new LinkedHashMap<>();
    int row = 0;
    for (int i = 0; i + 1 < index.size(); i += 2) {
      int first = intValue(index.get(i));
      int count = intValue(index.get(i + 1));
      for (int k = 0; k < count; k++, row++) {
        int at = row * rowLength;
        if (at + rowLength > data.length) {
          throw new Malformed("a cross-reference stream shorter than its /Index");
        }
        int type = widths[0] == 0 ? 1 : (int) field(data, at, widths[0]);
        long a = field(data, at + widths[0], widths[1]);
        int b = (int) field(data, at + widths[0] + widths[1], widths[2]);
        entries.putIfAbsent(first + k, new Entry(type, a, b));
      }
    }
    Lexer after = new Lexer(pdf, s.dataEnd(), pdf.length);
    after.keyword("endstream");
    after.keyword("endobj");
    return new Section(offset, true, number, dictionary, entries, revisionEnd(after.pos, offset));
  }

  private static long field(byte[] data, int at, int width) {
    long v = 0;
    for (int i = 0; i < width; i++) {
      v = v << 8 | (data[at + i] & 0xff);
    }
    return v;
  }

  /** Just after {@code startxref OFFSET %%EOF} and its end-of-line, if that follows; else -1. */
  private int revisionEnd(int from, int offset) {
    try {
      Lexer lexer = new Lexer(pdf, from, pdf.length);
      lexer.keyword("startxref");
      if (longValue(lexer.value(0)) != offset) {
        return -1;
      }
      lexer.skipWhitespace(false);
      byte[] eof = "%%EOF".getBytes(StandardCharsets.US_ASCII);
      int at = lexer.pos;
      if (!Arrays.equals(pdf, at, Math.min(pdf.length, at + eof.length), eof, 0, eof.length)) {
        return -1;
      }
      at += eof.length;
      if (at < pdf.length && pdf[at] == '\r') {
        at++;
      }
      if (at < pdf.length && pdf[at] == '\n') {
        at++;
      }
      return at;
    } catch (Malformed | RuntimeException e) {
      return -1;
    }
  }

  private static int lastStartxref(byte[] pdf) throws Malformed {
    byte[] key = "startxref".getBytes(StandardCharsets.US_ASCII);
    for (int i = pdf.length - key.length; i >= Math.max(0, pdf.length - 2048); i--) {
      if (Arrays.equals(pdf, i, i + key.length, key, 0, key.length)) {
        Lexer lexer = new Lexer(pdf, i + key.length, pdf.length);
        long offset = longValue(lexer.value(0));
        if (offset < 0 || offset >= pdf.length) {
          throw new Malformed("startxref " + offset + " outside the file");
        }
        return (int) offset;
      }
    }
    throw new Malformed("no startxref near the end of the file");
  }

  /** The decoded data of {@code stream}: unfiltered, or FlateDecode with an optional PNG predictor. */
  static byte[] decode(Stream stream) throws Malformed {
    Object filter = stream.dictionary().get("Filter");
    if (filter instanceof List<?> list && list.size() == 1) {
      filter = list.get(0);
    }
    if (filter == null) {
      return stream.raw();
    }
    if (!new Name("FlateDecode").equals(filter)) {
      throw new Malformed("a stream filter other than FlateDecode");
    }
    byte[] inflated = inflate(stream.source(), stream.dataStart(), stream.dataEnd() - stream.dataStart());
    Object parameters = stream.dictionary().get("DecodeParms");
    if (parameters instanceof List<?> list && list.size() == 1) {
      parameters = list.get(0);
    }
    if (parameters instanceof Map<?, ?> p && p.get("Predictor") != null && intValue(p.get("Predictor")) > 1) {
      int predictor = intValue(p.get("Predictor"));
      int columns = p.get("Columns") == null ? 1 : intValue(p.get("Columns"));
      if (predictor < 10 || (p.get("Colors") != null && intValue(p.get("Colors")) != 1)
          || (p.get("BitsPerComponent") != null && intValue(p.get("BitsPerComponent")) != 8)) {
        throw new Malformed("a stream predictor other than PNG over bytes");
      }
      return unpredict(inflated, columns);
    }
    return inflated;
  }

  private static byte[] inflate(byte[] data, int offset, int length) throws Malformed {
    Inflater inflater = new Inflater();
    try {
      inflater.setInput(data, offset, length);
      ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, length * 4));
      byte[] buffer = new byte[8192];
      while (!inflater.finished()) {
        int n = inflater.inflate(buffer);
        if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          break;
        }
        out.write(buffer, 0, n);
        if (out.size() > MAX_INFLATED) {
          throw new Malformed("a stream inflates to more than " + MAX_INFLATED + " bytes");
        }
      }
      return out.toByteArray();
    } catch (DataFormatException e) {
      throw new Malformed("a stream is not valid deflate data");
    } finally {
      inflater.end();
    }
  }

  /** Undoes PNG row filters (RFC 2083 §6) over rows of {@code columns} bytes. */
  private static byte[] unpredict(byte[] data, int columns) throws Malformed {
    int rows = data.length / (columns + 1);
    if (columns <= 0 || rows * (columns + 1) != data.length) {
      throw new Malformed("predicted stream rows do not add up");
    }
    byte[] out = new byte[rows * columns];
    for (int r = 0; r < rows; r++) {
      int type = data[r * (columns + 1)];
      for (int c = 0; c < columns; c++) {
        int x = data[r * (columns + 1) + 1 + c] & 0xff;
        int left = c > 0 ? out[r * columns + c - 1] & 0xff : 0;
        int up = r > 0 ? out[(r - 1) * columns + c] & 0xff : 0;
        int upLeft = r > 0 && c > 0 ? out[(r - 1) * columns + c - 1] & 0xff : 0;
        int value = switch (type) {
          case 0 -> x;
          case 1 -> x + left;
          case 2 -> x + up;
          case 3 -> x + (left + up) / 2;
          case 4 -> {
            int p = left + up - upLeft;
            int pa = Math.abs(p - left);
            int pb = Math.abs(p - up);
            int pc = Math.abs(p - upLeft);
            yield x + (pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft);
          }
          default -> throw new Malformed("PNG row filter " + type);
        };
        out[r * columns + c] = (byte) value;
      }
    }
    return out;
  }

  static int intValue(Object value) {
    long v = longValue(value);
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("integer out of range");
    }
    return (int) v;
  }

  static long longValue(Object value) {
    if (value instanceof Long l) {
      return l;
    }
    throw new IllegalArgumentException("an integer was expected");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> dictionaryValue(Object value) throws Malformed {
    if (value instanceof Map<?, ?> map) {
      return (Map<String, Object>) map;
    }
    throw new Malformed("a dictionary was expected");
  }

  private static final int[] HEX = new int[256];

  static {
    Arrays.fill(HEX, -1);
    for (int c = 0; c < 256; c++) {
      HEX[c] = Character.digit(c, 16);
    }
  }

  /** Tokens and direct objects of PDF syntax (ISO 32000-1 §7.2, §7.3). */
  static final class Lexer {
    private final byte[] b;
    int pos;
    private final int limit;

    Lexer(byte[] b, int pos, int limit) {
      this.b = b;
      this.pos = pos;
      this.limit = limit;
    }

    static boolean whitespace(int c) {
      return c == 0 || c == 9 || c == 10 || c == 12 || c == 13 || c == 32;
    }

    static boolean delimiter(int c) {
      return c == '(' || c == ')' || c == '<' || c == '>' || c == '[' || c == ']' || c == '{' || c == '}' || c == '/' || c == '%';
    }

    void skipWhitespace(boolean comments) {
      while (pos < limit) {
        int c = b[pos] & 0xff;
        if (whitespace(c)) {
          pos++;
        } else if (comments && c == '%') {
          while (pos < limit && b[pos] != '\n' && b[pos] != '\r') {
            pos++;
          }
        } else {
          return;
        }
      }
    }

    /** A regular-character token. */
    String word() throws Malformed {
      skipWhitespace(true);
      int start = pos;
      while (pos < limit && !whitespace(b[pos] & 0xff) && !delimiter(b[pos] & 0xff)) {
        pos++;
      }
      if (pos == start) {
        throw new Malformed("a token was expected");
      }
      return new String(b, start, pos - start, StandardCharsets.ISO_8859_1);
    }

    boolean peekKeyword(String keyword) {
      int saved = pos;
      try {
        return keyword.equals(word());
      } catch (Malformed e) {
        return false;
      } finally {
        pos = saved;
      }
    }

    void keyword(String keyword) throws Malformed {
      String word = word();
      if (!keyword.equals(word)) {
        throw new Malformed("'" + keyword + "' was expected");
      }
    }

    Object value(int depth) throws Malformed {
      if (depth > MAX_DEPTH) {
        throw new Malformed("objects nested too deep");
      }
      skipWhitespace(true);
      if (pos >= limit) {
        throw new Malformed("the data ends inside an object");
      }
      int c = b[pos] & 0xff;
      switch (c) {
        case '/' -> {
          return name();
        }
        case '(' -> {
          return literal();
        }
        case '[' -> {
          pos++;
          List<Object> list = new ArrayList<>();
          while (true) {
            skipWhitespace(true);
            if (pos < limit && b[pos] == ']') {
              pos++;
              return list;
            }
            list.add(value(depth + 1));
          }
        }
        case '<' -> {
          if (pos + 1 < limit && b[pos + 1] == '<') {
            pos += 2;
            Map<String, Object> map = new LinkedHashMap<>();
            while (true) {
              skipWhitespace(true);
              if (pos + 1 < limit && b[pos] == '>' && b[pos + 1] == '>') {
                pos += 2;
                return map;
              }
              if (!(value(depth + 1) instanceof Name key)) {
                throw new Malformed("a dictionary key is not a name");
              }
              Object v = value(depth + 1);
              if (map.put(key.value(), v) != null) {
                throw new Malformed("a dictionary repeats the key /" + key.value());
              }
            }
          }
          return hex();
        }
        default -> {
          if (c == '+' || c == '-' || c == '.' || (c >= '0' && c <= '9')) {
            return numberOrRef();
          }
          String word = word();
          return switch (word) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            case "null" -> NULL;
            default -> throw new Malformed("unexpected token '" + (word.length() > 16 ? word.substring(0, 16) : word) + "'");
          };
        }
      }
    }

    private Object numberOrRef() throws Malformed {
      Object first = number();
      if (first instanceof Long n && n >= 0) {
        int saved = pos;
        skipWhitespace(true);
        if (pos < limit && b[pos] >= '0' && b[pos] <= '9') {
          Object second = number();
          if (second instanceof Long g && g >= 0 && g <= 65535) {
            skipWhitespace(true);
            if (pos < limit && b[pos] == 'R' && (pos + 1 >= limit || whitespace(b[pos + 1] & 0xff) || delimiter(b[pos + 1] & 0xff))) {
              pos++;
              return new Ref(Math.toIntExact(n), g.intValue());
            }
          }
        }
        pos = saved;
      }
      return first;
    }

    private Object number() throws Malformed {
      // The usual integer (object numbers, offsets, lengths, coordinates), read from the bytes
      // without a String: what Long.parseLong would answer, and anything else as before.
      skipWhitespace(true);
      int start = pos;
      int end = start;
      while (end < limit && !whitespace(b[end] & 0xff) && !delimiter(b[end] & 0xff)) {
        end++;
      }
      int digits = start < end && (b[start] == '+' || b[start] == '-') ? start + 1 : start;
      if (digits < end && end - digits <= 18) {
        long v = 0;
        int i = digits;
        while (i < end && b[i] >= '0' && b[i] <= '9') {
          v = 10 * v + (b[i++] - '0');
        }
        if (i == end) {
          pos = end;
          return b[start] == '-' ? -v : v;
        }
      }
      String word = word();
      try {
        if (word.indexOf('.') >= 0) {
          return Double.parseDouble(word);
        }
        return Long.parseLong(word.startsWith("+") ? word.substring(1) : word);
      } catch (NumberFormatException e) {
        throw new Malformed("a malformed number");
      }
    }

    private Name name() throws Malformed {
      pos++;
      // The usual name, without #-escapes: its bytes as they are, without a buffer between.
      int end = pos;
      while (end < limit && !whitespace(b[end] & 0xff) && !delimiter(b[end] & 0xff) && b[end] != '#') {
        end++;
      }
      if (end >= limit || b[end] != '#') {
        String plain = new String(b, pos, end - pos, StandardCharsets.UTF_8);
        pos = end;
        return new Name(plain);
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      while (pos < limit && !whitespace(b[pos] & 0xff) && !delimiter(b[pos] & 0xff)) {
        int c = b[pos++] & 0xff;
        if (c == '#' && pos + 1 < limit) {
          int hi = Character.digit(b[pos], 16);
          int lo = Character.digit(b[pos + 1], 16);
          if (hi < 0 || lo < 0) {
            throw new Malformed("a malformed #-escape in a name");
          }
          c = hi << 4 | lo;
          pos += 2;
        }
        out.write(c);
      }
      return new Name(out.toString(StandardCharsets.UTF_8));
    }

    private PdfString hex() throws Malformed {
      int start = pos++;
      // A signature's /Contents is tens of thousands of digits: decoded straight into its array.
      int end = pos;
      while (end < limit && b[end] != '>') {
        end++;
      }
      if (end >= limit) {
        throw new Malformed("an unterminated hex string");
      }
      byte[] out = new byte[(end - pos + 1) / 2];
      int n = 0;
      int high = -1;
      for (; pos < end; pos++) {
        int c = b[pos] & 0xff;
        if (whitespace(c)) {
          continue;
        }
        int d = HEX[c];
        if (d < 0) {
          throw new Malformed("a non-hex digit in a hex string");
        }
        if (high < 0) {
          high = d;
        } else {
          out[n++] = (byte) (high << 4 | d);
          high = -1;
        }
      }
      if (high >= 0) {
        out[n++] = (byte) (high << 4);
      }
      pos = end + 1;
      return new PdfString(n == out.length ? out : Arrays.copyOf(out, n), b, start, pos);
    }

    private PdfString literal() throws Malformed {
      int start = pos++;
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int nesting = 1;
      while (true) {
        if (pos >= limit) {
          throw new Malformed("an unterminated string");
        }
        int c = b[pos++] & 0xff;
        if (c == '(') {
          nesting++;
        } else if (c == ')') {
          if (--nesting == 0) {
            break;
          }
        } else if (c == '\\') {
          if (pos >= limit) {
            throw new Malformed("an unterminated string");
          }
          int e = b[pos++] & 0xff;
          switch (e) {
            case 'n' -> c = '\n';
            case 'r' -> c = '\r';
            case 't' -> c = '\t';
            case 'b' -> c = '\b';
            case 'f' -> c = '\f';
            case '\r' -> {
              if (pos < limit && b[pos] == '\n') {
                pos++;
              }
              continue;
            }
            case '\n' -> {
              continue;
            }
            default -> {
              if (e >= '0' && e <= '7') {
                int v = e - '0';
                for (int i = 0; i < 2 && pos < limit && b[pos] >= '0' && b[pos] <= '7'; i++) {
                  v = v * 8 + (b[pos++] - '0');
                }
                c = v & 0xff;
              } else {
                c = e;
              }
            }
          }
        }
        out.write(c);
      }
      return new PdfString(out.toByteArray(), b, start, pos);
    }
  }
}
