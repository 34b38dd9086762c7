package dev.baton.e2e.bench;

import dev.baton.testsupport.JavaJar;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The output of one control-plane benchmark (bench/README.md, "Control plane"): lines of figures, printed and
 * written to {@code target/bench-<name>.txt}, opened and closed with the machine's load average so a reader knows
 * what else ran; plus the figures of a process read from {@code /proc} and {@code jcmd}.
 */
final class BenchReport {

  private final String name;
  private final StringBuilder text = new StringBuilder();

  BenchReport(String name, String title) {
    this.name = name;
    line("== " + title);
    line("load average at start: " + loadAverage());
  }

  BenchReport line(String s) {
    text.append(s).append('\n');
    System.out.println(s);
    return this;
  }

  BenchReport format(String format, Object... args) {
    return line(String.format(Locale.ROOT, format, args));
  }

  /** Writes the report, with the load average at the end, to {@code target/bench-<name>.txt}. */
  void write() throws IOException {
    line("load average at end: " + loadAverage());
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target", "bench-" + name + ".txt"), text.toString());
  }

  static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      return "unknown (" + e.getMessage() + ")";
    }
  }

  /** {@code n=.. p50 .. p99 .. max ..} of milliseconds. */
  static String summary(List<Double> ms) {
    List<Double> sorted = new ArrayList<>(ms);
    sorted.sort(Double::compare);
    return String.format(Locale.ROOT, "n=%d p50 %.1f ms  p90 %.1f ms  p99 %.1f ms  max %.1f ms", sorted.size(),
        pct(sorted, 0.50), pct(sorted, 0.90), pct(sorted, 0.99), sorted.get(sorted.size() - 1));
  }

  static double pct(List<Double> sorted, double p) {
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1)));
  }

  static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(Double::compare);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  /** A field of {@code /proc/<pid>/status} in kB ({@code VmRSS}, {@code Threads} as a count), or -1. */
  static long procStatus(long pid, String field) throws IOException {
    for (String l : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (l.startsWith(field + ":")) {
        return Long.parseLong(l.substring(field.length() + 1).trim().split("\\s+")[0]);
      }
    }
    return -1;
  }

  /** How many of the process's file descriptors are sockets. */
  static long sockets(long pid) throws IOException {
    long n = 0;
    try (var fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      for (Path fd : (Iterable<Path>) fds::iterator) {
        try {
          if (Files.readSymbolicLink(fd).toString().startsWith("socket:")) {
            n++;
          }
        } catch (IOException gone) {
          // closed while listed
        }
      }
    }
    return n;
  }

  /** The process's established TCP connections to {@code 127.0.0.1:port} ({@code ss -tnp}). */
  static long connectionsTo(long pid, int port) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("ss", "-tnpH", "state", "established").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor(30, TimeUnit.SECONDS);
    return out.lines().filter(l -> l.contains("pid=" + pid + ",")).map(l -> l.trim().split("\\s+"))
        .filter(f -> f.length > 3 && f[3].endsWith(":" + port)).count(); // Recv-Q Send-Q Local Peer Process
  }

  /**
   * The heap after a full collection: runs {@code jcmd <pid> GC.run} then returns {@code GC.heap_info}'s text (the
   * collector's own lines, e.g. {@code def new generation total .., used ..}).
   */
  static String heapAfterGc(long pid) throws IOException, InterruptedException {
    jcmd(pid, "GC.run");
    return jcmd(pid, "GC.heap_info").lines().filter(l -> l.contains("used") || l.contains("total"))
        .map(String::trim).reduce((a, b) -> a + "; " + b).orElse("?");
  }

  /** Heap used after a full collection in MiB, from {@code GC.class_histogram}'s total (live objects only). */
  static double liveHeapMiB(long pid) throws IOException, InterruptedException {
    String histogram = jcmd(pid, "GC.class_histogram");
    for (String l : histogram.lines().toList()) {
      if (l.startsWith("Total")) {
        String[] f = l.trim().split("\\s+");
        return Long.parseLong(f[2]) / 1048576.0;
      }
    }
    return -1;
  }

  /** The {@code top} classes by live bytes ({@code GC.class_histogram}, after a full GC), one per line. */
  static String topClasses(long pid, int top) throws IOException, InterruptedException {
    StringBuilder out = new StringBuilder();
    jcmd(pid, "GC.class_histogram").lines().filter(l -> l.trim().matches("\\d+:\\s+\\d+\\s+\\d+\\s+.*")).limit(top)
        .forEach(l -> {
          String[] f = l.trim().split("\\s+");
          out.append(String.format(Locale.ROOT, "    %8.1f MiB %9s objects  %s%n", Long.parseLong(f[2]) / 1048576.0,
              f[1], f[3]));
        });
    return out.toString().stripTrailing();
  }

  static String jcmd(long pid, String command) throws IOException, InterruptedException {
    Path jcmd = JavaJar.javaBinary().resolveSibling("jcmd");
    Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("jcmd " + command + " did not end");
    }
    return out;
  }
}
