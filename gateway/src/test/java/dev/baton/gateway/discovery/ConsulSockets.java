package dev.baton.gateway.discovery;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Established TCP connections of this process to a local port, from /proc (Linux only). */
final class ConsulSockets {

  private ConsulSockets() {
  }

  /** Established TCP connections of this process to {@code 127.0.0.1:port}: its socket inodes in /proc/net/tcp*. */
  static long connectionsTo(int port) throws IOException {
    Set<String> inodes = new HashSet<>();
    try (var fds = Files.list(Path.of("/proc/self/fd"))) {
      for (Path fd : (Iterable<Path>) fds::iterator) {
        try {
          String link = Files.readSymbolicLink(fd).toString();
          if (link.startsWith("socket:[")) {
            inodes.add(link.substring(8, link.length() - 1));
          }
        } catch (IOException gone) {
          // closed while listed
        }
      }
    }
    String remotePort = String.format(Locale.ROOT, ":%04X", port);
    long n = 0;
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      List<String> lines = Files.readAllLines(Path.of(table));
      for (String line : lines.subList(1, lines.size())) {
        String[] f = line.trim().split("\\s+"); // sl local rem st tx:rx tr:when retrnsmt uid timeout inode
        if (f[2].endsWith(remotePort) && "01".equals(f[3]) && inodes.contains(f[9])) {
          n++;
        }
      }
    }
    return n;
  }
}
