package dev.baton.gateway.discovery;

import dev.baton.common.consul.ConsulKeys;
import dev.baton.common.model.AppSpec;
import dev.baton.common.model.RoutePolicy;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last valid value of each key under one KV prefix, plus the problem of each key that does not parse. Every read
 * of a prefix brings all its keys; only those whose text changed are parsed, the others keep their value object.
 */
final class KvState<T> {

  private static final Logger LOG = LoggerFactory.getLogger(KvState.class);

  final String what;
  final String prefix;
  Map<String, T> values = Map.of();
  /** The text each value in force was parsed from: a key read again with the same text is not parsed again. */
  private Map<String, String> parsedFrom = Map.of();
  final Map<String, String> problems = new LinkedHashMap<>();

  KvState(String what, String prefix) {
    this.what = what;
    this.prefix = prefix;
  }

  boolean update(Map<String, String> raw, BiFunction<String, String, T> parse) {
    Map<String, T> next = new TreeMap<>();
    Map<String, String> nextParsedFrom = new HashMap<>();
    problems.clear();
    raw.forEach((key, value) -> {
      String app = ConsulKeys.lastSegment(key);
      if (!key.equals(prefix + app) || app.isEmpty()) {
        return;
      }
      T same = value.equals(parsedFrom.get(app)) ? values.get(app) : null;
      if (same != null) { // the text that gave the value in force: not parsed again, the same object kept
        next.put(app, same);
        nextParsedFrom.put(app, value);
        return;
      }
      try {
        next.put(app, parse.apply(key, value));
        nextParsedFrom.put(app, value);
      } catch (RuntimeException e) {
        T last = values.get(app);
        if (last != null) {
          next.put(app, last);
        }
        String msg = key + ": invalid " + what + " (" + e.getMessage() + ")"
            + (last != null ? "; keeping the last valid one" : "; ignored");
        problems.put(key, msg);
        LOG.warn(msg);
      }
    });
    boolean changed = !next.equals(values);
    values = Map.copyOf(next);
    parsedFrom = nextParsedFrom;
    return changed || !problems.isEmpty();
  }

  static RoutePolicy parsePolicy(String key, String value) {
    RoutePolicy p = RoutePolicy.fromJson(new JsonObject(value));
    if (!p.app().equals(ConsulKeys.lastSegment(key))) {
      throw new IllegalArgumentException("its app is '" + p.app() + "' but the key names '"
          + ConsulKeys.lastSegment(key) + "'");
    }
    return p;
  }

  static AppSpec parseSpec(String key, String value) {
    return AppSpec.fromJson(ConsulKeys.lastSegment(key), new JsonObject(value));
  }
}
