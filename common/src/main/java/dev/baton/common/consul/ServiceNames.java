package dev.baton.common.consul;

import java.util.List;
import java.util.Optional;

/** Consul service names, instance IDs, tags and meta keys of DESIGN.md §3. */
public final class ServiceNames {

  public static final String TAG_BATON = "baton";
  public static final String VERSION_TAG_PREFIX = "version=";
  public static final String META_VERSION = "version";
  public static final String META_AGENT = "agent";
  public static final String META_RELEASE = "release";
  public static final String META_SHA256 = "sha256";
  public static final String META_EVENT_BUS = "eventBus";
  public static final String META_HTTP = "http";

  public static final String GATEWAY = "baton-gateway";
  public static final String REGISTRY = "baton-registry";
  public static final String AGENT = "baton-agent";

  /** The health check of an instance: every second, 1 s timeout, deregistered after 1 min critical. */
  public static final String CHECK_INTERVAL = "1s";
  public static final String CHECK_TIMEOUT = "1s";
  public static final String DEREGISTER_CRITICAL_AFTER = "1m";

  private ServiceNames() {
  }

  /** {@code <app>-<version>-<agentId>-<port>}. */
  public static String instanceId(String app, String version, String agentId, int port) {
    return app + "-" + version + "-" + agentId + "-" + port;
  }

  public static String versionTag(String version) {
    return VERSION_TAG_PREFIX + version;
  }

  public static List<String> instanceTags(String version) {
    return List.of(TAG_BATON, versionTag(version));
  }

  /** The version named by a {@code version=<v>} tag among {@code tags}, if any. */
  public static Optional<String> versionOf(List<String> tags) {
    if (tags == null) {
      return Optional.empty();
    }
    return tags.stream().filter(t -> t.startsWith(VERSION_TAG_PREFIX))
        .map(t -> t.substring(VERSION_TAG_PREFIX.length())).findFirst();
  }
}
