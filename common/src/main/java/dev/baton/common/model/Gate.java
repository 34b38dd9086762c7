package dev.baton.common.model;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A gate of a release (docs/registry-api.md, "Gates"): the registry POSTs the release as JSON to {@code url} at the
 * point {@code on} names and goes on only once it answers 2xx. {@code timeoutSeconds} bounds how long the gate may hold
 * the release (and each single call); past it {@code onTimeout} decides: {@code abort} rolls back like an abort,
 * {@code wait} keeps asking. {@code post-rollout} and {@code rollback} gates never roll anything back.
 */
public record Gate(On on, String url, int timeoutSeconds, OnTimeout onTimeout) {

  public static final int DEFAULT_TIMEOUT_SECONDS = 60;
  public static final int MAX_GATES = 20;

  /** Where in a release a gate runs. */
  public enum On {
    PRE_ROLLOUT, STEP, CONFIRM_PROMOTION, POST_ROLLOUT, ROLLBACK;

    public String key() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static On parse(String s) {
      for (On o : values()) {
        if (o.key().equals(s)) {
          return o;
        }
      }
      return null;
    }

    /** A gate that holds the release until it passes (post-rollout and rollback only report). */
    public boolean blocks() {
      return this != POST_ROLLOUT && this != ROLLBACK;
    }
  }

  /** What a blocking gate that has not passed within its timeout does. */
  public enum OnTimeout {
    ABORT, WAIT;

    public String key() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("on", on.key()).put("url", url).put("timeoutSeconds", timeoutSeconds);
    return on.blocks() ? json.put("onTimeout", onTimeout.key()) : json;
  }

  public static JsonArray toJson(List<Gate> gates) {
    JsonArray out = new JsonArray();
    gates.forEach(g -> out.add(g.toJson()));
    return out;
  }

  /** The gates of a request ({@code field} an array of gate objects), each checked; empty when absent. */
  public static List<Gate> readAll(Fields f, String field) {
    int before = f.errors().size();
    List<Gate> gates = f.objects(field, false, Gate::read);
    if (gates.size() > MAX_GATES) {
      f.error(field, "at most " + MAX_GATES + " gates, got " + gates.size());
    }
    return f.errors().size() > before ? List.of() : List.copyOf(gates);
  }

  /** Gates as stored with a release (lenient); empty when absent. */
  public static List<Gate> fromJson(JsonArray json) {
    if (json == null) {
      return List.of();
    }
    Fields f = Fields.of(new JsonObject().put("gates", json));
    List<Gate> gates = f.objects("gates", false, Gate::read);
    return List.copyOf(new ArrayList<>(gates));
  }

  static Gate read(Fields f) {
    int before = f.errors().size();
    String onText = f.string("on", true);
    On on = onText == null ? null : On.parse(onText);
    if (onText != null && on == null) {
      f.error("on", "'" + onText + "' is not a gate point; use pre-rollout, step, confirm-promotion, post-rollout"
          + " or rollback");
    }
    String url = readUrl(f, "url", true);
    Integer timeout = f.integer("timeoutSeconds", false, 1, 86_400);
    String onTimeoutText = f.string("onTimeout", false);
    OnTimeout onTimeout = OnTimeout.ABORT;
    if (onTimeoutText != null) {
      onTimeout = switch (onTimeoutText) {
        case "abort" -> OnTimeout.ABORT;
        case "wait" -> OnTimeout.WAIT;
        default -> {
          f.error("onTimeout", "'" + onTimeoutText + "' is not a timeout action; use abort or wait");
          yield null;
        }
      };
    }
    if (on != null && !on.blocks() && onTimeoutText != null) {
      f.error("onTimeout", "a " + on.key() + " gate never holds or rolls back a release (it reports only);"
          + " leave onTimeout out");
    }
    if (f.errors().size() > before) {
      return null;
    }
    return new Gate(on, url, timeout == null ? DEFAULT_TIMEOUT_SECONDS : timeout, onTimeout);
  }

  /** An absolute http(s) URL with a host, at most 2048 characters; null (and an error) otherwise. */
  public static String readUrl(Fields f, String field, boolean required) {
    String url = f.string(field, required);
    if (url == null) {
      return null;
    }
    String why = null;
    try {
      URI u = new URI(url);
      String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        why = "must be an http:// or https:// URL";
      } else if (u.getHost() == null || u.getHost().isEmpty()) {
        why = "must name a host";
      } else if (u.getRawUserInfo() != null) {
        why = "must not carry credentials (user:password@); put them in the receiver's own configuration";
      } else if (url.length() > 2048) {
        why = "must be at most 2048 characters";
      }
    } catch (URISyntaxException e) {
      why = "is not a URL: " + e.getReason();
    }
    if (why != null) {
      f.error(field, why + ", got '" + (url.length() > 80 ? url.substring(0, 77) + "..." : url) + "'");
      return null;
    }
    return url;
  }
}
