package dev.baton.e2e.dev;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.testsupport.FreePorts;
import dev.baton.testsupport.Poll;
import dev.baton.testsupport.Repo;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Given {@code ./baton dev} on free ports in a directory of its own (one agent, one instance of shop), when it is
 * killed with SIGKILL, then everything it started keeps running, and {@code ./baton stop} stops every process it
 * recorded — Consul, registry, gateway, agent and the app instance — but not a process that now holds a recorded
 * pid with another start time; and once nothing runs, {@code ./baton stop} says so in one line and fails
 * (README, "Run it locally"; docs/ARCHITECTURE.md, "The whole stack").
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DevScriptIT {

  static final Duration UP = Duration.ofSeconds(240);
  static final Duration STOP = Duration.ofSeconds(180);

  /** One line of the dev stack's record: what {@code ./baton dev} started. */
  record Recorded(String name, long pid, String start, String cmdline) {

    static Recorded parse(String line) {
      String[] f = line.split("\t", 4);
      return new Recorded(f[0], Long.parseLong(f[1]), f[2], f.length > 3 ? f[3] : "");
    }

    /** The pid still runs the process recorded (same start time and command line), not a zombie. */
    boolean running() {
      return stat(pid).filter(s -> !s[0].equals("Z") && s[19].equals(start)).isPresent()
          && DevScriptIT.cmdline(pid).equals(cmdline);
    }
  }

  static Path dir;
  static Path output;
  static Process dev;
  static Process bystander;
  static final Map<String, String> ENV = new LinkedHashMap<>();
  static final List<Recorded> STARTED = new ArrayList<>();

  @BeforeAll
  static void startDevStack() throws Exception {
    dir = Files.createTempDirectory("baton-dev-it");
    output = dir.resolve("dev.out");
    int[] ports = FreePorts.find(8);
    ENV.put("BATON_DEV_DIR", dir.resolve("dev").toString());
    ENV.put("BATON_DEV_GATEWAY_PORT", String.valueOf(ports[0]));
    ENV.put("BATON_DEV_ADMIN_PORT", String.valueOf(ports[1]));
    ENV.put("BATON_DEV_REGISTRY_PORT", String.valueOf(ports[2]));
    ENV.put("BATON_DEV_AGENT_PORTS", String.valueOf(ports[3]));
    ENV.put("BATON_DEV_CONSUL_PORT", String.valueOf(ports[4]));
    ENV.put("BATON_DEV_CONSUL_SERVER_PORT", String.valueOf(ports[5]));
    ENV.put("BATON_DEV_CONSUL_SERF_LAN_PORT", String.valueOf(ports[6]));
    ENV.put("BATON_DEV_CONSUL_SERF_WAN_PORT", String.valueOf(ports[7]));
    ENV.put("BATON_DEV_CLUSTER_PORT_BASE", String.valueOf(consecutiveFreePorts(3)));
    ENV.put("BATON_DEV_INSTANCE_PORT_BASE", String.valueOf(FreePorts.find()));
    ENV.put("BATON_DEV_INSTANCES", "1");

    long t0 = System.nanoTime();
    dev = baton("dev").redirectOutput(output.toFile()).start();
    Poll.until(UP, () -> {
      if (!dev.isAlive()) {
        throw new AssertionError("./baton dev exited with " + dev.exitValue() + ":\n" + read(output));
      }
      return read(output).contains("baton dev stack is running");
    }, "./baton dev to be up");
    Poll.until(Duration.ofSeconds(30), () -> records().stream().anyMatch(r -> r.name().startsWith("instance/")),
        "./baton dev to record the instance its agent started");
    System.out.printf("./baton dev up with one instance in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
  }

  @AfterAll
  static void cleanUp() throws Exception {
    List<Recorded> all = new ArrayList<>(STARTED);
    all.addAll(records());
    for (Recorded r : all) {
      if (r.running()) {
        System.out.println("cleaning up " + r.name() + " (" + r.pid() + ")");
        ProcessHandle.of(r.pid()).ifPresent(ProcessHandle::destroyForcibly);
      }
    }
    for (Process p : new Process[] {dev, bystander}) {
      if (p != null) {
        p.destroyForcibly();
      }
    }
  }

  @Test
  @Order(1)
  void afterASigkillStopEndsEveryRecordedProcessAndLeavesAReusedPidAlone() throws Exception {
    records().stream().filter(r -> !r.name().equals("baton")).forEach(STARTED::add);
    assertThat(STARTED.stream().map(Recorded::name))
        .contains("consul", "registry", "gateway", "agent-1").anyMatch(n -> n.startsWith("instance/shop-1.0.0-"));
    assertThat(STARTED).allMatch(Recorded::running);

    dev.destroyForcibly();
    assertThat(dev.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(STARTED).as("what ./baton dev started outlives it").allMatch(Recorded::running);

    // A pid the record holds whose process is another one now (the kernel reused it): same pid, other start time.
    bystander = new ProcessBuilder("sleep", "600").start();
    String[] stat = stat(bystander.pid()).orElseThrow();
    String line = "agent-9\t" + bystander.pid() + "\t" + (Long.parseLong(stat[19]) + 1) + "\t"
        + cmdline(bystander.pid()) + "\n";
    Files.writeString(recordFile(), line, StandardOpenOption.APPEND);

    long t0 = System.nanoTime();
    Result stop = run("stop");
    System.out.printf("./baton stop after a SIGKILL took %d ms:%n%s%n", (System.nanoTime() - t0) / 1_000_000,
        stop.output());

    assertThat(stop.code()).as(stop.output()).isZero();
    Poll.until(Duration.ofSeconds(10), () -> STARTED.stream().noneMatch(Recorded::running),
        "every recorded process to be gone (still: " + STARTED.stream().filter(Recorded::running).toList() + ")");
    assertThat(bystander.isAlive()).as("a process holding a recorded pid with another start time").isTrue();
    assertThat(stop.output()).contains("nothing left running");
  }

  @Test
  @Order(2)
  void stopWhenNothingRunsSaysSoInOneLineAndFails() throws Exception {
    Result stop = run("stop");

    assertThat(stop.code()).isEqualTo(1);
    assertThat(stop.output().strip().lines()).hasSize(1);
    assertThat(stop.output()).contains("not running");
  }

  // ---- helpers ---------------------------------------------------------------------------------------

  record Result(int code, String output) {
  }

  static ProcessBuilder baton(String... args) {
    List<String> command = new ArrayList<>();
    command.add(Repo.path("baton").toString());
    command.addAll(List.of(args));
    ProcessBuilder b = new ProcessBuilder(command).directory(Repo.root().toFile()).redirectErrorStream(true);
    b.environment().keySet().removeIf(k -> k.startsWith("BATON_"));
    b.environment().putAll(ENV);
    return b;
  }

  static Result run(String... args) throws Exception {
    Path out = Files.createTempFile(dir, "baton-" + args[0], ".out");
    Process p = baton(args).redirectOutput(out.toFile()).start();
    if (!p.waitFor(STOP.toSeconds(), TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("./baton " + String.join(" ", args) + " did not finish in " + STOP + ":\n" + read(out));
    }
    return new Result(p.exitValue(), read(out));
  }

  static Path recordFile() {
    return Path.of(ENV.get("BATON_DEV_DIR")).resolve("pids");
  }

  static List<Recorded> records() throws IOException {
    Path file = recordFile();
    return Files.exists(file) ? Files.readAllLines(file).stream().filter(l -> !l.isBlank()).map(Recorded::parse).toList()
        : List.of();
  }

  static String read(Path file) throws IOException {
    return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
  }

  /** Fields 3 onwards of /proc/{pid}/stat (index 0 the state, 19 the start time); empty when it is gone. */
  static Optional<String[]> stat(long pid) {
    try {
      String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
      return Optional.of(s.substring(s.lastIndexOf(')') + 2).trim().split(" "));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** /proc/{pid}/cmdline with its NULs as spaces, as ./baton records it. */
  static String cmdline(long pid) {
    try {
      return new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")), StandardCharsets.UTF_8)
          .replace('\0', ' ');
    } catch (IOException e) {
      return "";
    }
  }

  /** The first of {@code count} consecutive ports that were all free a moment ago (the event bus members). */
  static int consecutiveFreePorts(int count) {
    for (int attempt = 0; attempt < 100; attempt++) {
      int base = FreePorts.find();
      List<ServerSocket> held = new ArrayList<>();
      try {
        for (int i = 1; i < count; i++) {
          held.add(new ServerSocket(base + i));
        }
        return base;
      } catch (IOException busy) {
        // another one
      } finally {
        for (ServerSocket s : held) {
          try {
            s.close();
          } catch (IOException ignored) {
            // nothing was accepted
          }
        }
      }
    }
    throw new IllegalStateException("no " + count + " consecutive free ports");
  }
}
