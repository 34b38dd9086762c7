package dev.baton.e2e.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.e2e.fixtures.Given;
import dev.baton.testsupport.JavaJar;
import dev.baton.testsupport.ManagedProcess;
import dev.baton.testsupport.Poll;
import dev.baton.testsupport.stack.Service;
import dev.baton.testsupport.stack.ServiceSpec;
import dev.baton.testsupport.stack.Stack;
import dev.baton.testsupport.stack.StackBuilder;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Gateway memory with many idle keep-alive connections (bench/README.md, "Control plane"): a gateway started with
 * its default JVM options ({@code java -jar}, no flag) and its default traffic verticles (one per core) routes one
 * app of one real sample-app instance; the bench opens {@code -Dbaton.bench.connections} (10,000) client
 * connections, sends one GET on each, reads the answer and leaves it open. Then VmRSS and threads from
 * {@code /proc/<pid>/status} and the live heap after a full GC ({@code jcmd GC.class_histogram}), against the same
 * gateway holding no connection. Asserts only that every connection got its 200 and that a sample of them still
 * answers afterwards (they were really kept alive).
 */
@EnabledIfSystemProperty(named = "baton.bench", matches = "true",
    disabledReason = "a measurement: run it with -Dbaton.bench=true")
class IdleConnectionsIT {

  private static final String APP = "idle";
  private static final int CONNECTIONS = Integer.getInteger("baton.bench.connections", 10_000);
  /**
   * JVM options after the shipped ones ({@code gateway/jvm.options}), e.g. {@code -Dbaton.bench.gatewayJvm=
   * "-XX:NativeMemoryTracking=summary"}; {@code -Dbaton.bench.gatewayJvmFile=false} leaves the shipped file out (the
   * JDK's defaults).
   */
  private static final String JVM_OPTIONS = System.getProperty("baton.bench.gatewayJvm", "");
  /** {@code MALLOC_ARENA_MAX} of the gateway's process, e.g. {@code 2}; glibc's default (8 per core) unless set. */
  private static final String MALLOC_ARENA_MAX = System.getProperty("baton.bench.mallocArenaMax", "");
  /** {@code true}: gateway/jvm.options; {@code false}: none; else a file of gateway/, e.g. {@code jvm-small.options}. */
  private static final String JVM_FILE_NAME = System.getProperty("baton.bench.gatewayJvmFile", "true");
  private static final boolean JVM_FILE = !"false".equals(JVM_FILE_NAME);
  /** {@code BATON_TRANSPORT} of the gateway: its default, {@code auto} (io_uring here), or epoll, nio. */
  private static final String TRANSPORT = System.getProperty("baton.bench.transport", "auto");
  private static final byte[] GET = ("GET / HTTP/1.1\r\nHost: bench\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
  private static final Pattern LENGTH = Pattern.compile("(?i)\r\ncontent-length:\\s*(\\d+)");
  private static Stack stack;
  private static Vertx vertx;

  @BeforeAll
  static void start() {
    stack = StackBuilder.create().name("bench-idle").registries(1).gateways(1).agents(1).start();
    stack.awaitLeader(Duration.ofSeconds(60));
    vertx = Vertx.vertx();
    new Given(stack, vertx, APP).artifacts("1.0.0").app(1, Map.of()).serving("1.0.0");
  }

  @AfterAll
  static void stop() throws Exception {
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void tenThousandIdleConnections() throws Exception {
    // Idle timeout raised from 60 s so that no connection is closed while the figures are read on a loaded machine.
    ServiceSpec gatewaySpec = ServiceSpec.gateway("gateway-default");
    if (!MALLOC_ARENA_MAX.isBlank()) {
      gatewaySpec = gatewaySpec.env("MALLOC_ARENA_MAX", MALLOC_ARENA_MAX);
    }
    Service spec = stack.define(gatewaySpec.env("BATON_IDLE_TIMEOUT_S", "900")
        .env("BATON_TRAFFIC_INSTANCES", Integer.toString(Runtime.getRuntime().availableProcessors()))
        .env("BATON_TRANSPORT", TRANSPORT));
    List<String> command = new ArrayList<>(List.of(JavaJar.javaBinary().toString()));
    java.nio.file.Path jvmFile = Service.jar(spec.kind()).toAbsolutePath().getParent()
        .resolveSibling("true".equals(JVM_FILE_NAME) ? "jvm.options" : JVM_FILE_NAME);
    if (JVM_FILE) {
      command.add("@" + jvmFile);
    }
    if (!JVM_OPTIONS.isBlank()) {
      command.addAll(List.of(JVM_OPTIONS.trim().split("\\s+")));
    }
    command.addAll(List.of("-jar", Service.jar(spec.kind()).toString()));
    String options = (JVM_FILE ? "@gateway/" + jvmFile.getFileName() + " " + jvmOptions(jvmFile) : "with no option file: JDK 17 defaults")
        + (JVM_OPTIONS.isBlank() ? "" : " then " + JVM_OPTIONS)
        + (MALLOC_ARENA_MAX.isBlank() ? "" : ", MALLOC_ARENA_MAX=" + MALLOC_ARENA_MAX);
    BenchReport report = new BenchReport("idle-connections" + (JVM_OPTIONS.isBlank() && "true".equals(JVM_FILE_NAME)
        && "auto".equals(TRANSPORT) ? "" : "-" + TRANSPORT + (JVM_FILE ? "" : "-jdk")
        + ("true".equals(JVM_FILE_NAME) || !JVM_FILE ? "" : "-" + JVM_FILE_NAME) + (JVM_OPTIONS.isBlank() ? "" : "-options")),
        CONNECTIONS + " idle keep-alive connections to a gateway (java " + options + " on "
        + Runtime.getRuntime().availableProcessors() + " cores, BATON_TRANSPORT=" + TRANSPORT + ", "
        + "BATON_TRAFFIC_INSTANCES=" + Runtime.getRuntime().availableProcessors() + ", open files "
        + openFilesLimit() + ")");
    List<SocketChannel> open = new ArrayList<>();
    try (ManagedProcess gateway = ManagedProcess.builder(command).name(spec.id()).env(spec.env())
        .directory(stack.dir()).logFile(stack.logDir().resolve(spec.id() + ".log")).start()) {
      gateway.awaitLog(Pattern.compile("gateway listening on"), Duration.ofMinutes(2));
      InetSocketAddress address = new InetSocketAddress("127.0.0.1", spec.httpPort());
      Poll.until(Duration.ofSeconds(30), () -> {
        try (SocketChannel c = SocketChannel.open(address)) {
          return get(c).startsWith("HTTP/1.1 200");
        }
      }, "the gateway to route " + APP);
      for (int i = 0; i < 200; i++) { // warm: the first connections load the classes every later one uses
        try (SocketChannel c = SocketChannel.open(address)) {
          get(c);
        }
      }
      long pid = gateway.pid();
      report.line("connections | VmRSS | VmRSS after full GC | live heap after full GC | threads | heap (GC.heap_info after GC)");
      double idle = figures(report, pid, 0);
      long t0 = System.nanoTime();
      for (int i = 0; i < CONNECTIONS; i++) {
        SocketChannel c = SocketChannel.open(address);
        open.add(c);
        String head = get(c);
        assertThat(head).as("connection " + i).startsWith("HTTP/1.1 200");
      }
      double openS = (System.nanoTime() - t0) / 1e9;
      double busy = figures(report, pid, CONNECTIONS);
      report.format("opening %d connections with one GET each took %.1f s; live heap per connection %.2f KiB",
          CONNECTIONS, openS, (busy - idle) * 1024 / CONNECTIONS);
      report.line("live heap by class with " + CONNECTIONS + " connections (top 12):\n" + BenchReport.topClasses(pid, 12));
      if (JVM_OPTIONS.contains("NativeMemoryTracking")) {
        report.line("native memory by category, committed (jcmd VM.native_memory summary):\n" + BenchReport
            .jcmd(pid, "VM.native_memory summary scale=MB").lines().filter(l -> l.startsWith("-") || l.startsWith("Total"))
            .map(l -> "    " + l.trim().replaceAll("\\s+", " ")).reduce((a, b) -> a + "\n" + b).orElse("?"));
      }
      for (int i = 0; i < open.size(); i += Math.max(1, open.size() / 100)) {
        assertThat(get(open.get(i))).as("kept-alive connection " + i + " still answers").startsWith("HTTP/1.1 200");
      }
      report.line("gateway log says: " + limitLine(gateway));
      gateway.stop(Duration.ofSeconds(20));
    } finally {
      for (SocketChannel c : open) {
        c.close();
      }
    }
    report.write();
  }

  /** One row of figures; returns the live heap in MiB. */
  private static double figures(BenchReport report, long pid, int connections) throws Exception {
    long rss = BenchReport.procStatus(pid, "VmRSS") / 1024; // as the gateway holds it, before the bench's full GC
    double live = BenchReport.liveHeapMiB(pid);
    String heap = BenchReport.heapAfterGc(pid);
    report.format("%11d | %4d MiB | %4d MiB | %19.1f MiB | %7d | %s", connections, rss,
        BenchReport.procStatus(pid, "VmRSS") / 1024, live, BenchReport.procStatus(pid, "Threads"), heap);
    return live;
  }

  private static String limitLine(ManagedProcess gateway) throws IOException {
    return java.nio.file.Files.readAllLines(gateway.logFile()).stream().filter(l -> l.contains("client connections"))
        .findFirst().orElse("(no connection limit line)");
  }

  /** The options of a java @-file, comments left out, on one line. */
  private static String jvmOptions(java.nio.file.Path file) throws IOException {
    return String.join(" ", java.nio.file.Files.readAllLines(file).stream().map(l -> l.replaceAll("#.*", "").trim())
        .filter(l -> !l.isEmpty()).toList());
  }

  private static String openFilesLimit() {
    try {
      return java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/limits")).stream()
          .filter(l -> l.startsWith("Max open files")).map(l -> l.replaceAll("\\s+", " ").trim()).findFirst().orElse("?");
    } catch (IOException e) {
      return "?";
    }
  }

  /** One GET on a blocking channel; returns the response head once the whole response was read. */
  private static String get(SocketChannel c) throws IOException {
    c.write(ByteBuffer.wrap(GET));
    ByteBuffer in = ByteBuffer.allocate(16384);
    while (true) {
      if (c.read(in) < 0) {
        throw new IOException("the gateway closed the connection");
      }
      String text = new String(in.array(), 0, in.position(), StandardCharsets.ISO_8859_1);
      int end = text.indexOf("\r\n\r\n");
      if (end >= 0) {
        Matcher m = LENGTH.matcher(text.substring(0, end + 2));
        int length = m.find() ? Integer.parseInt(m.group(1)) : 0;
        if (text.length() >= end + 4 + length) {
          return text.substring(0, end);
        }
      }
    }
  }
}
