package dev.baton.agent.artifact;

import dev.baton.common.config.BatonConfig;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/**
 * The bearer token the agent sends when it downloads an artifact, and only to the registry (docs/agent.md
 * "Artifact downloads"): {@code BATON_REGISTRY_TOKEN} when set (a read token of the registry suffices), else the
 * agent's own {@code BATON_TOKEN}. An artifact URL is on the registry when it has the scheme, host and port of
 * {@code BATON_REGISTRY_URL} and a path under its path; any other host never sees the token.
 */
public record RegistryCredential(URI registry, Optional<String> token) {

  public static RegistryCredential from(BatonConfig c) {
    String token = c.stringSetting("BATON_REGISTRY_TOKEN", null);
    return new RegistryCredential(URI.create(c.registryUrl()),
        Optional.ofNullable(token).or(c::bearerToken));
  }

  /** The token to send with a download of {@code url}, or empty when the URL is not on the registry. */
  public Optional<String> tokenFor(String url) {
    return token.filter(t -> onRegistry(url));
  }

  /** True when {@code url} is the registry's scheme, host and port, with a path under the registry's path. */
  public boolean onRegistry(String url) {
    URI u;
    try {
      u = URI.create(url).normalize();
    } catch (IllegalArgumentException e) {
      return false;
    }
    if (u.getScheme() == null || registry.getScheme() == null || u.getHost() == null || registry.getHost() == null
        || u.getRawUserInfo() != null) {
      return false;
    }
    String scheme = u.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals(registry.getScheme().toLowerCase(Locale.ROOT))
        || !u.getHost().equalsIgnoreCase(registry.getHost()) || port(u) != port(registry)) {
      return false;
    }
    String base = registry.getRawPath() == null ? "" : registry.getRawPath().replaceAll("/+$", "");
    String path = u.getRawPath() == null ? "" : u.getRawPath();
    return base.isEmpty() || path.equals(base) || path.startsWith(base + "/");
  }

  private static int port(URI u) {
    if (u.getPort() >= 0) {
      return u.getPort();
    }
    return "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
  }
}
