package dev.baton.common.model;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An analysis's optional Prometheus source (docs/registry-api.md, "Canary analysis"): every analysis interval each
 * query is evaluated at {@code url}'s {@code /api/v1/query} with {@code {{app}}}, {@code {{canary}}},
 * {@code {{stable}}} and {@code {{interval}}} (e.g. {@code 5s}) replaced, and its value must lie within
 * {@code [min, max]} (either bound may be left out, not both).
 */
public record PrometheusCheck(String url, List<Query> queries) {

  public static final int MAX_QUERIES = 10;
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

  /** One query and its bounds; a null bound is no bound. */
  public record Query(String name, String query, Double min, Double max) {

    JsonObject toJson() {
      JsonObject j = new JsonObject().put("name", name).put("query", query);
      if (min != null) {
        j.put("min", min);
      }
      if (max != null) {
        j.put("max", max);
      }
      return j;
    }
  }

  public PrometheusCheck {
    queries = List.copyOf(queries);
  }

  public JsonObject toJson() {
    JsonArray q = new JsonArray();
    queries.forEach(x -> q.add(x.toJson()));
    return new JsonObject().put("url", url).put("queries", q);
  }

  /** {@code query} with the release's names put in ({@code stable} is empty for an app's first release). */
  public static String render(String query, String app, String canary, String stable, int intervalSeconds) {
    return query.replace("{{app}}", app).replace("{{canary}}", canary == null ? "" : canary)
        .replace("{{stable}}", stable == null ? "" : stable).replace("{{interval}}", intervalSeconds + "s");
  }

  static PrometheusCheck read(Fields f) {
    int before = f.errors().size();
    String url = f.string("url", true);
    if (url != null && !isHttpUrl(url)) {
      f.error("url", "'" + url + "' is not an http(s) URL of a Prometheus server, e.g. http://prometheus:9090");
    }
    List<Query> queries = f.objects("queries", true, PrometheusCheck::query);
    if (f.has("queries") && queries.isEmpty() && f.errors().size() == before) {
      f.error("queries", "must hold at least one query");
    }
    if (queries.size() > MAX_QUERIES) {
      f.error("queries", "at most " + MAX_QUERIES + " queries, got " + queries.size());
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < queries.size(); i++) {
      Query q = queries.get(i);
      if (q != null && !names.add(q.name())) {
        f.error("queries[" + i + "].name", "'" + q.name() + "' names two queries; names must be unique");
      }
    }
    return f.errors().size() > before ? null : new PrometheusCheck(url.replaceAll("/+$", ""), queries);
  }

  private static Query query(Fields f) {
    int before = f.errors().size();
    String name = f.matching("name", true, NAME, "must be 1 to 64 letters, digits, '_', '.' or '-'");
    String query = f.string("query", true);
    if (query != null && (query.isBlank() || query.length() > 4000)) {
      f.error("query", "must be a PromQL expression of 1 to 4000 characters");
    }
    Double min = f.number("min", false, -1e15, 1e15);
    Double max = f.number("max", false, -1e15, 1e15);
    if (!f.has("min") && !f.has("max")) {
      f.error("max", "set min, max or both: a query without bounds can never fail");
    }
    if (min != null && max != null && min > max) {
      f.error("min", "must not exceed max (" + Fields.fmt(max) + ")");
    }
    return f.errors().size() > before ? null : new Query(name, query, min, max);
  }

  static boolean isHttpUrl(String url) {
    try {
      URI u = new URI(url);
      return ("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null
          && u.getRawQuery() == null && u.getRawFragment() == null && u.getRawUserInfo() == null;
    } catch (Exception e) {
      return false;
    }
  }
}
