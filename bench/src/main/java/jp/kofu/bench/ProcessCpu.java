package jp.kofu.bench;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * This process's CPU time split by who spent it: the JIT compiler's threads, the garbage
 * collector's threads, and the rest (the application's threads, Netty, the VM thread, ...). The
 * whole is {@code OperatingSystemMXBean.getProcessCpuTime}; the JIT's and GC's shares are the
 * per-thread CPU times of the JVM's own threads, read from Linux's {@code /proc/self/task/TID}
 * ({@code schedstat}, nanoseconds; the thread's name from {@code comm}), since those threads are
 * not Java threads and {@code ThreadMXBean} does not list them. Elsewhere than Linux the shares
 * are unknown (reported as such) and only the whole is measured.
 *
 * <p>A thread that ends inside the interval loses the CPU it spent there from its share (it
 * stays in the whole, so it lands in "rest"); the compiler's own accounting, {@code
 * CompilationMXBean.getTotalCompilationTime}, is kept beside it as a cross-check.
 */
final class ProcessCpu {
  private static final OperatingSystemMXBean OS = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private static final Path TASKS = Path.of("/proc/self/task");

  /** A reading: the whole, and each JVM-internal thread's CPU nanoseconds by thread id. */
  record Snapshot(long total, Map<String, Long> jit, Map<String, Long> gc, long compilationMillis, long gcCount, long gcMillis) {}

  /** The split of an interval, nanoseconds; {@code known} is false when the shares could not be read. */
  record Split(long total, long jit, long gc, long compilationMillis, long gcCount, long gcMillis, boolean known) {
    long rest() {
      return total - jit - gc;
    }
  }

  private ProcessCpu() {}

  /** This process's CPU time so far, every thread. */
  static long processNanos() {
    return OS.getProcessCpuTime();
  }

  static Snapshot snapshot() {
    Map<String, Long> jit = new HashMap<>();
    Map<String, Long> gc = new HashMap<>();
    if (Files.isDirectory(TASKS)) {
      try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
        for (Path task : tasks) {
          try {
            String name = Files.readString(task.resolve("comm"), StandardCharsets.UTF_8).strip();
            Map<String, Long> into = isJit(name) ? jit : isGc(name) ? gc : null;
            if (into != null) {
              String schedstat = Files.readString(task.resolve("schedstat"), StandardCharsets.US_ASCII);
              into.put(task.getFileName().toString(), Long.parseLong(schedstat.substring(0, schedstat.indexOf(' '))));
            }
          } catch (IOException | RuntimeException e) {
            // the thread ended while being read: it is in the whole
          }
        }
      } catch (IOException e) {
        // not readable: the split stays unknown
      }
    }
    CompilationMXBean compiler = ManagementFactory.getCompilationMXBean();
    long compilation = compiler != null && compiler.isCompilationTimeMonitoringSupported() ? compiler.getTotalCompilationTime() : -1;
    long count = 0;
    long millis = 0;
    for (GarbageCollectorMXBean g : ManagementFactory.getGarbageCollectorMXBeans()) {
      count += Math.max(0, g.getCollectionCount());
      millis += Math.max(0, g.getCollectionTime());
    }
    return new Snapshot(OS.getProcessCpuTime(), jit, gc, compilation, count, millis);
  }

  static Split between(Snapshot before, Snapshot after) {
    boolean known = !after.jit.isEmpty() || !after.gc.isEmpty();
    return new Split(
        after.total - before.total,
        delta(before.jit, after.jit),
        delta(before.gc, after.gc),
        after.compilationMillis - before.compilationMillis,
        after.gcCount - before.gcCount,
        after.gcMillis - before.gcMillis,
        known);
  }

  private static long delta(Map<String, Long> before, Map<String, Long> after) {
    long sum = 0;
    for (Map.Entry<String, Long> e : after.entrySet()) {
      sum += e.getValue() - before.getOrDefault(e.getKey(), 0L);
    }
    return sum;
  }

  /** HotSpot's compiler threads: "C1 CompilerThread0", "C2 CompilerThread1" (comm keeps 15 characters). */
  static boolean isJit(String name) {
    return name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre") || name.startsWith("JVMCI");
  }

  /** The collectors' threads (G1, Parallel, Serial's none, ZGC, Shenandoah). */
  static boolean isGc(String name) {
    return name.startsWith("GC Thread") || name.startsWith("G1 ") || name.startsWith("ZWorker") || name.startsWith("ZDirector")
        || name.startsWith("ZDriver") || name.startsWith("Shenandoah") || name.startsWith("Shenan") || name.startsWith("PGC");
  }
}
