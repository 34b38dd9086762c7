package dev.baton.common.consul;

/** The Consul KV layout of docs/ARCHITECTURE.md, "Contracts", all under {@code baton/}. */
public final class ConsulKeys {

  public static final String ROOT = "baton/";
  public static final String APPS = ROOT + "apps/";
  public static final String ROUTES = ROOT + "routes/";
  public static final String RELEASES = ROOT + "releases/";
  public static final String ARTIFACTS = ROOT + "artifacts/";
  /** Release groups, {@code baton/release-groups/<id>}, next to the releases their members are. */
  public static final String GROUPS = ROOT + "release-groups/";
  public static final String LEADER = ROOT + "leader";
  /** The reconciler's view of each app, written by the leader, read by every registry. */
  public static final String STATUS = ROOT + "status/";
  /** The last manual route override of each app, {@code {revision, at}}: a release replacing it says so. */
  public static final String ROUTE_OVERRIDES = ROOT + "route-overrides/";

  private ConsulKeys() {
  }

  public static String app(String app) {
    return APPS + app;
  }

  public static String route(String app) {
    return ROUTES + app;
  }

  public static String routeOverride(String app) {
    return ROUTE_OVERRIDES + app;
  }

  public static String releases(String app) {
    return RELEASES + app + "/";
  }

  public static String release(String app, String id) {
    return releases(app) + id;
  }

  public static String group(String id) {
    return GROUPS + id;
  }

  public static String status(String app) {
    return STATUS + app;
  }

  public static String artifact(String app, String version) {
    return ARTIFACTS + app + "/" + version;
  }

  /** The last path segment of a key: the app of {@code baton/routes/shop}. */
  public static String lastSegment(String key) {
    return key.substring(key.lastIndexOf('/') + 1);
  }
}
