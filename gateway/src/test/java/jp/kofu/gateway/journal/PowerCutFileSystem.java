package jp.kofu.gateway.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.h2.store.fs.FilePath;
import org.h2.store.fs.FilePathWrapper;

/**
 * A file system for H2 that models a disk's page cache: what H2 writes reaches the file at once
 * (so H2 reads it back as usual), but only what a {@code force} (fsync) followed is also in the
 * file's <em>synced image</em>. {@link #cut} is the power failure: every later write fails, and
 * {@link #survivor} is the file as the disk would have it after the cut — the synced image, every
 * write not followed by a sync forgotten. Used as {@code jdbc:h2:powercut:/path/...}.
 */
public final class PowerCutFileSystem extends FilePathWrapper {
  static final String SCHEME = "powercut";

  /** Synced images of the database files written through this file system, by real path. */
  private static final Map<String, Image> IMAGES = new ConcurrentHashMap<>();

  private static final Object POWER = new Object();
  private static volatile boolean off;
  private static long forces;

  static {
    FilePath.register(new PowerCutFileSystem());
  }

  /** The URL prefix for a database file at {@code file} (without extension). */
  static String url(Path file) {
    return "jdbc:h2:" + SCHEME + ":" + file.toAbsolutePath()
        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
  }

  /** Power on: writes work again (for a database opened after {@link #cut}). */
  static void powerOn() {
    synchronized (POWER) {
      off = false;
    }
  }

  /** The power fails: no write, truncation or sync gets to the disk any more. */
  static void cut() {
    synchronized (POWER) {
      off = true;
    }
  }

  static boolean isOff() {
    return off;
  }

  /** How many times a file was forced to disk since the start. */
  static long forces() {
    synchronized (POWER) {
      return forces;
    }
  }

  /** Writes the synced image of {@code dbFile} (the real path of a .mv.db) to {@code to}. */
  static void survivor(Path dbFile, Path to) throws IOException {
    Image image = IMAGES.get(dbFile.toAbsolutePath().toString());
    Files.createDirectories(to.getParent());
    if (image == null) {
      Files.deleteIfExists(to);
      return;
    }
    synchronized (POWER) {
      Files.write(to, image.bytes());
    }
  }

  @Override
  public String getScheme() {
    return SCHEME;
  }

  @Override
  public FileChannel open(String mode) throws IOException {
    FileChannel base = getBase().open(mode);
    String real = Path.of(getBase().toString()).toAbsolutePath().toString();
    if (!real.endsWith(".mv.db")) {
      return base;
    }
    Image image = IMAGES.get(real);
    if (image == null) {
      Path file = Path.of(real);
      image = new Image(Files.exists(file) ? Files.readAllBytes(file) : new byte[0]);
      Image known = IMAGES.putIfAbsent(real, image);
      image = known == null ? image : known;
    }
    return new Channel(base, image);
  }

  /** What of one file is on the disk: its bytes as of the last sync, and the writes since. */
  private static final class Image {
    private byte[] synced;
    private long syncedLength;

    /** A file as it is on the disk now: {@code bytes}. */
    Image(byte[] bytes) {
      synced = bytes;
      syncedLength = bytes.length;
    }
    private final List<Object[]> unsynced = new ArrayList<>();

    synchronized void written(long position, ByteBuffer data) {
      byte[] copy = new byte[data.remaining()];
      data.duplicate().get(copy);
      unsynced.add(new Object[] {position, copy});
    }

    synchronized void truncated(long size) {
      unsynced.add(new Object[] {size, null});
    }

    /** Everything written so far is on the disk. */
    synchronized void sync() {
      for (Object[] w : unsynced) {
        long pos = (Long) w[0];
        byte[] data = (byte[]) w[1];
        if (data == null) {
          syncedLength = Math.min(syncedLength, pos);
          continue;
        }
        long end = pos + data.length;
        if (end > synced.length) {
          byte[] grown = new byte[(int) Math.max(end, synced.length * 2L)];
          System.arraycopy(synced, 0, grown, 0, (int) syncedLength);
          synced = grown;
        }
        if (pos > syncedLength) {
          java.util.Arrays.fill(synced, (int) syncedLength, (int) pos, (byte) 0);
        }
        System.arraycopy(data, 0, synced, (int) pos, data.length);
        syncedLength = Math.max(syncedLength, end);
      }
      unsynced.clear();
    }

    synchronized byte[] bytes() {
      return java.util.Arrays.copyOf(synced, (int) syncedLength);
    }
  }

  private static final class Channel extends FileChannel {
    private final FileChannel base;
    private final Image image;

    Channel(FileChannel base, Image image) {
      this.base = base;
      this.image = image;
    }

    private static void powered() throws IOException {
      if (off) {
        throw new IOException("power cut");
      }
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
      return base.read(dst);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
      return base.read(dsts, offset, length);
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
      return base.read(dst, position);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
      return write(src, base.position());
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
      long n = 0;
      for (int i = offset; i < offset + length; i++) {
        n += write(srcs[i]);
      }
      return n;
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
      synchronized (POWER) {
        powered();
        image.written(position, src);
        int n = base.write(src, position);
        if (src.hasRemaining()) {
          throw new IOException("short write");
        }
        return n;
      }
    }

    @Override
    public long position() throws IOException {
      return base.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
      base.position(newPosition);
      return this;
    }

    @Override
    public long size() throws IOException {
      return base.size();
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
      synchronized (POWER) {
        powered();
        image.truncated(size);
        base.truncate(size);
        return this;
      }
    }

    @Override
    public void force(boolean metaData) throws IOException {
      synchronized (POWER) {
        powered();
        base.force(metaData);
        image.sync();
        forces++;
      }
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
      return base.transferTo(position, count, target);
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
      throw new IOException("transferFrom: not supported by the power-cut file system");
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
      throw new IOException("map: not supported by the power-cut file system");
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
      return base.lock(position, size, shared);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
      return base.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
      base.close();
    }
  }

  /** Forgets the images (between tests). */
  static void reset() {
    IMAGES.clear();
  }
}
