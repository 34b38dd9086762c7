package dev.baton.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ManagedProcessTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  @Test
  void waitForExitReturnsTheExitCodeAndTheLogHoldsTheOutput() {
    try (ManagedProcess process = ManagedProcess.builder("sh", "-c", "echo \"hello $GREETING\"; exit 7")
        .env("GREETING", "baton").start()) {

      assertThat(process.waitForExit(TIMEOUT)).isEqualTo(7);
      assertThat(process.logTail(5)).contains("hello baton");
    }
  }

  @Test
  void awaitLogReturnsTheMatchSoTestsCanReadGroups() {
    try (ManagedProcess process = ManagedProcess.builder("sh", "-c", "echo 'listening on 127.0.0.1:4321'; exec sleep 300")
        .start()) {

      String port = process.awaitLog(Pattern.compile("listening on [0-9.]+:(\\d+)"), TIMEOUT).group(1);

      assertThat(port).isEqualTo("4321");
    }
  }

  @Test
  void awaitLogFailsFastWithTheLogTailWhenTheProcessExits() {
    try (ManagedProcess process = ManagedProcess.builder("sh", "-c", "echo boom >&2; exit 3").start()) {

      assertThatThrownBy(() -> process.awaitLog(Pattern.compile("ready"), Duration.ofSeconds(20)))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("exited with 3")
          .hasMessageContaining("boom");
    }
  }

  @Test
  void sigtermAndKill9ReportTheSignalAsExitCode() {
    try (ManagedProcess gentle = ManagedProcess.builder("sleep", "300").start();
         ManagedProcess hard = ManagedProcess.builder("sleep", "300").start()) {

      gentle.sigterm();
      hard.kill9();

      assertThat(gentle.waitForExit(TIMEOUT)).isEqualTo(143);
      assertThat(hard.waitForExit(TIMEOUT)).isEqualTo(137);
      assertThat(gentle.isAlive()).isFalse();
    }
  }

  @Test
  void closeKillsTheWholeTreeEvenDescendantsInTheirOwnSession() {
    ManagedProcess process = ManagedProcess.builder("sh", "-c",
        "sleep 301 & setsid sleep 302 & sh -c 'sleep 303 & wait' & echo started; wait").start();
    process.awaitLog(Pattern.compile("started"), TIMEOUT);
    List<ProcessHandle> tree = Poll.value(TIMEOUT, () -> {
      List<ProcessHandle> all = ProcessHandle.of(process.pid()).orElseThrow().descendants().toList();
      return all.size() >= 4 ? all : null;
    }, "the four descendants of " + process);

    process.close();

    assertThat(process.isAlive()).isFalse();
    Poll.until(TIMEOUT, () -> tree.stream().noneMatch(Processes::isRunning), "every descendant to be gone");
  }

  @Test
  void closeKillsDescendantsThatOutlivedTheirParent() {
    ManagedProcess process = ManagedProcess.builder("sh", "-c", "setsid sleep 307 & echo \"orphan $!\"; wait").start();
    long orphan = Long.parseLong(process.awaitLog(Pattern.compile("orphan (\\d+)"), TIMEOUT).group(1));
    process.kill9();
    process.waitForExit(TIMEOUT);
    assertThat(Processes.isRunning(orphan)).isTrue();

    process.close();

    Poll.until(TIMEOUT, () -> !Processes.isRunning(orphan), "the orphan " + orphan + " to be gone");
  }

  @Test
  void stopEscalatesToKillWhenTermIsIgnored() {
    try (ManagedProcess stubborn = ManagedProcess.builder("sh", "-c",
        "trap '' TERM; echo ready; while :; do sleep 0.05; done").start()) {
      stubborn.awaitLog(Pattern.compile("ready"), TIMEOUT);

      assertThat(stubborn.stop(Duration.ofMillis(300))).isEqualTo(137);
    }
  }

  @Test
  void javaJarCommandUsesTheRunningJava() {
    assertThat(JavaJar.javaBinary()).isExecutable();
    assertThatThrownBy(() -> JavaJar.command(Repo.path("no-such/target/app.jar")))
        .hasMessageContaining("build it first");
  }
}
