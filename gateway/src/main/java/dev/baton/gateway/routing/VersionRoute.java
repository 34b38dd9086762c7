package dev.baton.gateway.routing;

import java.util.List;

/** The passing instances of one version of an app, in a fixed order. Immutable. */
public final class VersionRoute {

  private final String app;
  private final String version;
  private final Upstream[] upstreams;

  public VersionRoute(String app, String version, List<Upstream> upstreams) {
    this.app = app;
    this.version = version;
    this.upstreams = upstreams.toArray(new Upstream[0]);
  }

  public String app() {
    return app;
  }

  public String version() {
    return version;
  }

  /** The shared array: callers must not modify it. */
  Upstream[] upstreamArray() {
    return upstreams;
  }

  public List<Upstream> upstreams() {
    return List.of(upstreams);
  }
}
