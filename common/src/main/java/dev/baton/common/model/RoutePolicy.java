package dev.baton.common.model;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * How a gateway picks the version for a request to {@code app} (KV {@code baton/routes/<app>}).
 * Evaluation order: the first matching {@link RouteRule}, then the sticky bucket, then the weighted
 * {@code split}. {@code revision} grows monotonically with every write; gateways acknowledge each
 * revision they apply on {@code baton.gateway.routes.applied}.
 */
public record RoutePolicy(String app, long revision, List<WeightedVersion> split, List<RouteRule> rules,
                          Sticky sticky, Mirror mirror) {

  public RoutePolicy {
    split = List.copyOf(split);
    rules = List.copyOf(rules);
  }

  /** All traffic to one version, no rules. */
  public static RoutePolicy single(String app, long revision, String version) {
    return new RoutePolicy(app, revision, List.of(new WeightedVersion(version, 100)), List.of(), null, null);
  }

  public RoutePolicy withRevision(long newRevision) {
    return new RoutePolicy(app, newRevision, split, rules, sticky, mirror);
  }

  public JsonObject toJson() {
    JsonArray s = new JsonArray();
    split.forEach(w -> s.add(w.toJson()));
    JsonArray r = new JsonArray();
    rules.forEach(rule -> r.add(rule.toJson()));
    return new JsonObject().put("app", app).put("revision", revision).put("split", s).put("rules", r)
        .put("sticky", sticky == null ? null : sticky.toJson())
        .put("mirror", mirror == null ? null : mirror.toJson());
  }

  /** Parses and validates a policy as stored (KV), leniently, reporting every invalid field at once. */
  public static RoutePolicy fromJson(JsonObject json) {
    return read(Fields.of(json));
  }

  /** Parses a policy sent to the API: as {@link #fromJson}, and an unknown field is refused. */
  public static RoutePolicy fromRequest(JsonObject json) {
    return read(Fields.strict(json));
  }

  private static RoutePolicy read(Fields f) {
    String app = f.matching("app", true, Names.APP, "must match [a-z0-9][a-z0-9-]{0,62}");
    Integer revision = f.integer("revision", false, 0, Integer.MAX_VALUE);
    List<WeightedVersion> split = f.objects("split", true, WeightedVersion::read);
    if (f.has("split") && split.isEmpty() && f.errors().isEmpty()) {
      f.error("split", "must name at least one version");
    }
    Set<String> seen = new HashSet<>();
    for (WeightedVersion w : split) {
      if (!seen.add(w.version())) {
        f.error("split", "version " + w.version() + " appears twice");
      }
    }
    if (!split.isEmpty() && !Weights.sumsTo100(split)) {
      f.error("split", "weights must sum to 100, got "
          + Fields.fmt(split.stream().mapToInt(WeightedVersion::basisPoints).sum() / 100.0));
    }
    List<RouteRule> rules = f.objects("rules", false, RouteRule::read);
    Fields st = f.object("sticky", false);
    Sticky sticky = st == null ? null : Sticky.read(st);
    Fields mi = f.object("mirror", false);
    Mirror mirror = mi == null ? null : Mirror.read(mi);
    f.throwIfInvalid();
    return new RoutePolicy(app, revision == null ? 0 : revision, split, rules, sticky, mirror);
  }
}
