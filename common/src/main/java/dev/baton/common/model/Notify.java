package dev.baton.common.model;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;

/**
 * A receiver of an app's release events (docs/registry-api.md, "Notifications"): every {@code release.*} event is
 * POSTed to {@code url} as the event's JSON ({@code json}) or as a Slack incoming-webhook message ({@code slack}),
 * signed with {@code secret} ({@code X-Baton-Signature: sha256=<hex HMAC-SHA256 of the body>}). The secret is never
 * shown: wherever the spec is served it reads {@value #REDACTED}, and a spec sent back with that value keeps the
 * stored secret of the receiver with the same URL.
 */
public record Notify(String url, String secret, Format format) {

  public static final String REDACTED = "(redacted)";
  public static final int MAX_RECEIVERS = 10;
  public static final int MIN_SECRET = 16;

  /** The body's shape. */
  public enum Format {
    JSON, SLACK;

    public String key() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** As stored (with the secret) or as shown ({@code redact}: the secret replaced by {@value #REDACTED}). */
  public JsonObject toJson(boolean redact) {
    JsonObject json = new JsonObject().put("url", url);
    if (secret != null) {
      json.put("secret", redact ? REDACTED : secret);
    }
    return json.put("format", format.key());
  }

  public static JsonArray toJson(List<Notify> all, boolean redact) {
    JsonArray out = new JsonArray();
    all.forEach(n -> out.add(n.toJson(redact)));
    return out;
  }

  /** True when this receiver's secret is the redaction marker (a spec read back from the API and sent again). */
  public boolean secretRedacted() {
    return REDACTED.equals(secret);
  }

  public Notify withSecret(String newSecret) {
    return new Notify(url, newSecret, format);
  }

  /** The receivers of a spec's {@code field}; empty when absent. */
  static List<Notify> readAll(Fields f, String field) {
    int before = f.errors().size();
    List<Notify> all = f.objects(field, false, Notify::read);
    if (all.size() > MAX_RECEIVERS) {
      f.error(field, "at most " + MAX_RECEIVERS + " receivers, got " + all.size());
    }
    return f.errors().size() > before ? List.of() : List.copyOf(all);
  }

  static Notify read(Fields f) {
    int before = f.errors().size();
    String url = Gate.readUrl(f, "url", true);
    String formatText = f.string("format", false);
    Format format = Format.JSON;
    if ("slack".equals(formatText)) {
      format = Format.SLACK;
    } else if (formatText != null && !"json".equals(formatText)) {
      f.error("format", "'" + formatText + "' is not a notification format; use json or slack");
    }
    String secret = f.string("secret", false);
    if (secret == null && format == Format.JSON) {
      f.error("secret", "is required for json receivers: the receiver checks X-Baton-Signature with it"
          + " (e.g. openssl rand -hex 32)");
    } else if (secret != null && !REDACTED.equals(secret) && (secret.length() < MIN_SECRET || secret.length() > 512)) {
      f.error("secret", "must be " + MIN_SECRET + " to 512 characters (e.g. openssl rand -hex 32)");
    }
    return f.errors().size() > before ? null : new Notify(url, secret, format);
  }
}
