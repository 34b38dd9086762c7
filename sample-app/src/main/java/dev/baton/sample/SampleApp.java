package dev.baton.sample;

import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Entry point of the sample app: reads {@link SampleAppConfig} from the environment, deploys
 * {@link SampleAppVerticle} and drains gracefully on SIGTERM.
 *
 * <p>Exit status: 0 after a requested stop (SIGTERM) once in-flight requests drained, 1 when the
 * server could not start, 2 when an environment variable is malformed.
 *
 * <p>The version is read from the artifact's manifest ({@code Implementation-Version}), which the
 * build writes differently into {@code sample-app-1.0.0.jar} and {@code sample-app-2.0.0.jar}.
 */
public final class SampleApp {

  /** Reported when running from classes rather than from a built jar. */
  static final String DEV_VERSION = "0.0.0-dev";

  /** Extra time for Vert.x to close after the drain grace, before giving up on a clean stop. */
  private static final long CLOSE_MARGIN_MS = 5_000L;

  private static volatile int exitStatus;
  private static volatile boolean stopping;

  private SampleApp() {
  }

  /**
   * Starts the app.
   *
   * @param args ignored; the app is configured by environment variables
   */
  public static void main(String[] args) {
    SampleAppConfig config;
    try {
      config = SampleAppConfig.fromEnv(System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("sample-app: " + e.getMessage());
      System.exit(2);
      return;
    }
    String version = version();
    Vertx vertx = Vertx.vertx();
    Runtime.getRuntime().addShutdownHook(
        new Thread(() -> drainAndHalt(vertx, version, config.shutdownGraceMs()), "sample-app-drain"));
    vertx.deployVerticle(new SampleAppVerticle(config, version, hostName()))
        .onFailure(err -> failStart(vertx, err));
  }

  /** The version written into this artifact's manifest, or {@value #DEV_VERSION}. */
  static String version() {
    return Optional.ofNullable(SampleApp.class.getPackage().getImplementationVersion())
        .orElse(DEV_VERSION);
  }

  private static void failStart(Vertx vertx, Throwable err) {
    if (stopping) {
      return; // a SIGTERM during start undeploys the verticle; the hook owns the exit
    }
    System.err.println("sample-app: could not start: " + err.getMessage());
    exitStatus = 1;
    // Exit from a fresh thread: System.exit runs the hook, which needs this event loop free.
    vertx.close().onComplete(ar -> new Thread(() -> System.exit(1), "sample-app-exit").start());
  }

  /**
   * Runs on SIGTERM (and on any System.exit): undeploying the verticle drains the server. Ends with
   * halt so that a requested stop exits 0 rather than the JVM's 143 for a signal.
   */
  private static void drainAndHalt(Vertx vertx, String version, long graceMs) {
    stopping = true;
    try {
      vertx.close().await(graceMs + CLOSE_MARGIN_MS, TimeUnit.MILLISECONDS);
      System.out.printf("sample-app %s stopped%n", version);
    } catch (TimeoutException e) {
      System.err.println("sample-app: drain did not finish within " + graceMs + " ms; exiting anyway");
    } catch (RuntimeException e) {
      System.err.println("sample-app: error while stopping: " + e);
    }
    System.out.flush();
    Runtime.getRuntime().halt(exitStatus);
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return Optional.ofNullable(System.getenv("HOSTNAME")).orElse("localhost");
    }
  }
}
