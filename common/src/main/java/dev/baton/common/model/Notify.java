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

  /**
   * As stored (with the secret) or as shown ({@code redact}: the secret replaced by {@value #REDACTED}, and a Slack
   * URL's path too, since Slack's webhook URL is itself a secret).
   */
  public JsonObject toJson(boolean redact) {
    JsonObject json = new JsonObject().put("url", redact && format == Format.SLACK ? origin(url) + "/" + REDACTED : url);
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

  /** True when the URL is a redacted one ({@code https://hooks.slack.com/(redacted)}). */
  public boolean urlRedacted() {
    return url.endsWith("/" + REDACTED);
  }

  /**
   * The receivers {@code sent} with every redacted value replaced by the stored one: a redacted URL by the stored URL
   * of the same format and origin (the n-th such redacted one by the n-th such stored one), then a redacted secret by
   * the secret stored for that URL. Refused (400) when nothing stored matches: the marker is never stored.
   */
  public static List<Notify> restore(List<Notify> sent, List<Notify> stored) {
    List<Notify> out = new java.util.ArrayList<>();
    java.util.Map<String, Integer> seen = new java.util.HashMap<>();
    List<FieldError> errors = new java.util.ArrayList<>();
    for (int i = 0; i < sent.size(); i++) {
      Notify n = sent.get(i);
      Format format = n.format;
      if (n.urlRedacted()) {
        String origin = n.url.substring(0, n.url.length() - REDACTED.length() - 1);
        int k = seen.merge(n.format + " " + origin, 1, Integer::sum) - 1;
        List<Notify> same = stored.stream().filter(s -> s.format == format && origin(s.url).equals(origin)).toList();
        if (k >= same.size()) {
          errors.add(new FieldError("notify[" + i + "].url", "'" + REDACTED + "' stands for the stored URL of a "
              + n.format.key() + " receiver at " + origin + ", and there is none; give the URL"));
          continue;
        }
        n = new Notify(same.get(k).url, n.secret, n.format);
      }
      if (n.secretRedacted()) {
        String u = n.url;
        var known = stored.stream().filter(s -> s.url.equals(u) && s.secret != null).findFirst();
        if (known.isEmpty()) {
          errors.add(new FieldError("notify[" + i + "].secret", "'" + REDACTED + "' stands for the stored secret of a"
              + " receiver with this URL, and there is none; give the secret"));
          continue;
        }
        n = n.withSecret(known.get().secret);
      }
      out.add(n);
    }
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    return List.copyOf(out);
  }

  /** Scheme, host and port of a URL ({@code https://hooks.slack.com}). */
  public static String origin(String url) {
    try {
      java.net.URI u = new java.net.URI(url);
      return u.getScheme() + "://" + u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort());
    } catch (java.net.URISyntaxException e) {
      return "(receiver)";
    }
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
