package dev.baton.testsupport;

import java.util.concurrent.CountDownLatch;

/**
 * A JVM that starts a supervised child and then waits forever, so {@link WatchdogTest} can kill it
 * with SIGKILL and check that the child does not survive. Argument: {@code sleep} or {@code consul}.
 */
public final class WatchdogProbe {

  private WatchdogProbe() {
  }

  public static void main(String[] args) throws InterruptedException {
    if ("consul".equals(args[0])) {
      ConsulProcess consul = ConsulProcess.start();
      System.out.println("child " + consul.pid() + " port " + consul.httpPort());
    } else {
      ManagedProcess sleeper = ManagedProcess.builder("sh", "-c", "sleep 304 & setsid sleep 308 & wait").start();
      System.out.println("child " + sleeper.pid() + " port 0");
    }
    new CountDownLatch(1).await();
  }
}
