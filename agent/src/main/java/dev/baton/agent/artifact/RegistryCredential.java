package dev.baton.agent.artifact;

import dev.baton.common.config.BatonConfig;
import dev.baton.common.config.ConfigException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The registries the agent downloads artifacts from and the bearer token it sends them, and only them
 * (docs/agent.md "Artifact downloads"). {@code BATON_REGISTRY_URL} lists one or more registry base URLs,
 * comma-separated (every registry of the fleet holds every artifact); the token is {@code BATON_REGISTRY_TOKEN}
 * when set (a read token of the registry suffices), else the agent's own {@code BATON_TOKEN}. An artifact URL is
 * on a registry when it has the scheme, host and port of one of them and a path under its path; any other host
 * never sees the token.
 */
public record RegistryCredential(List<URI> registries, Optional<String> token) {

  /** The path every registry serves an artifact's bytes under, after its base URL. */
  private static final String ARTIFACTS = "/v1/artifacts/";

  public RegistryCredential {
    registries = List.copyOf(registries);
  }

  /** One registry: the single-URL form. */
  public RegistryCredential(URI registry, Optional<String> token) {
    this(List.of(registry), token);
  }

  public static RegistryCredential from(BatonConfig c) {
    String token = c.stringSetting("BATON_REGISTRY_TOKEN", null);
    return new RegistryCredential(registries(c.registryUrl()), Optional.ofNullable(token).or(c::bearerToken));
  }

  /** {@code BATON_REGISTRY_URL} as a list of base URLs; a start error naming the key when one is not a URL. */
  public static List<URI> registries(String value) {
    List<URI> out = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (String part : value.split(",", -1)) {
      String url = part.trim().replaceAll("/+$", "");
      URI u = parse(url);
      String scheme = u == null || u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
      if (u == null || !(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null
          || u.getRawUserInfo() != null || u.getRawQuery() != null || u.getRawFragment() != null) {
        problems.add("BATON_REGISTRY_URL: '" + url + "' is not an http:// or https:// base URL of a registry (list"
            + " several registries comma-separated)");
      } else if (!out.contains(u)) {
        out.add(u);
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return out;
  }

  /** The token to send with a download of {@code url}, or empty when the URL is not on a configured registry. */
  public Optional<String> tokenFor(String url) {
    return token.filter(t -> onRegistry(url));
  }

  /** True when {@code url} is on one of the configured registries. */
  public boolean onRegistry(String url) {
    URI u = parse(url);
    return u != null && registries.stream().anyMatch(r -> under(u.normalize(), r));
  }

  /** As {@link #sources(String, List)} with no word from Consul: the configured order. */
  public List<String> sources(String url) {
    return sources(url, List.of());
  }

  /**
   * Where to download {@code url} from, in order: {@code url} itself, then, when it names an artifact
   * ({@code .../v1/artifacts/<app>/<version>}), the same artifact on every other configured registry: first
   * those {@code passing} in Consul (their registered URLs), then the rest. Consul only orders the list: a
   * registry that is not configured is never tried, so the token never goes to an address read from Consul.
   */
  public List<String> sources(String url, List<String> passing) {
    List<String> out = new ArrayList<>(List.of(url));
    URI u = parse(url);
    String path = u == null || u.getRawPath() == null ? "" : u.getRawPath();
    int at = path.lastIndexOf(ARTIFACTS);
    if (u == null || at < 0 || u.getRawQuery() != null || path.substring(at + ARTIFACTS.length()).split("/").length != 2) {
      return out;
    }
    String artifact = path.substring(at);
    List<URI> ordered = new ArrayList<>(registries.stream().filter(r -> isPassing(r, passing)).toList());
    registries.stream().filter(r -> !ordered.contains(r)).forEach(ordered::add);
    for (URI r : ordered) {
      String alternative = r.toString() + artifact;
      if (!out.contains(alternative) && !sameArtifactOn(u, r, artifact)) {
        out.add(alternative);
      }
    }
    return out;
  }

  private static boolean isPassing(URI registry, List<String> passing) {
    return passing.stream().map(p -> parse(p == null ? "" : p.replaceAll("/+$", ""))).filter(u -> u != null)
        .anyMatch(u -> under(u, registry) && base(u).equals(base(registry)));
  }

  private static boolean sameArtifactOn(URI u, URI registry, String artifact) {
    return under(u, registry) && u.getRawPath().equals(base(registry) + artifact);
  }

  private static boolean under(URI u, URI registry) {
    if (u.getScheme() == null || registry.getScheme() == null || u.getHost() == null || registry.getHost() == null
        || u.getRawUserInfo() != null) {
      return false;
    }
    String scheme = u.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals(registry.getScheme().toLowerCase(Locale.ROOT))
        || !u.getHost().equalsIgnoreCase(registry.getHost()) || port(u) != port(registry)) {
      return false;
    }
    String base = base(registry);
    String path = u.getRawPath() == null ? "" : u.getRawPath();
    return base.isEmpty() || path.equals(base) || path.startsWith(base + "/");
  }

  private static String base(URI registry) {
    return registry.getRawPath() == null ? "" : registry.getRawPath().replaceAll("/+$", "");
  }

  private static URI parse(String url) {
    try {
      return URI.create(url);
    } catch (IllegalArgumentException | NullPointerException e) {
      return null;
    }
  }

  private static int port(URI u) {
    if (u.getPort() >= 0) {
      return u.getPort();
    }
    return "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
  }
}
