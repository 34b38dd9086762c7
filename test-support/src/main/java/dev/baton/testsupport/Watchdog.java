package dev.baton.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Starts a command under a small {@code sh} wrapper so that it cannot outlive the test JVM.
 *
 * <p>The wrapper starts the command in the background with a marker environment variable
 * ({@code BATONTEST_MARK_<jvm pid>_<n>=1}, inherited by everything it starts), in its own process group
 * via {@code setsid} and with {@code setpriv --pdeathsig TERM} where available; prints
 * {@code "<pid> <grouped>"} on its stdout, then waits for the command and exits with its status
 * (128 + signal when killed by a signal). A guard subshell checks once a second that the JVM
 * ({@code ProcessHandle.current().pid()}) is alive; when the JVM is gone, even by {@code kill -9}, it
 * sends SIGTERM to the command, its process group and every process carrying the marker (found in
 * {@code /proc/<pid>/environ}, so descendants that started their own session or were re-parented are
 * found too), and SIGKILL 5 s later. If the wrapper itself is killed, the kernel sends the command
 * SIGTERM (pdeathsig). On normal JVM exit a shutdown hook closes whatever tests left running.
 */
final class Watchdog {

  private static final String SCRIPT = """
      jvm=$1; log=$2; mark=$3; shift 3
      group=0
      set -- env "$mark=1" "$@"
      if setpriv --pdeathsig TERM true >/dev/null 2>&1; then set -- setpriv --pdeathsig TERM -- "$@"; fi
      if command -v setsid >/dev/null 2>&1; then set -- setsid "$@"; group=1; fi
      "$@" >>"$log" 2>&1 </dev/null &
      child=$!
      echo "$child $group"
      (
        while kill -0 "$jvm" 2>/dev/null && kill -0 "$child" 2>/dev/null; do sleep 1; done
        kill -0 "$jvm" 2>/dev/null && exit 0
        trap '' TERM
        echo "baton-watchdog: JVM $jvm is gone, stopping $child and every process marked $mark" >>"$log"
        marked() { grep -l -a -F -e "$mark=1" /proc/[0-9]*/environ 2>/dev/null | sed 's:^/proc/\\([0-9]*\\)/environ$:\\1:'; }
        signal() {
          if [ "$group" = 1 ]; then kill "-$1" "-$child" 2>/dev/null; fi
          kill "-$1" "$child" $(marked) 2>/dev/null
        }
        signal TERM
        i=0
        while [ "$i" -lt 50 ]; do
          if ! kill -0 "$child" 2>/dev/null && [ -z "$(marked)" ]; then break; fi
          sleep 0.1; i=$((i+1))
        done
        signal KILL
      ) </dev/null >/dev/null 2>&1 &
      guard=$!
      trap 'kill -TERM "$child" 2>/dev/null' TERM INT HUP
      wait "$child"; rc=$?
      while kill -0 "$child" 2>/dev/null; do wait "$child"; rc=$?; done
      kill "$guard" 2>/dev/null
      exit "$rc"
      """;

  private static final Deque<AutoCloseable> LEFT_OPEN = new ArrayDeque<>();
  private static final AtomicLong MARKS = new AtomicLong();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(Watchdog::closeAll, "baton-test-cleanup"));
  }

  /** The wrapper process and the pid of the command it runs. */
  record Started(Process wrapper, long pid, boolean grouped) {
  }

  private Watchdog() {
  }

  /** A fresh environment variable name that marks one command and everything it starts. */
  static String newMark() {
    return "BATONTEST_MARK_" + ProcessHandle.current().pid() + "_" + MARKS.incrementAndGet();
  }

  static Started start(List<String> command, ProcessBuilder template, Path log, String mark)
      throws IOException {
    List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c", SCRIPT, "baton-watchdog",
        Long.toString(ProcessHandle.current().pid()), log.toString(), mark));
    argv.addAll(command);
    ProcessBuilder builder = template.command(argv)
        .redirectOutput(ProcessBuilder.Redirect.PIPE)
        .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
    Process wrapper = builder.start();
    wrapper.getOutputStream().close();
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(wrapper.getInputStream(), StandardCharsets.UTF_8))) {
      // The wrapper prints this line right after forking, so this read is bounded.
      String line = out.readLine();
      if (line == null) {
        throw new IOException("the watchdog wrapper exited before starting " + command + "; see " + log);
      }
      String[] parts = line.trim().split(" ");
      return new Started(wrapper, Long.parseLong(parts[0]), "1".equals(parts[1]));
    }
  }

  /** Kills a whole process group with SIGKILL (used only for groups created by the wrapper). */
  static void killGroup(long pgid) {
    try {
      Process kill = new ProcessBuilder("/bin/sh", "-c", "kill -KILL -$1 2>/dev/null", "kill",
          Long.toString(pgid)).redirectErrorStream(true).start();
      kill.getInputStream().close();
      kill.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot run kill for process group " + pgid, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Registers a resource to close on JVM exit if the test did not close it. */
  static void closeOnExit(AutoCloseable resource) {
    synchronized (LEFT_OPEN) {
      LEFT_OPEN.push(resource);
    }
  }

  static void forget(AutoCloseable resource) {
    synchronized (LEFT_OPEN) {
      LEFT_OPEN.remove(resource);
    }
  }

  private static void closeAll() {
    List<AutoCloseable> open;
    synchronized (LEFT_OPEN) {
      open = new ArrayList<>(LEFT_OPEN);
    }
    for (AutoCloseable resource : open) {
      try {
        resource.close();
      } catch (Exception e) {
        System.err.println("baton test cleanup: closing " + resource + " failed: " + e);
      }
    }
  }
}
