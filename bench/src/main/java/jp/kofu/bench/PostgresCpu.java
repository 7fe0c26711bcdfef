package jp.kofu.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** CPU time of a PostgreSQL server running on this machine (the benchmarks' embedded one), from /proc. */
final class PostgresCpu {
  private PostgresCpu() {}

  /**
   * CPU time of the server's processes: the postmaster, its live children, and the children it
   * has reaped; 0 without /proc. {@code c}: a connection to it (for its data directory).
   */
  static long nanos(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW data_directory")) {
      rs.next();
      long postmaster = Long.parseLong(Files.readAllLines(Path.of(rs.getString(1), "postmaster.pid")).get(0).trim());
      long ticks = procTicks(postmaster, true);
      for (String child : Files.readString(Path.of("/proc", "" + postmaster, "task", "" + postmaster, "children")).trim().split("\\s+")) {
        if (!child.isEmpty()) {
          ticks += procTicks(Long.parseLong(child), false);
        }
      }
      return ticks * 10_000_000L; // USER_HZ = 100 on Linux
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /** utime + stime (+ cutime + cstime) of a process, in clock ticks; 0 if it is gone. */
  private static long procTicks(long pid, boolean withChildren) {
    try {
      String stat = Files.readString(Path.of("/proc", "" + pid, "stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // Fields from the state (field 3): utime is 14, stime 15, cutime 16, cstime 17.
      long t = Long.parseLong(f[11]) + Long.parseLong(f[12]);
      return withChildren ? t + Long.parseLong(f[13]) + Long.parseLong(f[14]) : t;
    } catch (IOException e) {
      return 0;
    }
  }
}
