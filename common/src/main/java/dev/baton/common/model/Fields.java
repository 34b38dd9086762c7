package dev.baton.common.model;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads typed fields out of untrusted JSON while collecting every error with its path
 * (e.g. {@code strategy.steps[1].weight}), so one {@link ValidationException} reports them all.
 * Getters return {@code null} (or a default) for a field that is absent or wrong; callers finish
 * with {@link #throwIfInvalid()}.
 */
public final class Fields {

  private final JsonObject json;
  private final String prefix;
  private final List<FieldError> errors;

  private Fields(JsonObject json, String prefix, List<FieldError> errors) {
    this.json = json == null ? new JsonObject() : json;
    this.prefix = prefix;
    this.errors = errors;
  }

  public static Fields of(JsonObject json) {
    return new Fields(json, "", new ArrayList<>());
  }

  public String path(String field) {
    return prefix.isEmpty() ? field : prefix + "." + field;
  }

  public void error(String field, String message) {
    errors.add(new FieldError(path(field), message));
  }

  public boolean has(String field) {
    return json.getValue(field) != null;
  }

  public List<FieldError> errors() {
    return errors;
  }

  public void throwIfInvalid() {
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
  }

  public String string(String field, boolean required) {
    Object v = json.getValue(field);
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
    Object v = json.getValue(field);
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
    Object v = json.getValue(field);
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
    Object v = json.getValue(field);
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
    Object v = json.getValue(field);
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
    return new Fields(o, path(field), errors);
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
        errors.add(new FieldError(p, "must be an object"));
        continue;
      }
      T t = reader.apply(new Fields(o, p, errors));
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
    Object v = json.getValue(field);
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
