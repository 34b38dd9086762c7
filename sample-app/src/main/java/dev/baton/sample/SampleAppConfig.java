package dev.baton.sample;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The sample app's settings, read from environment variables by a pure function of the
 * environment map.
 *
 * <table>
 *   <caption>Environment variables</caption>
 *   <tr><th>env</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code PORT}</td><td>8080</td><td>HTTP port, 0..65535 (0 picks any free port)</td></tr>
 *   <tr><td>{@code BIND}</td><td>127.0.0.1</td><td>interface to listen on</td></tr>
 *   <tr><td>{@code APP_NAME}</td><td>sample-app</td><td>name reported by {@code GET /}</td></tr>
 *   <tr><td>{@code BATON_INSTANCE_ID}</td><td>host:port</td><td>instance id reported by {@code GET /}</td></tr>
 *   <tr><td>{@code FAIL_RATE}</td><td>0</td><td>share (0..1) of requests to {@code /}, {@code /slow}
 *       and {@code /orders} answered with 500</td></tr>
 *   <tr><td>{@code LATENCY_MS}</td><td>0</td><td>delay added to every request except {@code /health}</td></tr>
 *   <tr><td>{@code START_DELAY_MS}</td><td>0</td><td>delay before the server starts listening</td></tr>
 *   <tr><td>{@code UNHEALTHY}</td><td>false</td><td>{@code true} makes {@code /health} answer 503</td></tr>
 *   <tr><td>{@code SHUTDOWN_GRACE_MS}</td><td>30000</td><td>how long in-flight requests may drain on SIGTERM</td></tr>
 *   <tr><td>{@code SAMPLE_*}</td><td>none</td><td>any name starting with {@code SAMPLE_}: shown by {@code GET /config},
 *       so a test can see which config an instance was started with</td></tr>
 * </table>
 *
 * <p>Blank values count as unset. Any other malformed value is rejected with an
 * {@link IllegalArgumentException} whose message names the variable and says what it accepts.
 *
 * @param port            HTTP port
 * @param bind            interface to listen on
 * @param appName         name reported by {@code GET /}
 * @param instanceId      instance id when set; otherwise derived from host and port
 * @param failRate        share of requests that answer 500, 0..1
 * @param latencyMs       added delay per non-health request
 * @param startDelayMs    delay before listening
 * @param unhealthy       whether {@code /health} reports DOWN
 * @param shutdownGraceMs drain bound on SIGTERM
 * @param shown           the {@code SAMPLE_*} variables, by name
 */
public record SampleAppConfig(
    int port,
    String bind,
    String appName,
    Optional<String> instanceId,
    double failRate,
    long latencyMs,
    long startDelayMs,
    boolean unhealthy,
    long shutdownGraceMs,
    Map<String, String> shown) {

  /** Prefix of the variables {@code GET /config} shows. */
  static final String SHOWN_PREFIX = "SAMPLE_";

  public SampleAppConfig {
    shown = Collections.unmodifiableMap(new TreeMap<>(shown));
  }

  /** Upper bound for the delay knobs: one hour is already far beyond any sensible test. */
  static final long MAX_DELAY_MS = 3_600_000L;

  /**
   * Reads the settings from an environment map.
   *
   * @param env the environment, usually {@link System#getenv()}
   * @return the settings
   * @throws IllegalArgumentException naming the first malformed variable
   */
  public static SampleAppConfig fromEnv(Map<String, String> env) {
    return new SampleAppConfig(
        (int) longIn(env, "PORT", 8080, 0, 65_535),
        text(env, "BIND").orElse("127.0.0.1"),
        text(env, "APP_NAME").orElse("sample-app"),
        text(env, "BATON_INSTANCE_ID"),
        rate(env, "FAIL_RATE"),
        longIn(env, "LATENCY_MS", 0, 0, MAX_DELAY_MS),
        longIn(env, "START_DELAY_MS", 0, 0, MAX_DELAY_MS),
        bool(env, "UNHEALTHY"),
        longIn(env, "SHUTDOWN_GRACE_MS", 30_000, 0, MAX_DELAY_MS),
        shown(env));
  }

  private static Map<String, String> shown(Map<String, String> env) {
    Map<String, String> out = new TreeMap<>();
    env.forEach((name, value) -> {
      if (name.startsWith(SHOWN_PREFIX)) {
        out.put(name, value);
      }
    });
    return out;
  }

  private static Optional<String> text(Map<String, String> env, String name) {
    return Optional.ofNullable(env.get(name)).map(String::trim).filter(v -> !v.isEmpty());
  }

  private static long longIn(Map<String, String> env, String name, long dflt, long min, long max) {
    Optional<String> raw = text(env, name);
    if (raw.isEmpty()) {
      return dflt;
    }
    try {
      long value = Long.parseLong(raw.get());
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below with the accepted range
    }
    throw new IllegalArgumentException(String.format(Locale.ROOT,
        "%s must be a whole number from %d to %d, got '%s'", name, min, max, raw.get()));
  }

  private static double rate(Map<String, String> env, String name) {
    Optional<String> raw = text(env, name);
    if (raw.isEmpty()) {
      return 0.0;
    }
    try {
      double value = Double.parseDouble(raw.get());
      if (value >= 0.0 && value <= 1.0) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below with the accepted range
    }
    throw new IllegalArgumentException(
        name + " must be a number from 0 to 1 (e.g. 0.25), got '" + raw.get() + "'");
  }

  private static boolean bool(Map<String, String> env, String name) {
    Optional<String> raw = text(env, name);
    if (raw.isEmpty()) {
      return false;
    }
    return switch (raw.get().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException(
          name + " must be 'true' or 'false', got '" + raw.get() + "'");
    };
  }
}
