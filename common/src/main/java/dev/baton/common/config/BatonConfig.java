package dev.baton.common.config;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A service's resolved configuration (DESIGN.md §7). The typed fields are the keys every service
 * understands; {@link #settings()} holds every key by its env name (defaults, file and env merged) so a
 * service can read its own extra keys with {@link #intSetting} and get the same error messages.
 */
public record BatonConfig(ServiceKind service, int httpPort, int adminPort, String bind, String consulHost,
                          int consulPort, String clusterHost, int clusterPort, List<String> clusterMembers,
                          String clusterName, String token, String id, String advertiseHost, PortRange portRange,
                          String dataDir, String registryUrl, Map<String, String> settings) {

  public BatonConfig {
    clusterMembers = List.copyOf(clusterMembers);
    settings = Map.copyOf(settings);
  }

  /** The operator token ({@code BATON_TOKEN}): it may do everything. */
  public Optional<String> bearerToken() {
    return Optional.ofNullable(token);
  }

  /** The read token ({@code BATON_READ_TOKEN}): GET and HEAD only; set only together with a different operator token. */
  public Optional<String> readToken() {
    return Optional.ofNullable(settings.get("BATON_READ_TOKEN")).map(String::trim);
  }

  /** The gateway's admin bind address ({@code BATON_ADMIN_BIND}, default loopback, independent of {@code BATON_BIND}). */
  public String adminBind() {
    return stringSetting("BATON_ADMIN_BIND", "127.0.0.1");
  }

  /** A service-specific integer key (env form, e.g. {@code BATON_DRAIN_TIMEOUT_MS}), with bounds. */
  public long intSetting(String envKey, long dflt, long min, long max) {
    String raw = settings.get(envKey);
    if (raw == null || raw.isBlank()) {
      return dflt;
    }
    try {
      long v = Long.parseLong(raw.trim());
      if (v < min || v > max) {
        throw new ConfigException(List.of(envKey + ": " + v + " is out of range " + min + ".." + max));
      }
      return v;
    } catch (NumberFormatException e) {
      throw new ConfigException(List.of(envKey + ": '" + raw + "' is not an integer"));
    }
  }

  /** A service-specific boolean key ({@code true}/{@code false}). */
  public boolean boolSetting(String envKey, boolean dflt) {
    String raw = settings.get(envKey);
    if (raw == null || raw.isBlank()) {
      return dflt;
    }
    return switch (raw.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "true", "yes", "1" -> true;
      case "false", "no", "0" -> false;
      default -> throw new ConfigException(List.of(envKey + ": '" + raw + "' is not true or false"));
    };
  }

  /** A service-specific string key. */
  public String stringSetting(String envKey, String dflt) {
    String raw = settings.get(envKey);
    return raw == null || raw.isBlank() ? dflt : raw.trim();
  }
}
