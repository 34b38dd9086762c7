package dev.baton.common.model;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads typed fields out of untrusted JSON while collecting every error with its path
 * (e.g. {@code strategy.steps[1].weight}), so one {@link ValidationException} reports them all.
 * Getters return {@code null} (or a default) for a field that is absent or wrong; callers finish
 * with {@link #throwIfInvalid()}.
 *
 * <p>{@link #strict} readers (every body an API accepts) also refuse fields nobody read: each object remembers the
 * names its reader asked for, and {@link #throwIfInvalid()} reports any other name with the nearest known one
 * ({@code unknown field "pauseSecond" in strategy.steps[0]; did you mean "pauseSeconds"?}). A misspelt field
 * must not fall back to a default without a word (docs/ARCHITECTURE.md, "Strict bodies"). {@link #of} stays
 * lenient for what baton wrote itself (KV, state files, bus messages): a newer registry may add a field an older
 * gateway or agent does not know yet, and that must not stop it.
 */
public final class Fields {

  private final JsonObject json;
  private final String prefix;
  private final List<FieldError> errors;
  /** Every object of a strict read (the root and each nested one), checked for unknown names at the end. */
  private final List<Fields> nodes;
  private final Set<String> asked = new HashSet<>();
  private int ownErrors;

  private Fields(JsonObject json, String prefix, List<FieldError> errors, List<Fields> nodes) {
    this.json = json == null ? new JsonObject() : json;
    this.prefix = prefix;
    this.errors = errors;
    this.nodes = nodes;
    if (nodes != null) {
      nodes.add(this);
    }
  }

  /** A lenient reader: names nobody asks for are ignored. */
  public static Fields of(JsonObject json) {
    return new Fields(json, "", new ArrayList<>(), null);
  }

  /** A strict reader: {@link #throwIfInvalid()} also refuses every name nobody asked for. */
  public static Fields strict(JsonObject json) {
    return new Fields(json, "", new ArrayList<>(), new ArrayList<>());
  }

  private Fields nested(JsonObject o, String path) {
    return new Fields(o, path, errors, nodes);
  }

  /** The value of {@code field}, which becomes a known name of this object. */
  private Object value(String field) {
    asked.add(field);
    return json.getValue(field);
  }

  /**
   * Declares names this object accepts although its reader does not read them here (e.g. a field that only
   * matters with another one), so a strict read does not call them unknown.
   */
  public void known(String... fields) {
    asked.addAll(List.of(fields));
  }

  public String path(String field) {
    return prefix.isEmpty() ? field : prefix + "." + field;
  }

  public void error(String field, String message) {
    ownErrors++;
    errors.add(new FieldError(path(field), message));
  }

  public boolean has(String field) {
    return value(field) != null;
  }

  public List<FieldError> errors() {
    return errors;
  }

  public void throwIfInvalid() {
    if (nodes != null) {
      for (Fields node : List.copyOf(nodes)) {
        node.reportUnknown();
      }
      nodes.clear();
    }
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
  }

  /**
   * Reports each name of this object its reader never asked for. An object whose reader already refused
   * something (say an unknown strategy type) stopped reading early: its other names are not reported, the
   * error that stopped it is.
   */
  private void reportUnknown() {
    if (ownErrors > 0) {
      return;
    }
    for (String name : json.fieldNames()) {
      if (!asked.contains(name)) {
        String nearest = nearest(name, asked);
        errors.add(new FieldError(path(name), "unknown field \"" + name + "\" in "
            + (prefix.isEmpty() ? "the body" : prefix) + (nearest == null ? "; known fields: " + String.join(", ",
            asked.stream().sorted().toList()) : "; did you mean \"" + nearest + "\"?")));
      }
    }
  }

  /** The known name closest to {@code name} (case-insensitive edit distance), or null when none is close. */
  static String nearest(String name, Set<String> known) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    String n = name.toLowerCase(Locale.ROOT);
    for (String k : known.stream().sorted().toList()) {
      int d = distance(n, k.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        best = k;
        bestDistance = d;
      }
    }
    return best != null && bestDistance <= Math.max(2, name.length() / 3) ? best : null;
  }

  /** Levenshtein distance. */
  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  public String string(String field, boolean required) {
    Object v = value(field);
    if (v == null) {
      if (required) {
        error(field, "is required");
      }
      return null;
    }
    if (!(v instanceof String s)) {
      error(field, "must be a string");
      return null;
    }
    return s;
  }

  /** A string that must match {@code pattern}; {@code rule} explains the pattern to the user. */
  public String matching(String field, boolean required, Pattern pattern, String rule) {
    String s = string(field, required);
    if (s != null && !pattern.matcher(s).matches()) {
      error(field, "'" + abbreviate(s) + "' " + rule);
      return null;
    }
    return s;
  }

  public Integer integer(String field, boolean required, int min, int max) {
    Object v = value(field);
    if (v == null) {
      if (required) {
        error(field, "is required");
      }
      return null;
    }
    if (!(v instanceof Number n) || !isIntegral(n)) {
      error(field, "must be an integer");
      return null;
    }
    long l = n.longValue();
    if (l < min || l > max) {
      error(field, "must be between " + min + " and " + max + ", got " + l);
      return null;
    }
    return (int) l;
  }

  public Double number(String field, boolean required, double min, double max) {
    Object v = value(field);
    if (v == null) {
      if (required) {
        error(field, "is required");
      }
      return null;
    }
    if (!(v instanceof Number n)) {
      error(field, "must be a number");
      return null;
    }
    double d = n.doubleValue();
    if (Double.isNaN(d) || d < min || d > max) {
      error(field, "must be between " + fmt(min) + " and " + fmt(max) + ", got " + n);
      return null;
    }
    return d;
  }

  public Boolean bool(String field, boolean dflt) {
    Object v = value(field);
    if (v == null) {
      return dflt;
    }
    if (!(v instanceof Boolean b)) {
      error(field, "must be true or false");
      return dflt;
    }
    return b;
  }

  /** A nested object read with the same error list; {@code null} when absent (error if required). */
  public Fields object(String field, boolean required) {
    Object v = value(field);
    if (v == null) {
      if (required) {
        error(field, "is required");
      }
      return null;
    }
    if (!(v instanceof JsonObject o)) {
      error(field, "must be an object");
      return null;
    }
    return nested(o, path(field));
  }

  /** Each element of an array of objects, read by {@code reader}; empty when absent. */
  public <T> List<T> objects(String field, boolean required, Function<Fields, T> reader) {
    JsonArray array = array(field, required);
    List<T> out = new ArrayList<>();
    if (array == null) {
      return out;
    }
    for (int i = 0; i < array.size(); i++) {
      String p = path(field) + "[" + i + "]";
      Object e = array.getValue(i);
      if (!(e instanceof JsonObject o)) {
        ownErrors++;
        errors.add(new FieldError(p, "must be an object"));
        continue;
      }
      T t = reader.apply(nested(o, p));
      if (t != null) {
        out.add(t);
      }
    }
    return out;
  }

  /** An array of strings; {@code null} when absent (error if required). */
  public List<String> strings(String field, boolean required) {
    JsonArray array = array(field, required);
    if (array == null) {
      return null;
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      if (array.getValue(i) instanceof String s) {
        out.add(s);
      } else {
        ownErrors++;
        errors.add(new FieldError(path(field) + "[" + i + "]", "must be a string"));
      }
    }
    return out;
  }

  /** A map of environment variables: names checked, values must be strings. */
  public Map<String, String> env(String field) {
    Fields env = object(field, false);
    Map<String, String> out = new LinkedHashMap<>();
    if (env == null) {
      return out;
    }
    for (String name : env.json.fieldNames()) {
      env.asked.add(name); // its names are the user's variables, not fields
      if (!Names.ENV.matcher(name).matches()) {
        env.error(name, "is not a valid environment variable name");
      } else if (!(env.json.getValue(name) instanceof String s)) {
        env.error(name, "must be a string");
      } else {
        out.put(name, s);
      }
    }
    return out;
  }

  private JsonArray array(String field, boolean required) {
    Object v = value(field);
    if (v == null) {
      if (required) {
        error(field, "is required");
      }
      return null;
    }
    if (!(v instanceof JsonArray a)) {
      error(field, "must be an array");
      return null;
    }
    return a;
  }

  private static boolean isIntegral(Number n) {
    if (n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte) {
      return true;
    }
    double d = n.doubleValue();
    return !Double.isInfinite(d) && d == Math.rint(d) && Math.abs(d) < 1e15;
  }

  static String fmt(double d) {
    return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
  }

  private static String abbreviate(String s) {
    return s.length() > 80 ? s.substring(0, 77) + "..." : s;
  }
}
