package dev.baton.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WatchdogTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  @ParameterizedTest
  @ValueSource(strings = {"sleep", "consul"})
  void childrenDoNotOutliveAJvmKilledWithSigkill(String kind) {
    try (ManagedProcess probe = ManagedProcess.builder(JavaJar.javaBinary().toString(),
        "-cp", System.getProperty("java.class.path"), WatchdogProbe.class.getName(), kind).start()) {
      MatchResult started = probe.awaitLog(Pattern.compile("child (\\d+) port (\\d+)"), TIMEOUT);
      long child = Long.parseLong(started.group(1));
      int port = Integer.parseInt(started.group(2));
      int expected = kind.equals("sleep") ? 2 : 0;
      List<ProcessHandle> tree = Poll.value(TIMEOUT, () -> {
        List<ProcessHandle> all = ProcessHandle.of(child).orElseThrow().descendants().toList();
        return all.size() >= expected ? all : null;
      }, expected + " descendants of " + kind);

      probe.kill9();
      assertThat(probe.waitForExit(TIMEOUT)).isEqualTo(137);

      Poll.until(TIMEOUT, () -> !Processes.isRunning(child),
          kind + " child " + child + " to be stopped by the watchdog");
      Poll.until(TIMEOUT, () -> tree.stream().noneMatch(Processes::isRunning), "the child's descendants to be gone");
      if (port > 0) {
        Poll.until(TIMEOUT, () -> !accepts(port), "port " + port + " to refuse connections");
      }
    }
  }

  private static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (Exception e) {
      return false;
    }
  }
}
